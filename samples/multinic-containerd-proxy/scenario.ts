/**
 * multinic-containerd-proxy: creating a cluster with containerd, multi-NIC pods and an HTTP proxy
 * fails because the proxy settings reach containerd, and with them the CNI plugins, while NO_PROXY
 * does not list the Service CIDR (Anthos clusters on bare metal known issue, seed 002).
 *
 * Positive: `bmctl create cluster` of branch-net-5 (1.8.2, containerd, `multipleNetworkInterfaces:
 * true`, `proxy.url: http://proxy.branch-net.example:3128`, noProxy without 10.96.0.0/20). The
 * control plane and the host-network pods come up; every other pod stays in ContainerCreating
 * because Multus, which now sits in front of the pod network, calls the apiserver at
 * https://10.96.0.1:443 through the proxy and gets `Service Unavailable` back: kubelet and
 * containerd repeat `RunPodSandbox … failed … Multus: […]: error getting pod: Get
 * "https://[10.96.0.1]:443/…": Service Unavailable` until bmctl gives up waiting for the cluster.
 *
 * Negative: the same cluster created with the Service CIDR in noProxy. It runs normally; the only
 * proxy error is one image pull that timed out at the proxy (`proxyconnect tcp: dial tcp
 * 10.200.1.10:3128: i/o timeout`) and succeeded on the next attempt.
 */
