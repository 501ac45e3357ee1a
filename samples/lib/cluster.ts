/**
 * The cluster model every sample file is generated from, so that what one file says agrees with
 * the others: the pods `kubectl get pods` lists are the ones `ps` shows and whose IPs
 * `kubectl get endpoints` and `ipvsadm -Ln` carry; a rollout in the kubelet journal is the one
 * kube-proxy logs when it removes the old real servers.
 *
 * `buildCluster(options)` is deterministic: the same options give the same model. Scenarios may
 * adjust the returned model (mark a node NotReady, say) before handing it to `snapshot()`.
 */
import { createHash } from 'node:crypto';
import { Rng } from './rng.js';
import { DAY, HOUR, MIN, SEC, parseIso } from './time.js';

export type OsId = 'ubuntu-20.04' | 'rhel-8.4';
export type Role = 'control-plane' | 'worker';
export type ProxyMode = 'ipvs' | 'iptables';

/** A Deployment replaced by a new revision during the window. */
export interface RolloutSpec {
  /** `namespace/name` of a Deployment in the model (`shop/checkout`). */
  deployment: string;
  /** When the rollout starts (ISO string). */
  at: string;
  /** The first pulls of the new image fail for a few minutes (ImagePullBackOff), then succeed. */
  pullBackOff?: boolean;
}

export interface ClusterOptions {
  /** Seed for every random choice; change it to get another cluster of the same shape. */
  seed: string;
  /** Cluster name (`prod-edge-1`). */
  name: string;
  controlPlanes: 1 | 3;
  workers: number;
  os: OsId;
  /** Anthos clusters on bare metal version (`1.8.2`). */
  anthosVersion: string;
  /** Kubernetes version of the control plane and kubelets (`v1.20.8-gke.1500`). */
  kubernetesVersion: string;
  kubeProxy: { version: string; mode: ProxyMode };
  /** `runc --version` (`1.0.0-rc92`). */
  runcVersion: string;
  /** containerd version (`1.4.6`). */
  containerdVersion: string;
  /** Start of the window the logs cover (ISO); the nodes boot just before it. */
  start: string;
  /** Length of the window in hours; the snapshot is taken at its end. */
  hours: number;
  /** Rollouts during the window. Absent: two random ones. Empty: none. */
  rollouts?: RolloutSpec[];
}

export interface OsInfo {
  id: OsId;
  prettyName: string;
  /** `uname -r`. */
  kernel: string;
  /** The `#…` build string of `uname -v`. */
  kernelBuild: string;
  /** Width of the PID columns in `ps` (7 when `kernel.pid_max` is above 99999). */
  pidWidth: number;
  /** Largest PID before wrap-around. */
  pidMax: number;
  /** Primary network interface. */
  iface: string;
  /** Command line of PID 1. */
  init: string;
  iptablesVersion: string;
}

export interface Node {
  index: number;
  name: string;
  ip: string;
  role: Role;
  cpus: number;
  memKiB: number;
  /** Boot time, µs. */
  boot: number;
  containerdStart: number;
  kubeletStart: number;
  kubeletPid: number;
  containerdPid: number;
  /** Pod CIDR of the node (`192.168.3.0/24`). */
  podCidr: string;
  mac: string;
  /** Status shown by `kubectl get nodes` at snapshot time. */
  ready: boolean;
}

export type WorkloadKind = 'DaemonSet' | 'Deployment' | 'StatefulSet' | 'Static' | 'Job';

/** A process a container runs, as `ps` shows it. `{node}`, `{ip}`, `{cluster}` are substituted. */
export interface ProcDef {
  comm: string;
  args: string;
  user: string;
  rssKiB: number;
  /** Multi-threaded (the `l` in STAT). */
  threads?: boolean;
  wchan?: string;
  children?: ProcDef[];
}

export interface ContainerDef {
  name: string;
  image: string;
  port?: number;
  processes: ProcDef[];
}

export interface WorkloadDef {
  namespace: string;
  name: string;
  kind: WorkloadKind;
  replicas?: number;
  hostNetwork?: boolean;
  placement: 'all' | 'control-plane' | 'worker';
  containers: ContainerDef[];
}

export interface Container {
  name: string;
  image: string;
  /** `sha256:…` digest id of the image. */
  imageId: string;
  /** 64-hex container id. */
  id: string;
  /** Earlier attempt's id (exited), when the container restarted at boot. */
  previousId?: string;
  started: number;
  restarts: number;
  processes: ProcDef[];
}

