/**
 * dpv2-nfs-hang: NFS mounts reached through a ClusterIP Service hang on Dataplane V2, whose
 * socket-level Service translation (kube-proxy replacement) breaks the kernel NFS client's
 * reconnect; processes block in D state and pods cannot terminate (seed 000).
 *
 * Positive: user cluster vmw-user-3 (GKE on VMware style, Dataplane V2: anetd with
 * kube-proxy-replacement strict, no kube-proxy). An in-cluster NFS server (storage/nfs-server-0)
 * serves an RWX volume through the ClusterIP Service storage/nfs-server; the catalog pods on one
 * worker mount it. 95 minutes before the snapshot the server's connection was reset and the
 * node's NFS client never got it back: the kernel logs `nfs: server 10.96.x.y not responding,
 * still trying` (and hung-task warnings) with no `OK` after, `tar`, `df` and the kubelet's
 * `umount` are stuck in D state on rpc/nfs wait channels, and the two catalog pods, deleted an
 * hour ago, are still Terminating. cilium-config says `kube-proxy-replacement: strict`.
 *
 * Negative: the same cluster and configuration. The NFS server pod was rescheduled three hours
 * before the snapshot: the client logged `not responding, still trying` for a minute, then `nfs:
 * server 10.96.x.y OK`; nothing is blocked and no pod is stuck.
 */
import { type Cluster, type ClusterOptions, type Node, type Pod, type Service, type WorkloadDef, buildCluster, findPod, nodeByName } from '../lib/cluster.js';
import type { BundleSpec, LineGenerator } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { type PodRow, addFiles, addPod, kubectlPath, mapLines, withPodRows } from '../lib/noise/dpv2node-bundle.js';
import { mount } from '../lib/noise/host.js';
import { dmesg, kernelJournal } from '../lib/noise/kernel.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { type ProcSpec, containerKey, podCgroup, processTable, psEdf, psTree } from '../lib/noise/ps.js';
import { type NameStyle, snapshot } from '../lib/snapshot.js';

const STYLE: NameStyle = 'spaces';
const NFS_IP = '10.96.7.31';

const NFS_SERVER: WorkloadDef = {
  namespace: 'storage', name: 'nfs-server', kind: 'StatefulSet', replicas: 1, placement: 'worker',
  containers: [{ name: 'nfs-server', image: 'k8s.gcr.io/volume-nfs:0.8', port: 2049, processes: [{
    comm: 'run_nfs.sh', user: 'root', rssKiB: 3120, wchan: 'do_wait', args: '/bin/bash /usr/local/bin/run_nfs.sh /exports',
    children: [{ comm: 'rpc.mountd', user: 'root', rssKiB: 2480, wchan: 'do_select', args: '/usr/sbin/rpc.mountd -N 2 -V 3' }],
  }] }],
};

interface Model {
  c: Cluster;
  /** Worker whose catalog pods mount the volume. */
  node: Node;
  catalog: Pod[];
  server: Pod;
}

function model(): Model {
  const options: ClusterOptions = {
    seed: 'vmw-user-3',
    name: 'vmw-user-3',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.15.1',
    kubernetesVersion: 'v1.26.2-gke.1001',
    kubeProxy: { version: 'v1.26.2-gke.1001', mode: 'iptables' },
    runcVersion: '1.1.4',
    containerdVersion: '1.6.18',
    start: '2024-12-03T05:00:00Z',
    hours: 5,
    rollouts: [],
  };
  const c = buildCluster(options);
  // Dataplane V2 replaces kube-proxy: no kube-proxy pods.
  c.pods = c.pods.filter((p) => p.workload.name !== 'kube-proxy');
  const node = nodeByName(c, findPod(c, 'shop', 'catalog').node);
  const other = c.nodes.find((n) => n.role === 'worker' && n !== node) as Node;
  const server = addPod(c, NFS_SERVER, other, 'nfs-server-0');
  const svc: Service = { namespace: 'storage', name: 'nfs-server', type: 'ClusterIP', clusterIP: NFS_IP, selector: 'nfs-server', created: c.created + 3 * HOUR, ports: [
    { name: 'nfs', port: 2049, targetPort: 2049, protocol: 'TCP' },
    { name: 'mountd', port: 20048, targetPort: 20048, protocol: 'TCP' },
    { name: 'rpcbind', port: 111, targetPort: 111, protocol: 'TCP' },
  ] };
  c.services.push(svc);
  const catalog = c.pods.filter((p) => p.workload.name === 'catalog' && p.node === node.name);
  return { c, node, catalog, server };
}

function volumePath(p: Pod): string {
  return `/var/lib/kubelet/pods/${p.uid}/volumes/kubernetes.io~nfs/shared-media`;
}

