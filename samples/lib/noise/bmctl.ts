/**
 * What the admin workstation contributes to a snapshot: the cluster config bmctl created the
 * cluster from (`bmctl-workspace/<cluster>/<cluster>.yaml`, Cluster + NodePool, no secrets), the
 * log of the `bmctl check cluster --snapshot` run, and the log of the original `bmctl create
 * cluster`, whose transient webhook errors were retried and are harmless.
 *
 * Sample output (check-cluster log):
 *   [2024-03-05 10:13:41+0000] bmctl check cluster --snapshot --cluster prod-edge-1 --kubeconfig bmctl-workspace/prod-edge-1/prod-edge-1-kubeconfig
 *   [2024-03-05 10:13:44+0000] Taking snapshot of cluster prod-edge-1...
 */
import type { Cluster } from '../cluster.js';
import { Rng } from '../rng.js';
import { MIN, SEC, bmctlStamp, dashedStamp } from '../time.js';

export function clusterConfig(c: Cluster): string {
  const cps = c.nodes.filter((n) => n.role === 'control-plane');
  const workers = c.nodes.filter((n) => n.role === 'worker');
  return `# bmctl configuration variables. Because this section is valid YAML but not a valid Kubernetes
# resource, this section can only be included when using bmctl to
# create the initial admin/hybrid cluster. Afterwards, when creating user clusters by directly
# applying the cluster and node pool resources to the existing cluster, you must remove this
# section.
gcrKeyPath: bmctl-workspace/.sa-keys/${c.project}-anthos-baremetal-gcr.json
sshPrivateKeyPath: /home/abm-admin/.ssh/id_rsa
gkeConnectAgentServiceAccountKeyPath: bmctl-workspace/.sa-keys/${c.project}-anthos-baremetal-connect.json
gkeConnectRegisterServiceAccountKeyPath: bmctl-workspace/.sa-keys/${c.project}-anthos-baremetal-register.json
cloudOperationsServiceAccountKeyPath: bmctl-workspace/.sa-keys/${c.project}-anthos-baremetal-cloud-ops.json
---
apiVersion: v1
kind: Namespace
metadata:
  name: ${c.namespace}
---
apiVersion: baremetal.cluster.gke.io/v1
kind: Cluster
metadata:
  name: ${c.name}
  namespace: ${c.namespace}
spec:
  # Cluster type. This can be:
  #   1) admin:  to create an admin cluster. This can later be used to create user clusters.
  #   2) user:   to create a user cluster. Requires an existing admin cluster.
  #   3) hybrid: to create a hybrid cluster that runs admin cluster components and user workloads.
  #   4) standalone: to create a cluster that manages itself, runs user workloads, but does not manage other clusters.
  type: hybrid
  # Anthos cluster version.
  anthosBareMetalVersion: ${c.anthosVersion}
  # GKE connect configuration
  gkeConnect:
    projectID: ${c.project}
  # Control plane configuration
  controlPlane:
    nodePoolSpec:
      nodes:
      # Control plane node pools. Typically, this is either a single machine
      # or 3 machines if using a high availability deployment.
${cps.map((n) => `      - address: ${n.ip}`).join('\n')}
  # Cluster networking configuration
  clusterNetwork:
    # Pods specify the IP ranges from which pod networks are allocated.
    pods:
      cidrBlocks:
      - ${c.podCidr}
    # Services specify the network ranges from which service virtual IPs are allocated.
    # This can be any RFC 1918 range that does not conflict with any other IP range
    # in the cluster and node pool resources.
    services:
      cidrBlocks:
      - ${c.serviceCidr}
  # Load balancer configuration
  loadBalancer:
    # Load balancer mode can be either 'bundled' or 'manual'.
    # In 'bundled' mode a load balancer will be installed on load balancer nodes during cluster creation.
    # In 'manual' mode the cluster relies on a manually-configured external load balancer.
    mode: bundled
    # Load balancer port configuration
    ports:
      # Specifies the port the load balancer serves the Kubernetes control plane on.
      # In 'manual' mode the external load balancer must be listening on this port.
      controlPlaneLBPort: 443
    # There are two load balancer virtual IP (VIP) addresses: one for the control plane
    # and one for the L7 Ingress service. The VIPs must be in the same subnet as the load balancer nodes.
    # These IP addresses do not correspond to physical network interfaces.
    vips:
      # ControlPlaneVIP specifies the VIP to connect to the Kubernetes API server.
      # This address must not be in the address pools below.
      controlPlaneVIP: ${c.controlPlaneVIP}
      # IngressVIP specifies the VIP shared by all services for ingress traffic.
      # Allowed only in non-admin clusters.
      # This address must be in the address pools below.
      ingressVIP: ${c.ingressVIP}
    # AddressPools is a list of non-overlapping IP ranges for the data plane load balancer.
    # All addresses must be in the same subnet as the load balancer nodes.
    # Address pool configuration is only valid for 'bundled' LB mode in non-admin clusters.
    addressPools:
    - name: pool1
      addresses:
      # Each address must be either in the CIDR form (1.2.3.0/24)
      # or range form (1.2.3.1-1.2.3.5).
      - ${c.ingressVIP}-${c.ingressVIP.replace(/\d+$/, (n) => String(Number(n) + 19))}
  # Proxy configuration
  # proxy:
  #   url: http://[username:password@]domain
  #   # A list of IPs, hostnames or domains that should not be proxied.
  #   noProxy:
  #   - 127.0.0.1
  #   - localhost
  # Logging and Monitoring
  clusterOperations:
    # Cloud project for logs and metrics.
    projectID: ${c.project}
    # Cloud location for logs and metrics.
    location: us-central1
  # Storage configuration
  storage:
    # lvpNodeMounts specifies the config for local PersistentVolumes backed by mounted disks.
    # These disks need to be formatted and mounted by the user, which can be done before or after
    # cluster creation.
    lvpNodeMounts:
      # path specifies the host machine path where mounted disks will be discovered and a local PV
      # will be created for each mount.
      path: /mnt/localpv-disk
      # storageClassName specifies the StorageClass that PVs will be created with. The StorageClass
      # is created during cluster creation.
      storageClassName: local-disks
    # lvpShare specifies the config for local PersistentVolumes backed by subdirectories in a shared filesystem.
    # These subdirectories are automatically created during cluster creation.
    lvpShare:
      # path specifies the host machine path where subdirectories will be created on each host. A local PV
      # will be created for each subdirectory.
      path: /mnt/localpv-share
      # storageClassName specifies the StorageClass that PVs will be created with. The StorageClass
      # is created during cluster creation.
      storageClassName: local-shared
      # numPVUnderSharedPath specifies the number of subdirectories to create under path.
      numPVUnderSharedPath: 5
  # NodeConfig specifies the configuration that applies to all nodes in the cluster.
  nodeConfig:
    # podDensity specifies the pod density configuration.
    podDensity:
      # maxPodsPerNode specifies at most how many pods can be run on a single node.
      maxPodsPerNode: 110
    # containerRuntime specifies which container runtime to use for scheduling containers on nodes.
    # containerd and docker are supported.
    containerRuntime: containerd
---
# Node pools for worker nodes
apiVersion: baremetal.cluster.gke.io/v1
kind: NodePool
metadata:
  name: np1
  namespace: ${c.namespace}
spec:
  clusterName: ${c.name}
  nodes:
${workers.map((n) => `  - address: ${n.ip}`).join('\n')}
`;
}