export interface Pod {
  namespace: string;
  name: string;
  uid: string;
  workload: WorkloadDef;
  /** Node name. */
  node: string;
  ip: string;
  hostNetwork: boolean;
  created: number;
  /** Sandbox start on the current boot. */
  started: number;
  /** Set for pods deleted during the window (replaced by a rollout). */
  deleted?: number;
  phase: 'Running' | 'Succeeded';
  sandboxId: string;
  /** Network namespace inode (`ps -o netns`). */
  netns: number;
  containers: Container[];
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort: number;
  protocol: 'TCP' | 'UDP';
  nodePort?: number;
}

export interface Service {
  namespace: string;
  name: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  clusterIP: string;
  externalIP?: string;
  ports: ServicePort[];
  /** Workload whose pods back the service; absent for `default/kubernetes` (control-plane nodes). */
  selector?: string;
  /** `sessionAffinity: ClientIP` (ipvsadm shows `persistent 10800`). */
  clientIPAffinity?: boolean;
  created: number;
}

export interface Rollout {
  deployment: string;
  at: number;
  pullBackOff: boolean;
  oldPods: Pod[];
  newPods: Pod[];
  oldImage: string;
  newImage: string;
}

export interface Cluster {
  seed: string;
  name: string;
  /** Namespace of the Cluster object (`cluster-prod-edge-1`). */
  namespace: string;
  anthosVersion: string;
  kubernetesVersion: string;
  kubeProxy: { version: string; mode: ProxyMode };
  runcVersion: string;
  containerdVersion: string;
  os: OsInfo;
  /** Window start and end (the snapshot time), µs. */
  start: number;
  end: number;
  /** When the cluster was created. */
  created: number;
  podCidr: string;
  serviceCidr: string;
  controlPlaneVIP: string;
  ingressVIP: string;
  nodes: Node[];
  /** Pods at snapshot time. */
  pods: Pod[];
  /** Pods deleted during the window. */
  pastPods: Pod[];
  services: Service[];
  rollouts: Rollout[];
  /** GCP project named in the cluster config. */
  project: string;
}

const OS: Record<OsId, OsInfo> = {
  'ubuntu-20.04': {
    id: 'ubuntu-20.04',
    prettyName: 'Ubuntu 20.04.2 LTS',
    kernel: '5.8.0-63-generic',
    kernelBuild: '#71~20.04.1-Ubuntu SMP Thu Jul 15 17:46:08 UTC 2021',
    pidWidth: 7,
    pidMax: 4194304,
    iface: 'ens192',
    init: '/sbin/init',
    iptablesVersion: 'v1.8.4',
  },
  'rhel-8.4': {
    id: 'rhel-8.4',
    prettyName: 'Red Hat Enterprise Linux 8.4 (Ootpa)',
    kernel: '4.18.0-305.el8.x86_64',
    kernelBuild: '#1 SMP Thu Apr 29 08:54:30 EDT 2021',
    pidWidth: 5,
    pidMax: 32768,
    iface: 'ens192',
    init: '/usr/lib/systemd/systemd --switched-root --system --deserialize 17',
    iptablesVersion: 'v1.8.4',
  },
};

const ABM = 'gcr.io/anthos-baremetal-release';

/** Image of kube-proxy: upstream builds for plain versions, the Anthos build for `-gke.` ones. */
function kubeProxyImage(version: string): string {
  return version.includes('-gke.') ? `${ABM}/kube-proxy-amd64:${version}` : `k8s.gcr.io/kube-proxy:${version}`;
}