import { type Cluster, type Node, type Pod, buildCluster, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { logrus, containerdJournal } from '../lib/noise/containerd.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { podRef } from '../lib/noise/lifecycle.js';
import { snapshot } from '../lib/snapshot.js';
import { bmctlLog, editClusterConfig, editFiles, mapLines, withPodStates } from '../lib/noise/install-bundle.js';

const PROXY = 'http://proxy.branch-net.example:3128';
const PROXY_IP = '10.200.1.10';

function cluster(fresh: boolean): Cluster {
  return buildCluster({
    seed: 'branch-net-5',
    name: 'branch-net-5',
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2021-10-12T09:00:00Z',
    hours: fresh ? 1.5 : 5,
    rollouts: fresh ? [] : undefined,
  });
}

/** The config as written for this cluster: multi-NIC pods and the branch office proxy. */
function withProxy(yaml: string, c: Cluster, serviceCidrInNoProxy: boolean): string {
  const noProxy = ['127.0.0.1', 'localhost', '10.200.0.0/24', '.svc', '.cluster.local', 'metadata.google.internal', ...(serviceCidrInNoProxy ? [c.serviceCidr, c.podCidr] : [])];
  return yaml
    .replace('  clusterNetwork:\n', '  clusterNetwork:\n    # Enable additional network interfaces (NetworkAttachmentDefinition) for pods.\n    multipleNetworkInterfaces: true\n')
    .replace(/  # proxy:\n(?: {2}#.*\n)*?(?= {2}# Logging and Monitoring)/, `  proxy:\n    url: ${PROXY}\n    # A list of IPs, hostnames or domains that should not be proxied.\n    noProxy:\n${noProxy.map((x) => `    - ${x}`).join('\n')}\n`);
}

/** Pods a cluster being created cannot start: everything that needs the pod network. */
function podNetworkPods(c: Cluster): Pod[] {
  return c.pods.filter((p) => !p.hostNetwork && p.phase === 'Running');
}

/** kubelet and containerd failing to set up the sandbox of a pod, again and again. */
function sandboxFailures(c: Cluster, node: Node, pods: Pod[], from: number): { kubelet: Rec[]; containerd: Rec[] } {
  const rng = new Rng(`${c.seed}/sandbox/${node.name}`);
  const kubelet: Rec[] = [];
  const containerd: Rec[] = [];
  for (const p of pods) {
    for (let t = from + rng.int(20 * SEC, 90 * SEC); t < c.end; t += rng.int(40 * SEC, 3 * MIN)) {
      const sandbox = rng.hex(64);
      const err = `failed to setup network for sandbox "${sandbox}": Multus: [${p.namespace}/${p.name}]: error getting pod: Get "https://[10.96.0.1]:443/api/v1/namespaces/${p.namespace}/pods/${p.name}?timeout=1m0s": Service Unavailable`;
      const meta = `&PodSandboxMetadata{Name:${p.name},Uid:${p.uid},Namespace:${p.namespace},Attempt:0,}`;
      containerd.push({ t, text: logrus(t, 'info', `RunPodSandbox for ${meta}`, '', rng.int(0, 999)) });
      const failed = t + rng.int(400_000, 900_000);
      containerd.push({ t: failed, text: logrus(failed, 'error', `RunPodSandbox for ${meta} failed, error`, `error="${err.replaceAll('"', '\\"')}"`, rng.int(0, 999)) });
      const k = failed + rng.int(1000, 4000);
      kubelet.push({ t: k, text: klog('E', k, node.kubeletPid, 'remote_runtime.go:116', `RunPodSandbox from runtime service failed: rpc error: code = Unknown desc = ${err}`) });
      kubelet.push({ t: k + 300, text: klog('E', k + 300, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${p.uid} ("${podRef(p)}"), skipping: failed to "CreatePodSandbox" for "${podRef(p)}" with CreatePodSandboxError: "CreatePodSandbox for pod \\"${podRef(p)}\\" failed: rpc error: code = Unknown desc = ${err.replaceAll('"', '\\"')}"`) });
    }
  }
  return { kubelet, containerd };
}

/** anetd on a node where no pod got its network: start-up only, no endpoints. */
function quietAnetd(c: Cluster, node: Node): string {
  return [
    'level=info msg="Skipped reading configuration file" reason="Config File \\"ciliumd\\" Not Found in \\"[/root]\\"" subsys=config',
    'level=info msg="Started gops server" address="127.0.0.1:9890" subsys=daemon',
    'level=info msg="  --kube-proxy-replacement=\'partial\'" subsys=daemon',
    'level=info msg="  --tunnel=\'geneve\'" subsys=daemon',
    'level=info msg="Cilium 1.9.5 5bbfcd2 2021-03-16T20:42:01-07:00 go version go1.15.10 linux/amd64" subsys=daemon',
    `level=info msg="clang (10.0.0) and kernel (${c.os.kernel.split('-')[0]}) versions: OK!" subsys=linux-datapath`,
    'level=info msg="Initializing daemon" subsys=daemon',
    `level=info msg="Establishing connection to apiserver" host="https://${c.controlPlaneVIP}:443" subsys=k8s`,
    'level=info msg="Connected to apiserver" subsys=k8s',
    `level=info msg="Retrieved node information from kubernetes node" nodeName=${node.name} subsys=k8s`,
    `level=info msg="  IPv4 allocation prefix: ${node.podCidr}" subsys=daemon`,
    'level=info msg="Daemon initialization completed" bootstrapTime=5.870114521s subsys=daemon',
    'level=info msg="Launching Cilium health daemon" subsys=daemon',
  ].join('\n');
}

/** `bmctl create cluster` that waits for the cluster to become ready and times out. */
function failedCreate(c: Cluster, started: number): string {
  const rng = new Rng(`${c.seed}/create`);
  const svc = `10.96.${rng.int(0, 15)}.${rng.int(2, 254)}`;
  const refused = `failed calling webhook "vcluster.kb.io": Post "https://cap-webhook-service.kube-system.svc:443/validate-baremetal-cluster-gke-io-v1-cluster?timeout=30s": dial tcp ${svc}:443: connect: connection refused, retrying`;
  return bmctlLog(started, [
    [0, `bmctl create cluster -c ${c.name}`],
    [75 * SEC, 'Creating bootstrap cluster... OK'],
    [96 * SEC, 'Installing dependency components... OK'],
    [4 * MIN + 10 * SEC, 'Waiting for preflight check job to finish... OK'],
    [1 * SEC, '- Validation Category: machines and network'],
    ...c.nodes.map((n): [number, string] => [40_000, `\t- [PASSED] ${n.ip}`]),
    [40_000, '\t- [PASSED] node-network'],
    [1 * SEC, '- Validation Category: gcp'],
    [40_000, '\t- [PASSED] gcp'],
    [1 * SEC, 'Flushing logs... OK'],
    [1 * SEC, 'Applying resources for new cluster'],
    [9 * SEC, `Waiting for cluster resources to be applied... ${refused}`],
    [12 * SEC, `Waiting for cluster resources to be applied... ${refused}`],
    [11 * SEC, 'Applying resources for new cluster... OK'],
    [c.start + 3 * MIN - (started + 8 * MIN), 'Waiting for cluster kubeconfig to become ready OK'],
    [1 * SEC, 'Writing kubeconfig file'],
    [100_000, `kubeconfig of cluster being created is present at bmctl-workspace/${c.name}/${c.name}-kubeconfig`],
    [100_000, 'Please restrict access to this file as it contains authentication credentials of your cluster.'],
    [1 * SEC, 'Waiting for cluster to become ready'],
    [60 * MIN, 'Error creating cluster: error waiting for cluster to become ready: timed out waiting for the condition'],
  ]).text;
}

function positive(): BundleSpec {
  const c = cluster(true);
  // Created just now: the Cluster object a few minutes before the nodes came up, and no apps yet.
  c.created = c.start - 8 * MIN;
  c.pods = c.pods.filter((p) => p.namespace !== 'shop');
  c.services = c.services.filter((s) => s.namespace !== 'shop');
  for (const p of c.pods) {
    p.created = nodeByName(c, p.node).kubeletStart + 20 * SEC;
    for (const ct of p.containers) { ct.restarts = 0; ct.previousId = undefined; }
  }
  for (const s of c.services) s.created = c.created + 2 * MIN;
  const pending = podNetworkPods(c);
  c.pods = c.pods.filter((p) => !pending.includes(p));
  // The folder bmctl named after the start of the run (see createClusterLogDir).
  const createStart = c.created - 31 * MIN;
  let spec = snapshot(c, {
    style: 'spaces',
    podLog: (pod) => (pod.workload.name === 'anetd' ? quietAnetd(c, nodeByName(c, pod.node)) : undefined),
    node: (n, files) => {
      const mine = pending.filter((p) => p.node === n.name);
      if (mine.length === 0) return;
      const f = sandboxFailures(c, n, mine, n.kubeletStart + 40 * SEC);
      files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(f.kubelet)] });
      files.containerdJournal = containerdJournal(c, n, { extra: [fixed(f.containerd)] });
    },
  });
  spec = editClusterConfig(spec, c, (yaml) => withProxy(yaml, c, false));
  spec = editFiles(spec, c, (p) => /\/log\/create-cluster-[^/]+\/create-cluster\.log$/.test(p), () => failedCreate(c, createStart));
  return withPodStates(spec, c, new Map(), pending);
}

function negative(): BundleSpec {
  const c = cluster(false);
  const viaProxy = (line: string): string => line.replace('dial tcp 142.250.115.82:443: i/o timeout', `proxyconnect tcp: dial tcp ${PROXY_IP}:3128: i/o timeout`);
  const spec = snapshot(c, {
    style: 'spaces',
    node: (_n, files) => {
      files.kubeletJournal = mapLines(files.kubeletJournal, viaProxy);
      files.containerdJournal = mapLines(files.containerdJournal, viaProxy);
    },
  });
  return editClusterConfig(spec, c, (yaml) => withProxy(yaml, c, true));
}

export const scenario: Scenario = { id: 'multinic-containerd-proxy', positive, negative };
export default scenario;