/** Folder name of the check-cluster run that took the snapshot. */
export function checkClusterLogDir(c: Cluster): string {
  return `check-cluster-${dashedStamp(snapshotStart(c))}`;
}

function snapshotStart(c: Cluster): number {
  return c.end - 95 * SEC;
}

export function checkClusterLog(c: Cluster): string {
  const rng = new Rng(`${c.seed}/bmctl/check`);
  let t = snapshotStart(c);
  const out: string[] = [];
  const l = (msg: string, gap = rng.int(200_000, 3 * SEC)): void => {
    t += gap;
    out.push(`${bmctlStamp(t)} ${msg}`);
  };
  l(`bmctl check cluster --snapshot --snapshot-scenario all-with-logs --cluster ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`, 0);
  l('Checking cluster version... OK');
  l(`Anthos clusters on bare metal version: ${c.anthosVersion}`);
  l('Using kubeconfig to get cluster information...');
  l(`Taking snapshot of cluster ${c.name}...`);
  l('Collecting Kubernetes resources in namespaces [kube-system gke-system gke-connect cluster-' + c.name + ' shop]...');
  l('WARNING: failed to get resource "vmruntimes.vm.cluster.gke.io": the server could not find the requested resource');
  for (const n of c.nodes) l(`Collecting node information from ${n.ip}...`, rng.int(1 * SEC, 4 * SEC));
  for (const n of c.nodes) l(`Collecting node information from ${n.ip}... OK`, rng.int(3 * SEC, 9 * SEC));
  l('Collecting pod logs...');
  l('Collecting pod logs... OK', rng.int(5 * SEC, 15 * SEC));
  l(`Snapshot output is written to: bmctl-workspace/${c.name}/log/${checkClusterLogDir(c)}/snapshot.tar.gz`);
  l('Please check the snapshot output before sharing it: it may contain sensitive data such as IP addresses and resource names.', 100_000);
  return `${out.join('\n')}\n`;
}