/** The node's mounts with the catalog pods' NFS volumes. */
function nfsMounts(m: Model): string {
  const out: string[] = [];
  const gen = mapLines(mount(m.c, m.node), (l) => l);
  if (typeof gen === 'function') for (const l of gen()) out.push(l);
  for (const p of m.catalog) {
    out.push(`${NFS_IP}:/exports on ${volumePath(p)} type nfs4 (rw,relatime,vers=4.1,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=${m.node.ip},local_lock=none,addr=${NFS_IP})`);
  }
  return `${out.join('\n')}\n`;
}

/** anetd as Dataplane V2 runs it on GKE on VMware: kube-proxy replacement strict. */
function strictAnetd(c: Cluster, p: Pod, container: string): LineGenerator {
  return mapLines(podLog(c, p, container), (l) => l.replace("--kube-proxy-replacement='partial'", "--kube-proxy-replacement='strict'")) as LineGenerator;
}

const CILIUM_CONFIG = (c: Cluster): string => `apiVersion: v1
data:
  auto-direct-node-routes: "false"
  bpf-lb-mode: snat
  cluster-name: default
  enable-endpoint-routes: "true"
  enable-host-reachable-services: "true"
  enable-ipv4: "true"
  enable-ipv6: "false"
  enable-policy: default
  ipam: kubernetes
  ipv4-native-routing-cidr: ${c.podCidr}
  kube-proxy-replacement: strict
  kube-proxy-replacement-healthz-bind-address: 0.0.0.0:10256
  native-routing-cidr: ${c.podCidr}
  retry-kube-proxy-healthz-binding: "true"
  tunnel: geneve
kind: ConfigMap
metadata:
  creationTimestamp: "${new Date(Math.floor(c.created / 1000)).toISOString().replace(/\.\d+Z$/, 'Z')}"
  labels:
    addonmanager.kubernetes.io/mode: Reconcile
  name: cilium-config
  namespace: kube-system
  resourceVersion: "1184"
  uid: 7c1b2a9e-3f4d-4e5a-9b6c-0d1e2f3a4b5c
`;

/** The kernel NFS client losing its server at `at`; `back` µs later it recovers, or never. */
function nfsKernel(m: Model, at: number, back: number | undefined, blocked: { comm: string; pid: number }[]): Rec[] {
  const rng = new Rng(`${m.c.seed}/nfs-kernel/${at}`);
  const out: Rec[] = [];
  const end = back === undefined ? m.c.end : at + back;
  for (let t = at, i = 0; t < end; t += rng.int(3 * MIN, 12 * MIN), i++) {
    const n = i === 0 ? m.catalog.length : 1;
    for (let k = 0; k < n; k++) out.push({ t: t + k * 40, text: `nfs: server ${NFS_IP} not responding, still trying` });
    if (back !== undefined) break;
  }
  if (back !== undefined) {
    for (let k = 0; k < m.catalog.length; k++) out.push({ t: at + back + k * 30, text: `nfs: server ${NFS_IP} OK` });
    return out;
  }
  // The hung-task watchdog names the blocked tasks after 120 s, then every 2 minutes for 10 reports.
  let t = at + 121 * SEC + rng.int(0, 2 * SEC);
  for (const b of blocked) {
    out.push({ t, text: `INFO: task ${b.comm}:${b.pid} blocked for more than 120 seconds.` });
    out.push({ t: t + 20, text: '      Not tainted 5.8.0-63-generic #71~20.04.1-Ubuntu' });
    out.push({ t: t + 40, text: '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.' });
    t += rng.int(2 * MIN, 4 * MIN);
  }
  return out;
}

/** Processes blocked on the dead mount: a backup tar and a df in a catalog pod, the kubelet's umount. */
function blockedProcs(m: Model, at: number): ProcSpec[] {
  const [a, b] = m.catalog;
  const ct = a.containers[0];
  const out: ProcSpec[] = [
    { key: 'nfs:tar', parent: containerKey(ct.id), start: at - 4 * MIN, user: '1000', comm: 'tar', args: 'tar czf /shared/media/backup/thumbs-20241203.tgz /shared/media/thumbs', stat: 'D', wchan: 'rpc_wait_bit_killable', netns: a.netns, cgroup: podCgroup(a, ct.id), rssKiB: 2980, vszKiB: 11560, load: 0.001 },
    { key: 'nfs:df', parent: containerKey(ct.id), start: at + 7 * MIN, user: '1000', comm: 'df', args: 'df -h /shared/media', stat: 'D', wchan: 'nfs4_wait_clnt_recover', netns: a.netns, cgroup: podCgroup(a, ct.id), rssKiB: 712, vszKiB: 5484, load: 0 },
    { key: 'nfs:umount', parent: 'kubelet', start: m.c.end - 58 * MIN, user: 'root', comm: 'umount', args: `umount ${volumePath(a)}`, stat: 'D', wchan: 'rpc_wait_bit_killable', netns: 4026531992, cgroup: '/system.slice/kubelet.service', rssKiB: 1096, vszKiB: 7220, load: 0 },
  ];
  if (b) out.push({ key: 'nfs:umount2', parent: 'kubelet', start: m.c.end - 57 * MIN, user: 'root', comm: 'umount', args: `umount ${volumePath(b)}`, stat: 'D', wchan: 'nfs_wait_bit_killable', netns: 4026531992, cgroup: '/system.slice/kubelet.service', rssKiB: 1100, vszKiB: 7220, load: 0 });
  return out;
}

