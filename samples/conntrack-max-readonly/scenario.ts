/**
 * conntrack-max-readonly: the kind bootstrap cluster never comes up because its kube-proxy
 * crash-loops: on newer Ubuntu 20.04 kernels nf_conntrack_max is read-only outside the initial
 * network namespace (Anthos clusters on bare metal before 1.8.2, seed 002).
 *
 * Positive: the admin workstation of cluster hq-edge-2 (1.8.1, Ubuntu 20.04) is used to create a
 * second cluster, store-0412. The snapshot of hq-edge-2 is ordinary (its kube-proxy pods run on
 * the host network and set nf_conntrack_max without trouble); in the workspace, store-0412's
 * create attempt stopped while installing the bootstrap components. What bmctl kept of the
 * bootstrap cluster shows kube-proxy in CrashLoopBackOff after 7 restarts, its log ending with
 * `Set sysctl 'net/netfilter/nf_conntrack_max' to 393216` and
 * `F… server.go:495] open /proc/sys/net/netfilter/nf_conntrack_max: permission denied`.
 *
 * Negative: the same workstation and versions, a create that went through. The bootstrap
 * kube-proxy set nf_conntrack_max, then logged the harmless `sysfs is not writable` error of
 * a kind node (its /sys is mounted read-only, so the hash size stays) and carried on; every
 * bootstrap pod is Running.
 */