/** When `bmctl create cluster` ran: shortly before the cluster object was created. */
export function createClusterLogDir(c: Cluster): string {
  return `create-cluster-${dashedStamp(c.created - 31 * MIN)}`;
}

export function createClusterLog(c: Cluster): string {
  const rng = new Rng(`${c.seed}/bmctl/create`);
  let t = c.created - 31 * MIN;
  const out: string[] = [];
  const l = (msg: string, gap = rng.int(300_000, 8 * SEC)): void => {
    t += gap;
    out.push(`${bmctlStamp(t)} ${msg}`);
  };
  l(`bmctl create cluster -c ${c.name}`, 0);
  l('Creating bootstrap cluster... OK', rng.int(60 * SEC, 90 * SEC));
  l('Installing dependency components... OK', rng.int(60 * SEC, 120 * SEC));
  l('Waiting for preflight check job to finish... OK', rng.int(3 * MIN, 5 * MIN));
  l('- Validation Category: machines and network');
  for (const n of c.nodes) l(`\t- [PASSED] ${n.ip}`, rng.int(10_000, 90_000));
  l('\t- [PASSED] node-network', rng.int(10_000, 90_000));
  l('- Validation Category: gcp');
  l('\t- [PASSED] gcp', rng.int(10_000, 90_000));
  l('- Validation Category: add-ons');
  l('\t- [PASSED] add-ons', rng.int(10_000, 90_000));
  l('Flushing logs... OK');
  l('Applying resources for new cluster');
  const svc = `10.96.${rng.int(0, 15)}.${rng.int(2, 254)}`;
  for (let i = 0, n = rng.int(2, 4); i < n; i++) {
    l(`Waiting for cluster resources to be applied... failed calling webhook "vcluster.kb.io": Post "https://cap-webhook-service.kube-system.svc:443/validate-baremetal-cluster-gke-io-v1-cluster?timeout=30s": dial tcp ${svc}:443: connect: connection refused, retrying`, rng.int(5 * SEC, 15 * SEC));
  }
  l('Applying resources for new cluster... OK', rng.int(5 * SEC, 15 * SEC));
  l('Waiting for cluster kubeconfig to become ready OK', rng.int(2 * MIN, 4 * MIN));
  l('Writing kubeconfig file');
  l(`kubeconfig of cluster being created is present at bmctl-workspace/${c.name}/${c.name}-kubeconfig`);
  l('Please restrict access to this file as it contains authentication credentials of your cluster.');
  l('Waiting for cluster to become ready OK', rng.int(5 * MIN, 9 * MIN));
  l(`Registering cluster ${c.name} to project ${c.project}... failed: rpc error: code = Unavailable desc = connection closed, retrying`, rng.int(10 * SEC, 30 * SEC));
  l('Please run');
  l(`kubectl --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig get nodes`);
  l('to get cluster nodes status.');
  l('Waiting for node pools to become ready OK', rng.int(2 * MIN, 5 * MIN));
  l('Moving admin cluster resources to the created admin cluster', rng.int(10 * SEC, 30 * SEC));
  l('Waiting for node update jobs to finish OK');
  l('Flushing logs... OK');
  l('Deleting bootstrap cluster... OK', rng.int(30 * SEC, 60 * SEC));
  return `${out.join('\n')}\n`;
}