/** The workloads every sample cluster runs. Order matters only for determinism. */
export function workloads(o: ClusterOptions): WorkloadDef[] {
  const k8s = o.kubernetesVersion;
  return [
    {
      namespace: 'kube-system', name: 'etcd', kind: 'Static', placement: 'control-plane', hostNetwork: true,
      containers: [{ name: 'etcd', image: `${ABM}/etcd:v3.4.13-1-gke.1`, processes: [{
        comm: 'etcd', user: 'root', rssKiB: 212480, threads: true,
        args: 'etcd --advertise-client-urls=https://{ip}:2379 --cert-file=/etc/kubernetes/pki/etcd/server.crt --client-cert-auth=true --data-dir=/var/lib/etcd --initial-advertise-peer-urls=https://{ip}:2380 --initial-cluster={node}=https://{ip}:2380 --key-file=/etc/kubernetes/pki/etcd/server.key --listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379 --listen-metrics-urls=http://127.0.0.1:2381 --listen-peer-urls=https://{ip}:2380 --name={node} --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt --peer-client-cert-auth=true --peer-key-file=/etc/kubernetes/pki/etcd/peer.key --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt --snapshot-count=10000 --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'kube-apiserver', kind: 'Static', placement: 'control-plane', hostNetwork: true,
      containers: [{ name: 'kube-apiserver', image: `${ABM}/kube-apiserver-amd64:${k8s}`, port: 6444, processes: [{
        comm: 'kube-apiserver', user: 'root', rssKiB: 498112, threads: true,
        args: 'kube-apiserver --advertise-address={ip} --allow-privileged=true --audit-log-path=/var/log/kubernetes/audit.log --authorization-mode=Node,RBAC --bind-address=0.0.0.0 --client-ca-file=/etc/kubernetes/pki/ca.crt --enable-admission-plugins=NodeRestriction --enable-bootstrap-token-auth=true --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key --etcd-servers=https://127.0.0.1:2379 --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key --secure-port=6444 --service-account-issuer=https://kubernetes.default.svc.cluster.local --service-account-key-file=/etc/kubernetes/pki/sa.pub --service-cluster-ip-range=10.96.0.0/20 --tls-cert-file=/etc/kubernetes/pki/apiserver.crt --tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'kube-controller-manager', kind: 'Static', placement: 'control-plane', hostNetwork: true,
      containers: [{ name: 'kube-controller-manager', image: `${ABM}/kube-controller-manager-amd64:${k8s}`, processes: [{
        comm: 'kube-controller', user: 'root', rssKiB: 118520, threads: true,
        args: 'kube-controller-manager --allocate-node-cidrs=true --authentication-kubeconfig=/etc/kubernetes/controller-manager.conf --authorization-kubeconfig=/etc/kubernetes/controller-manager.conf --bind-address=127.0.0.1 --client-ca-file=/etc/kubernetes/pki/ca.crt --cluster-cidr=192.168.0.0/16 --cluster-name={cluster} --cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt --cluster-signing-key-file=/etc/kubernetes/pki/ca.key --controllers=*,bootstrapsigner,tokencleaner --kubeconfig=/etc/kubernetes/controller-manager.conf --leader-elect=true --node-cidr-mask-size=24 --root-ca-file=/etc/kubernetes/pki/ca.crt --service-account-private-key-file=/etc/kubernetes/pki/sa.key --service-cluster-ip-range=10.96.0.0/20 --use-service-account-credentials=true',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'kube-scheduler', kind: 'Static', placement: 'control-plane', hostNetwork: true,
      containers: [{ name: 'kube-scheduler', image: `${ABM}/kube-scheduler-amd64:${k8s}`, processes: [{
        comm: 'kube-scheduler', user: 'root', rssKiB: 52360, threads: true,
        args: 'kube-scheduler --authentication-kubeconfig=/etc/kubernetes/scheduler.conf --authorization-kubeconfig=/etc/kubernetes/scheduler.conf --bind-address=127.0.0.1 --kubeconfig=/etc/kubernetes/scheduler.conf --leader-elect=true',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'haproxy', kind: 'Static', placement: 'control-plane', hostNetwork: true,
      containers: [{ name: 'haproxy', image: `${ABM}/haproxy:2.2.9-gke.1`, processes: [{
        comm: 'haproxy', user: 'root', rssKiB: 9412, args: 'haproxy -f /usr/local/etc/haproxy/haproxy.cfg',
        children: [{ comm: 'haproxy', user: 'root', rssKiB: 14880, threads: true, args: 'haproxy -f /usr/local/etc/haproxy/haproxy.cfg' }],
      }] }],
    },
    {
      namespace: 'kube-system', name: 'keepalived', kind: 'Static', placement: 'control-plane', hostNetwork: true,
      containers: [{ name: 'keepalived', image: `${ABM}/keepalived:2.0.20-gke.1`, processes: [{
        comm: 'keepalived', user: 'root', rssKiB: 6120, args: '/usr/sbin/keepalived --dont-fork --dump-conf --log-console --log-detail --vrrp',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'anetd', kind: 'DaemonSet', placement: 'all', hostNetwork: true,
      containers: [{ name: 'cilium-agent', image: `${ABM}/cilium/cilium:v1.9.5-anthos1.8-gke.4`, processes: [{
        comm: 'cilium-agent', user: 'root', rssKiB: 183204, threads: true, args: 'cilium-agent --config-dir=/tmp/cilium/config-map',
        children: [{ comm: 'cilium-health-r', user: 'root', rssKiB: 21740, threads: true, args: 'cilium-health-responder --listen 4240 --pidfile /var/run/cilium/state/health-endpoint.pid' }],
      }] }],
    },
    {
      namespace: 'kube-system', name: 'kube-proxy', kind: 'DaemonSet', placement: 'all', hostNetwork: true,
      containers: [{ name: 'kube-proxy', image: kubeProxyImage(o.kubeProxy.version), processes: [{
        comm: 'kube-proxy', user: 'root', rssKiB: 41876, threads: true, args: '/usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/config.conf --hostname-override={node}',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'localpv', kind: 'DaemonSet', placement: 'all',
      containers: [{ name: 'local-volume-provisioner', image: `${ABM}/local-volume-provisioner:v2.4.0-gke.0`, processes: [{
        comm: 'local-provision', user: 'root', rssKiB: 23112, threads: true, args: '/local-provisioner',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'stackdriver-log-forwarder', kind: 'DaemonSet', placement: 'all',
      containers: [{ name: 'stackdriver-log-forwarder', image: `${ABM}/fluent-bit:v1.6.10-gke.3`, processes: [{
        comm: 'fluent-bit', user: 'root', rssKiB: 38920, threads: true, args: '/fluent-bit/bin/fluent-bit -c /fluent-bit/etc/fluent-bit.conf',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'node-exporter', kind: 'DaemonSet', placement: 'all', hostNetwork: true,
      containers: [{ name: 'node-exporter', image: `${ABM}/prometheus/node-exporter:v1.0.1-gke.2`, processes: [{
        comm: 'node_exporter', user: '65534', rssKiB: 19832, threads: true, args: '/bin/node_exporter --path.procfs=/host/proc --path.sysfs=/host/sys --web.listen-address=127.0.0.1:9100',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'coredns', kind: 'Deployment', replicas: 2, placement: 'worker',
      containers: [{ name: 'coredns', image: `${ABM}/coredns:1.7.0-gke.1`, port: 53, processes: [{
        comm: 'coredns', user: 'root', rssKiB: 24560, threads: true, args: '/coredns -conf /etc/coredns/Corefile',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'metrics-server', kind: 'Deployment', replicas: 1, placement: 'worker',
      containers: [{ name: 'metrics-server', image: `${ABM}/metrics-server-amd64:v0.4.1-gke.0`, port: 4443, processes: [{
        comm: 'metrics-server', user: '65534', rssKiB: 30264, threads: true, args: '/metrics-server --cert-dir=/tmp --secure-port=4443 --kubelet-preferred-address-types=InternalIP --kubelet-insecure-tls',
      }] }],
    },
    {
      namespace: 'kube-system', name: 'kube-state-metrics', kind: 'Deployment', replicas: 1, placement: 'worker',
      containers: [{ name: 'kube-state-metrics', image: `${ABM}/kube-state-metrics:v1.9.7-gke.1`, port: 8080, processes: [{
        comm: 'kube-state-metr', user: '65534', rssKiB: 27408, threads: true, args: '/kube-state-metrics --port=8080 --telemetry-port=8081',
      }] }],
    },
    {
      namespace: 'gke-connect', name: 'gke-connect-agent-20210514-00-00', kind: 'Deployment', replicas: 1, placement: 'worker',
      containers: [{ name: 'gke-connect-agent-20210514-00-00', image: 'gcr.io/gkeconnect/gkeconnect-gce:20210514-00-00', processes: [{
        comm: 'gkeconnect_bin', user: '65532', rssKiB: 61240, threads: true, args: '/app/gkeconnect_bin',
      }] }],
    },
    {
      namespace: 'gke-system', name: 'istio-ingress', kind: 'Deployment', replicas: 1, placement: 'worker',
      containers: [{ name: 'istio-proxy', image: `${ABM}/asm/proxyv2:1.9.6-asm.1`, port: 8080, processes: [{
        comm: 'pilot-agent', user: '1337', rssKiB: 45012, threads: true, args: '/usr/local/bin/pilot-agent proxy router --domain gke-system.svc.cluster.local --proxyLogLevel=warning --proxyComponentLogLevel=misc:error --log_output_level=default:info',
        children: [{ comm: 'envoy', user: '1337', rssKiB: 71300, threads: true, args: '/usr/local/bin/envoy -c etc/istio/proxy/envoy-rev0.json --restart-epoch 0 --drain-time-s 45 --drain-strategy immediate --parent-shutdown-time-s 60 --local-address-ip-version v4 --log-format-prefix-with-location 0 -l warning --component-log-level misc:error' }],
      }] }],
    },
    {
      namespace: 'shop', name: 'frontend', kind: 'Deployment', replicas: 3, placement: 'worker',
      containers: [{ name: 'frontend', image: 'us-docker.pkg.dev/acme-retail/shop/frontend:2.14.3', port: 8080, processes: [{
        comm: 'nginx', user: 'root', rssKiB: 9804, args: 'nginx: master process nginx -g daemon off;',
        children: [
          { comm: 'nginx', user: '101', rssKiB: 5212, wchan: 'ep_poll', args: 'nginx: worker process' },
          { comm: 'nginx', user: '101', rssKiB: 5188, wchan: 'ep_poll', args: 'nginx: worker process' },
        ],
      }] }],
    },
    {
      namespace: 'shop', name: 'checkout', kind: 'Deployment', replicas: 2, placement: 'worker',
      containers: [{ name: 'checkout', image: 'us-docker.pkg.dev/acme-retail/shop/checkout:1.31.0', port: 8080, processes: [{
        comm: 'checkout-servic', user: '1000', rssKiB: 48712, threads: true, args: '/app/checkout-service --listen=:8080 --payments=payments-api.shop.svc:8443',
      }] }],
    },
    {
      namespace: 'shop', name: 'payments-api', kind: 'Deployment', replicas: 2, placement: 'worker',
      containers: [{ name: 'payments-api', image: 'us-docker.pkg.dev/acme-retail/shop/payments-api:4.2.7', port: 8443, processes: [{
        comm: 'java', user: '1000', rssKiB: 612344, threads: true, args: 'java -XX:MaxRAMPercentage=75 -Dserver.port=8443 -jar /app/payments-api.jar',
      }] }],
    },
    {
      namespace: 'shop', name: 'cart', kind: 'Deployment', replicas: 2, placement: 'worker',
      containers: [{ name: 'redis', image: 'redis:6.2.4', port: 6379, processes: [{
        comm: 'redis-server', user: '999', rssKiB: 12648, threads: true, args: 'redis-server *:6379',
      }] }],
    },
    {
      namespace: 'shop', name: 'catalog', kind: 'Deployment', replicas: 2, placement: 'worker',
      containers: [{ name: 'catalog', image: 'us-docker.pkg.dev/acme-retail/shop/catalog:3.8.1', port: 3000, processes: [{
        comm: 'node', user: '1000', rssKiB: 88416, threads: true, args: 'node /app/server.js',
      }] }],
    },
    {
      namespace: 'shop', name: 'orders-db', kind: 'StatefulSet', replicas: 1, placement: 'worker',
      containers: [{ name: 'postgres', image: 'postgres:13.3', port: 5432, processes: [{
        comm: 'postgres', user: '999', rssKiB: 30120, wchan: 'do_select', args: 'postgres',
        children: [
          { comm: 'postgres', user: '999', rssKiB: 9212, wchan: 'ep_poll', args: 'postgres: checkpointer' },
          { comm: 'postgres', user: '999', rssKiB: 7680, wchan: 'ep_poll', args: 'postgres: background writer' },
          { comm: 'postgres', user: '999', rssKiB: 10112, wchan: 'ep_poll', args: 'postgres: walwriter' },
          { comm: 'postgres', user: '999', rssKiB: 8904, wchan: 'ep_poll', args: 'postgres: autovacuum launcher' },
          { comm: 'postgres', user: '999', rssKiB: 6380, wchan: 'ep_poll', args: 'postgres: stats collector' },
          { comm: 'postgres', user: '999', rssKiB: 7112, wchan: 'ep_poll', args: 'postgres: logical replication launcher' },
        ],
      }] }],
    },
    {
      namespace: 'shop', name: 'db-backup', kind: 'Job', replicas: 1, placement: 'worker',
      containers: [{ name: 'pg-dump', image: 'postgres:13.3', processes: [] }],
    },
  ];
}

/** `sha256:` image id, stable per image name. */
export function imageId(image: string): string {
  return `sha256:${createHash('sha256').update(image).digest('hex')}`;
}

/** Image of the next revision: the patch number bumped (`2.14.3` → `2.14.4`). */
function bumpImage(image: string): string {
  return image.replace(/(\d+)$/, (n) => String(Number(n) + 1));
}

/** The name-generating part of a ReplicaSet (`7d9c6b8f5d`). */
function rsHash(rng: Rng): string {
  return rng.k8sSuffix(rng.chance(0.5) ? 9 : 10);
}

export function buildCluster(o: ClusterOptions): Cluster {
  const rng = new Rng(`cluster/${o.seed}`);
  const os = OS[o.os];
  const start = parseIso(o.start);
  const end = start + Math.round(o.hours * HOUR);
  const created = start - (40 + rng.int(0, 20)) * DAY - rng.int(2, 20) * HOUR;

  // Nodes: control planes first, then workers, on 10.200.0.0/24 with a few addresses skipped.
  const nodes: Node[] = [];
  let host = rng.int(2, 5);
  const total = o.controlPlanes + o.workers;
  for (let i = 0; i < total; i++) {
    const role: Role = i < o.controlPlanes ? 'control-plane' : 'worker';
    const roleIndex = role === 'control-plane' ? i + 1 : i - o.controlPlanes + 1;
    const boot = start - rng.int(3 * MIN, 6 * MIN) + (role === 'worker' ? rng.int(30 * SEC, 150 * SEC) : 0);
    const containerdStart = boot + rng.int(9 * SEC, 14 * SEC);
    nodes.push({
      index: i,
      name: `${o.name}-${role === 'control-plane' ? 'cp' : 'worker'}-${roleIndex}`,
      ip: `10.200.0.${host}`,
      role,
      cpus: role === 'control-plane' ? 4 : rng.pick([4, 8]),
      memKiB: role === 'control-plane' ? 16396452 : rng.pick([32867516, 65863808]),
      boot,
      containerdStart,
      kubeletStart: containerdStart + rng.int(8 * SEC, 20 * SEC),
      kubeletPid: rng.int(1100, 1700),
      containerdPid: rng.int(820, 1050),
      podCidr: `192.168.${i}.0/24`,
      mac: `00:50:56:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}`,
      ready: true,
    });
    host += rng.chance(0.3) ? rng.int(2, 4) : 1;
  }
  const controlPlanes = nodes.filter((n) => n.role === 'control-plane');
  const workers = nodes.filter((n) => n.role === 'worker');

  const podRng = rng.fork('pods');
  const nextIp = new Map<string, number>(nodes.map((n) => [n.name, podRng.int(2, 9)]));
  const allocIp = (node: Node): string => {
    const k = nextIp.get(node.name) as number;
    nextIp.set(node.name, k + podRng.int(1, 3));
    return `192.168.${node.index}.${k}`;
  };
  let netns = 4026532200 + podRng.int(0, 80);

  const makePod = (w: WorkloadDef, node: Node, name: string, createdAt: number, startedAt: number, images?: string[]): Pod => {
    const hostNetwork = w.hostNetwork === true;
    const restarted = createdAt < node.boot;
    return {
      namespace: w.namespace,
      name,
      uid: w.kind === 'Static' ? podRng.hex(32) : podRng.uuid(),
      workload: w,
      node: node.name,
      ip: hostNetwork ? node.ip : allocIp(node),
      hostNetwork,
      created: createdAt,
      started: startedAt,
      phase: w.kind === 'Job' ? 'Succeeded' : 'Running',
      sandboxId: podRng.hex(64),
      netns: hostNetwork ? 0 : (netns += podRng.int(1, 6)),
      containers: w.containers.map((c, ci) => {
        const image = images?.[ci] ?? c.image;
        return {
          name: c.name,
          image,
          imageId: imageId(image),
          id: podRng.hex(64),
          previousId: restarted && w.kind !== 'Job' ? podRng.hex(64) : undefined,
          started: startedAt + podRng.int(200_000, 2 * SEC),
          restarts: restarted && w.kind !== 'Job' ? 1 : 0,
          processes: c.processes,
        };
      }),
    };
  };

  // Pods in the order a rebooted node would start them: static pods, then daemon sets, then the rest.
  const defs = workloads(o);
  const pods: Pod[] = [];
  const worker = (i: number): Node => workers[i % workers.length];
  let spread = podRng.int(0, workers.length - 1);
  for (const w of defs) {
    if (w.kind === 'Static' || w.kind === 'DaemonSet') {
      const on = w.placement === 'control-plane' ? controlPlanes : w.placement === 'worker' ? workers : nodes;
      for (const node of on) {
        const name = w.kind === 'Static' ? `${w.name}-${node.name}` : `${w.name}-${podRng.k8sSuffix()}`;
        const createdAt = created + podRng.int(2 * MIN, 40 * MIN);
        const startedAt = node.kubeletStart + (w.kind === 'Static' ? podRng.int(2 * SEC, 6 * SEC) : podRng.int(20 * SEC, 45 * SEC));
        pods.push(makePod(w, node, name, createdAt, startedAt));
      }
      continue;
    }
    const hash = rsHash(podRng);
    const revisionAt = created + podRng.int(1 * HOUR, 30 * DAY);
    for (let r = 0; r < (w.replicas ?? 1); r++) {
      const node = worker(spread++);
      let name: string;
      let createdAt = revisionAt + podRng.int(0, 3 * MIN);
      if (w.kind === 'StatefulSet') name = `${w.name}-${r}`;
      else if (w.kind === 'Job') {
        createdAt = start - podRng.int(90 * MIN, 150 * MIN);
        name = `${w.name}-${Math.floor(createdAt / SEC / 60)}-${podRng.k8sSuffix()}`;
      } else name = `${w.name}-${hash}-${podRng.k8sSuffix()}`;
      const startedAt = w.kind === 'Job' ? createdAt + podRng.int(2 * SEC, 9 * SEC) : node.kubeletStart + podRng.int(50 * SEC, 110 * SEC);
      pods.push(makePod(w, node, name, createdAt, startedAt));
    }
  }

  // Rollouts: every old pod is replaced one by one by a pod of the new revision.
  const rolloutRng = rng.fork('rollouts');
  const specs: RolloutSpec[] = o.rollouts ?? defaultRollouts(rolloutRng, start, end);
  const pastPods: Pod[] = [];
  const rollouts: Rollout[] = [];
  for (const spec of specs) {
    const [ns, name] = spec.deployment.split('/');
    const w = defs.find((d) => d.namespace === ns && d.name === name && d.kind === 'Deployment');
    if (!w) throw new Error(`rollout of unknown deployment ${spec.deployment}`);
    const at = parseIso(spec.at);
    const old = pods.filter((p) => p.workload === w);
    const oldImage = old[0].containers[0].image;
    const newImage = bumpImage(oldImage);
    const hash = rsHash(rolloutRng);
    const fresh: Pod[] = [];
    let t = at;
    for (const p of old) {
      const node = worker(spread++);
      const delay = spec.pullBackOff && fresh.length === 0 ? rolloutRng.int(4 * MIN, 7 * MIN) : rolloutRng.int(6 * SEC, 14 * SEC);
      const np = makePod(w, node, `${w.name}-${hash}-${podRng.k8sSuffix()}`, t, t + rolloutRng.int(1 * SEC, 3 * SEC), w.containers.map(() => newImage));
      for (const c of np.containers) c.started = t + delay;
      fresh.push(np);
      p.deleted = t + delay + rolloutRng.int(1 * SEC, 4 * SEC);
      t = p.deleted + rolloutRng.int(2 * SEC, 8 * SEC);
    }
    for (const p of old) pods.splice(pods.indexOf(p), 1);
    pods.push(...fresh);
    pastPods.push(...old);
    rollouts.push({ deployment: spec.deployment, at, pullBackOff: spec.pullBackOff === true, oldPods: old, newPods: fresh, oldImage, newImage });
  }

  const svcRng = rng.fork('services');
  const usedIps = new Set<string>(['10.96.0.1', '10.96.0.10']);
  const clusterIp = (): string => {
    for (;;) {
      const ip = `10.96.${svcRng.int(0, 15)}.${svcRng.int(2, 254)}`;
      if (!usedIps.has(ip)) { usedIps.add(ip); return ip; }
    }
  };
  const svcCreated = (): number => created + svcRng.int(5 * MIN, 2 * DAY);
  const ingressVIP = `10.200.0.${svcRng.int(100, 110)}`;
  const services: Service[] = [
    { namespace: 'default', name: 'kubernetes', type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6444, protocol: 'TCP' }], created },
    { namespace: 'kube-system', name: 'kube-dns', type: 'ClusterIP', clusterIP: '10.96.0.10', selector: 'coredns', created: created + 3 * MIN, ports: [
      { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' },
      { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' },
    ] },
    { namespace: 'kube-system', name: 'metrics-server', type: 'ClusterIP', clusterIP: clusterIp(), selector: 'metrics-server', created: svcCreated(), ports: [{ port: 443, targetPort: 4443, protocol: 'TCP' }] },
    { namespace: 'kube-system', name: 'kube-state-metrics', type: 'ClusterIP', clusterIP: clusterIp(), selector: 'kube-state-metrics', created: svcCreated(), ports: [{ name: 'http-metrics', port: 8080, targetPort: 8080, protocol: 'TCP' }] },
    { namespace: 'gke-system', name: 'istio-ingress', type: 'LoadBalancer', clusterIP: clusterIp(), externalIP: ingressVIP, selector: 'istio-ingress', created: svcCreated(), ports: [
      { name: 'status-port', port: 15021, targetPort: 15021, protocol: 'TCP', nodePort: svcRng.int(30100, 32700) },
      { name: 'http2', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: svcRng.int(30100, 32700) },
      { name: 'https', port: 443, targetPort: 8443, protocol: 'TCP', nodePort: svcRng.int(30100, 32700) },
    ] },
    { namespace: 'shop', name: 'frontend', type: 'NodePort', clusterIP: clusterIp(), selector: 'frontend', created: svcCreated(), ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30080 }] },
    { namespace: 'shop', name: 'checkout', type: 'ClusterIP', clusterIP: clusterIp(), selector: 'checkout', created: svcCreated(), ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    { namespace: 'shop', name: 'payments-api', type: 'ClusterIP', clusterIP: clusterIp(), selector: 'payments-api', created: svcCreated(), ports: [{ name: 'https', port: 8443, targetPort: 8443, protocol: 'TCP' }] },
    { namespace: 'shop', name: 'cart', type: 'ClusterIP', clusterIP: clusterIp(), selector: 'cart', clientIPAffinity: true, created: svcCreated(), ports: [{ name: 'redis', port: 6379, targetPort: 6379, protocol: 'TCP' }] },
    { namespace: 'shop', name: 'catalog', type: 'ClusterIP', clusterIP: clusterIp(), selector: 'catalog', created: svcCreated(), ports: [{ name: 'http', port: 80, targetPort: 3000, protocol: 'TCP' }] },
    { namespace: 'shop', name: 'orders-db', type: 'ClusterIP', clusterIP: clusterIp(), selector: 'orders-db', created: svcCreated(), ports: [{ name: 'postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }] },
  ];

  return {
    seed: o.seed,
    name: o.name,
    namespace: `cluster-${o.name}`,
    anthosVersion: o.anthosVersion,
    kubernetesVersion: o.kubernetesVersion,
    kubeProxy: { ...o.kubeProxy },
    runcVersion: o.runcVersion,
    containerdVersion: o.containerdVersion,
    os,
    start,
    end,
    created,
    podCidr: '192.168.0.0/16',
    serviceCidr: '10.96.0.0/20',
    controlPlaneVIP: `10.200.0.${svcRng.int(50, 60)}`,
    ingressVIP,
    nodes,
    pods,
    pastPods,
    services,
    rollouts,
    project: `acme-${o.name.split('-')[0]}-ops`,
  };
}

/** Two rollouts at random times of the window, the first with a slow image pull. */
function defaultRollouts(rng: Rng, start: number, end: number): RolloutSpec[] {
  const candidates = ['shop/frontend', 'shop/catalog', 'shop/cart', 'shop/checkout'];
  const [a, b] = rng.shuffle(candidates);
  const span = end - start;
  const iso = (t: number): string => new Date(Math.floor(t / 1000)).toISOString();
  return [
    { deployment: a, at: iso(start + Math.floor(span * rng.real(0.2, 0.4))), pullBackOff: true },
    { deployment: b, at: iso(start + Math.floor(span * rng.real(0.55, 0.8))) },
  ];
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

export function nodeByName(c: Cluster, name: string): Node {
  const n = c.nodes.find((x) => x.name === name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
}

export function podsOn(c: Cluster, node: Node): Pod[] {
  return c.pods.filter((p) => p.node === node.name);
}

export function findPod(c: Cluster, namespace: string, workload: string, node?: Node): Pod {
  const p = c.pods.find((x) => x.namespace === namespace && x.workload.name === workload && (!node || x.node === node.name));
  if (!p) throw new Error(`no pod of ${namespace}/${workload}${node ? ` on ${node.name}` : ''}`);
  return p;
}

export function findService(c: Cluster, namespace: string, name: string): Service {
  const s = c.services.find((x) => x.namespace === namespace && x.name === name);
  if (!s) throw new Error(`no service ${namespace}/${name}`);
  return s;
}

/** Ready addresses behind a service at snapshot time (pod IPs, or control-plane node IPs). */
export function endpointAddresses(c: Cluster, s: Service): string[] {
  if (!s.selector) return c.nodes.filter((n) => n.role === 'control-plane').map((n) => n.ip);
  return c.pods
    .filter((p) => p.namespace === s.namespace && p.workload.name === s.selector && p.phase === 'Running')
    .filter((p) => nodeByName(c, p.node).ready)
    .map((p) => p.ip);
}

/** Process arguments with `{node}`, `{ip}` and `{cluster}` filled in. */
export function expandArgs(text: string, c: Cluster, node: Node): string {
  return text.replaceAll('{node}', node.name).replaceAll('{ip}', node.ip).replaceAll('{cluster}', c.name);
}

/** A real server as kube-proxy's graceful termination names it: `10.96.3.7:80/TCP/192.168.2.9:8080`. */
export interface RealServerRef {
  vip: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  rip: string;
  rport: number;
}

export function formatRs(r: RealServerRef): string {
  return `${r.vip}:${r.port}/${r.protocol}/${r.rip}:${r.rport}`;
}

/** Real servers a rollout removed: every (service port, old pod) pair of the deployment's services. */
export function removedRealServers(c: Cluster, r: Rollout): { at: number; rs: RealServerRef }[] {
  const [ns, name] = r.deployment.split('/');
  const out: { at: number; rs: RealServerRef }[] = [];
  for (const s of c.services.filter((x) => x.namespace === ns && x.selector === name)) {
    for (const p of r.oldPods) {
      for (const port of s.ports) {
        out.push({ at: p.deleted as number, rs: { vip: s.clusterIP, port: port.port, protocol: port.protocol, rip: p.ip, rport: port.targetPort } });
      }
    }
  }
  return out.sort((a, b) => a.at - b.at);
}