import { type Cluster, type ClusterOptions, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { klog } from '../lib/timeline.js';
import { type BootstrapPod, bmctlConsole, bootstrapPods, createAttemptDir, newCluster, newClusterConfigFile } from '../lib/noise/net-bmctl.js';
import { type ExtraFile, withFiles } from '../lib/noise/net-node.js';
import { snapshot } from '../lib/snapshot.js';

const BASE: Omit<ClusterOptions, 'seed' | 'name' | 'controlPlanes' | 'workers' | 'anthosVersion'> = {
  os: 'ubuntu-20.04',
  kubernetesVersion: 'v1.20.8-gke.1500',
  kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
  runcVersion: '1.0.0-rc93',
  containerdVersion: '1.4.6',
  start: '2024-06-24T14:00:00Z',
  hours: 5.5,
};

function existing(): Cluster {
  return buildCluster({ ...BASE, seed: 'hq-edge-2', name: 'hq-edge-2', controlPlanes: 1, workers: 2, anthosVersion: '1.8.1' });
}

function store(): Cluster {
  return newCluster({
    name: 'store-0412', anthosVersion: '1.8.1', base: BASE,
    controlPlanes: ['10.201.4.11'], workers: ['10.201.4.21', '10.201.4.22'],
    controlPlaneVIP: '10.201.4.50', ingressVIP: '10.201.4.100',
  });
}

/** 12 cores on the workstation: kube-proxy asks for 32768 per core. */
const WANTED = 393216;

/** The bootstrap cluster's kube-proxy log (`kubectl logs`, the current attempt). */
function kubeProxyLog(at: number, fails: boolean): string {
  const rng = new Rng(`bootstrap-kube-proxy/${fails}`);
  let t = at;
  const out: string[] = [];
  const k = (sev: 'I' | 'W' | 'E' | 'F', caller: string, msg: string, gap = rng.int(40, 4000)): void => { t += gap; out.push(klog(sev, t, 1, caller, msg)); };
  k('I', 'node.go:172', 'Successfully retrieved node IP: 172.18.0.2', 0);
  k('I', 'server_others.go:142', 'kube-proxy node IP is an IPv4 address (172.18.0.2), assume IPv4 operation');
  k('I', 'server_others.go:185', 'Using iptables Proxier.', rng.int(10_000, 30_000));
  k('I', 'server.go:650', 'Version: v1.20.5');
  k('I', 'conntrack.go:100', `Set sysctl 'net/netfilter/nf_conntrack_max' to ${WANTED}`, rng.int(1000, 2500));
  if (fails) {
    k('F', 'server.go:495', 'open /proc/sys/net/netfilter/nf_conntrack_max: permission denied', rng.int(50, 90));
    return `${out.join('\n')}\n`;
  }
  k('I', 'conntrack.go:52', `Setting nf_conntrack_max to ${WANTED}`);
  k('E', 'conntrack.go:127', 'sysfs is not writable: {Device:sysfs Path:/sys Type:sysfs Opts:[ro nosuid nodev noexec relatime] Freq:0 Pass:0} (mount options are [ro nosuid nodev noexec relatime])');
  k('I', 'conntrack.go:100', "Set sysctl 'net/netfilter/nf_conntrack_tcp_timeout_established' to 86400");
  k('I', 'conntrack.go:100', "Set sysctl 'net/netfilter/nf_conntrack_tcp_timeout_close_wait' to 3600");
  k('I', 'config.go:315', 'Starting service config controller');
  k('I', 'shared_informer.go:240', 'Waiting for caches to sync for service config');
  k('I', 'config.go:224', 'Starting endpoint slice config controller');
  k('I', 'shared_informer.go:240', 'Waiting for caches to sync for endpoint slice config');
  k('I', 'shared_informer.go:247', 'Caches are synced for endpoint slice config', rng.int(90_000, 110_000));
  k('I', 'shared_informer.go:247', 'Caches are synced for service config');
  for (const [svc, ip, port] of [['default/kubernetes:https', '10.96.0.1', '443/TCP'], ['kube-system/kube-dns:dns', '10.96.0.10', '53/UDP'], ['kube-system/kube-dns:dns-tcp', '10.96.0.10', '53/TCP'], ['kube-system/kube-dns:metrics', '10.96.0.10', '9153/TCP']]) {
    k('I', 'service.go:390', `Adding new service port "${svc}" at ${ip}:${port}`, rng.int(20, 200));
  }
  return `${out.join('\n')}\n`;
}

function pods(fails: boolean, age: string): BootstrapPod[] {
  const rng = new Rng(`bootstrap-pods/${fails}`);
  const sfx = (): string => rng.k8sSuffix();
  const rs = rng.k8sSuffix(9);
  const dns = (): BootstrapPod => ({ namespace: 'kube-system', name: `coredns-74ff55c5b-${sfx()}`, ready: fails ? '0/1' : '1/1', status: 'Running', restarts: 0, age, ip: `10.240.0.${rng.int(2, 6)}` });
  const stat = (name: string): BootstrapPod => ({ namespace: 'kube-system', name: `${name}-bmctl-control-plane`, ready: '1/1', status: 'Running', restarts: 0, age, ip: '172.18.0.2' });
  return [
    dns(), dns(),
    stat('etcd'),
    { namespace: 'kube-system', name: `kindnet-${sfx()}`, ready: '1/1', status: 'Running', restarts: 0, age, ip: '172.18.0.2' },
    stat('kube-apiserver'), stat('kube-controller-manager'),
    { namespace: 'kube-system', name: `kube-proxy-${sfx()}`, ready: fails ? '0/1' : '1/1', status: fails ? 'CrashLoopBackOff' : 'Running', restarts: fails ? 7 : 0, age, ip: '172.18.0.2' },
    stat('kube-scheduler'),
    { namespace: 'local-path-storage', name: `local-path-provisioner-${rs}-${sfx()}`, ready: '1/1', status: 'Running', restarts: 0, age, ip: '10.240.0.4' },
  ];
}

function build(fails: boolean): BundleSpec {
  const c = existing();
  const s = store();
  const at = c.end - 52 * MIN;
  const dir = createAttemptDir(s, at);
  const log = bmctlConsole(at, fails ? [
    [0, `bmctl create cluster -c ${s.name}`],
    [88 * SEC, 'Creating bootstrap cluster... OK'],
    [20 * MIN + 6 * SEC, 'Installing dependency components... failed'],
    [1 * SEC, 'Error creating cluster: failed to install dependency components: error waiting for the bootstrap cluster to be ready: timed out waiting for the condition'],
    [400_000, `Please check the logs at ${dir}`],
  ] : [
    [0, `bmctl create cluster -c ${s.name}`],
    [88 * SEC, 'Creating bootstrap cluster... OK'],
    [104 * SEC, 'Installing dependency components... OK'],
    [212 * SEC, 'Waiting for preflight check job to finish... OK'],
    [8 * SEC, '- Validation Category: machines and network'],
    ...s.nodes.map((n): [number, string] => [30_000, `\t- [PASSED] ${n.ip}`]),
    [40_000, '\t- [PASSED] node-network'],
    [2 * SEC, 'Flushing logs... OK'],
    [1 * SEC, 'Applying resources for new cluster'],
    [21 * SEC, 'Applying resources for new cluster... OK'],
    [3 * MIN + 9 * SEC, 'Waiting for cluster kubeconfig to become ready OK'],
    [7 * MIN + 2 * SEC, 'Waiting for cluster to become ready OK'],
  ]);
  const podList = pods(fails, fails ? '21m' : '14m');
  const proxy = podList.find((p) => p.name.startsWith('kube-proxy-')) as BootstrapPod;
  const proxyStart = fails ? at + 20 * MIN + 11 * SEC : at + 95 * SEC;
  const files: ExtraFile[] = [
    newClusterConfigFile(s),
    { path: `${dir}/create-cluster.log`, content: log },
    { path: `${dir}/bootstrap-cluster/kubectl get pods -A -o wide`, content: bootstrapPods(podList) },
    { path: `${dir}/bootstrap-cluster/kube-system/${proxy.name}/kube-proxy.log`, content: kubeProxyLog(proxyStart, fails) },
  ];
  return withFiles(c, snapshot(c, { style: 'underscores' }), files);
}

export const scenario: Scenario = { id: 'conntrack-max-readonly', positive: () => build(true), negative: () => build(false) };
export default scenario;