/** PIDs the node's process table gives the blocked processes, for the hung-task warnings. */
function blockedPids(m: Model, procs: ProcSpec[], keys: string[]): { comm: string; pid: number }[] {
  type P = ReturnType<typeof processTable>[number];
  const found = new Map<string, P>();
  const visit = (ps: P[]): void => { for (const p of ps) { found.set(p.key, p); visit(p.children); } };
  visit(processTable(m.c, m.node, { extra: procs }));
  return keys.map((k) => found.get(k)).filter((p): p is P => !!p).map((p) => ({ comm: p.comm, pid: p.pid }));
}

/** The kubelet failing to tear the deleted pods' volumes down. */
function kubeletStuck(m: Model, deletedAt: number): Rec[] {
  const rng = new Rng(`${m.c.seed}/nfs-kubelet`);
  const out: Rec[] = [];
  const pid = m.node.kubeletPid;
  for (const p of m.catalog) {
    const ref = `${p.name}_${p.namespace}(${p.uid})`;
    out.push({ t: deletedAt, text: klog('I', deletedAt, pid, 'kubelet.go:1936', `SyncLoop (DELETE, "api"): "${ref}"`) });
    out.push({ t: deletedAt + 400, text: klog('I', deletedAt + 400, pid, 'kuberuntime_container.go:635', `Killing container "containerd://${p.containers[0].id}" with a 30 second grace period`) });
    const k = deletedAt + 2 * MIN + rng.int(0, 5 * SEC);
    out.push({ t: k, text: klog('E', k, pid, 'remote_runtime.go:276', `StopContainer "${p.containers[0].id}" from runtime service failed: rpc error: code = DeadlineExceeded desc = context deadline exceeded`) });
    for (let t = k + 2 * MIN; t < m.c.end; t += rng.int(2 * MIN + 10 * SEC, 2 * MIN + 40 * SEC)) {
      out.push({ t, text: klog('E', t, pid, 'nestedpendingoperations.go:301', `Operation for "{volumeName:kubernetes.io/nfs/${p.uid}-shared-media podName:${p.uid} nodeName:}" failed. No retries permitted until ${new Date(Math.floor((t + 2 * MIN + 2 * SEC) / 1000)).toISOString().replace('T', ' ').replace('Z', '')} +0000 UTC (durationBeforeRetry 2m2s). Error: "UnmountVolume.TearDown failed for volume \\"shared-media\\" (UniqueName: \\"kubernetes.io/nfs/${p.uid}-shared-media\\") pod \\"${p.uid}\\" (UID: \\"${p.uid}\\") : unmount failed: signal: killed\\nUnmounting arguments: ${volumePath(p)}\\nOutput: \\n"`) });
    }
  }
  return out;
}

function build(m: Model, o: { hangAt?: number; blipAt?: number }): BundleSpec {
  const { c, node } = m;
  const rows = new Map<string, PodRow>();
  const procs = o.hangAt === undefined ? [] : blockedProcs(m, o.hangAt);
  const deletedAt = c.end - 60 * MIN;
  let kernel: Rec[] = [];
  let kubelet: Rec[] = [];
  if (o.hangAt !== undefined) {
    kernel = nfsKernel(m, o.hangAt, undefined, blockedPids(m, procs, ['nfs:tar', 'nfs:df']));
    kubelet = kubeletStuck(m, deletedAt);
    for (const p of m.catalog) rows.set(`${p.namespace}/${p.name}`, { ready: '0/1', status: 'Terminating' });
  } else if (o.blipAt !== undefined) {
    kernel = nfsKernel(m, o.blipAt, 55 * SEC, []);
  }
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      if (n !== node) return;
      files.mount = nfsMounts(m);
      if (procs.length) {
        files.psEdf = psEdf(c, n, { extra: procs });
        files.psTree = psTree(c, n, { extra: procs });
      }
      files.dmesg = dmesg(c, n, { extra: [fixed(kernel)] });
      files.kernelJournal = kernelJournal(c, n, { extra: [fixed(kernel)] });
      if (kubelet.length) files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(kubelet)] });
    },
    podLog: (p, container) => (p.workload.name === 'anetd' ? strictAnetd(c, p, container) : undefined),
  });
  return addFiles(withPodRows(spec, c, rows), c, [{ path: kubectlPath(STYLE, 'kubectl get cm cilium-config -o yaml', 'kube-system'), content: CILIUM_CONFIG(c) }]);
}

function positive(): BundleSpec {
  const m = model();
  return build(m, { hangAt: m.c.end - 95 * MIN });
}

function negative(): BundleSpec {
  const m = model();
  return build(m, { blipAt: m.c.end - 3 * HOUR });
}

export const scenario: Scenario = { id: 'dpv2-nfs-hang', positive, negative };
export default scenario;
