/**
 * selinux-tmpfs-label: pod creation fails because SELinux will not let the container runtime
 * label a tmpfs volume, a kernel bug of RHEL / CentOS before 8.3 (seed 002).
 *
 * Positive: cluster claims-ctr-1 (RHEL 8.2, kernel 4.18.0-193, SELinux enforcing, containerd).
 * A rollout of shop/catalog 75 minutes before the snapshot schedules a new pod on one worker. Its
 * sandbox starts, but every attempt to create the container fails: containerd cannot relabel the
 * pod's service-account token volume (`error setting label on mount source
 * '/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~secret/default-token-…': failed to set file
 * label on …: permission denied`), the kubelet retries with back-off and reports
 * CreateContainerError, and `ausearch -m avc` on the node holds one `avc: denied { associate }
 * … comm="containerd" … dev="tmpfs" … tclass=filesystem` per attempt.
 *
 * Negative: the same cluster and OS with SELinux enforcing; its audit log holds the denials an
 * enforcing node collects anyway (node_exporter reading /proc, fluent-bit walking a directory),
 * and the kubelet logged one unrelated volume error (a secret that did not exist yet). No pod
 * fails to be labelled.
 */
import { type Cluster, type ClusterOptions, type Node, buildCluster, findPod, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, ctime } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { containerdJournal, logrus } from '../lib/noise/containerd.js';
import { type EventRow, type GhostPod, addFiles, eventsFiles, ghostPod, ghostRef, nodeCommandPath, useOsRelease, withPodRows } from '../lib/noise/dpv2node-bundle.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { type NameStyle, snapshot } from '../lib/snapshot.js';

const STYLE: NameStyle = 'spaces';

const RHEL_82 = { prettyName: 'Red Hat Enterprise Linux 8.2 (Ootpa)', versionId: '8.2', kernel: '4.18.0-193.el8.x86_64', kernelBuild: '#1 SMP Fri Mar 27 14:35:58 UTC 2020' };

function cluster(): { c: Cluster; osRelease: string } {
  const options: ClusterOptions = {
    seed: 'claims-ctr-1',
    name: 'claims-ctr-1',
    controlPlanes: 1,
    workers: 3,
    os: 'rhel-8.4',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-09-10T06:00:00Z',
    hours: 5,
    rollouts: [],
  };
  const c = buildCluster(options);
  return { c, osRelease: useOsRelease(c, RHEL_82) };
}

/** `type=… msg=audit(<epoch>.<ms>:<serial>): …`. */
function stamp(t: number, serial: number): string {
  const ms = Math.floor(t / 1000);
  return `audit(${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}:${serial})`;
}

/** One `ausearch -m avc` event: separator, time, PROCTITLE, SYSCALL and the AVC record. */
function ausearchEvent(t: number, serial: number, syscall: string, avc: string): string[] {
  return [
    '----',
    `time->${ctime(t)}`,
    `type=PROCTITLE msg=${stamp(t, serial)}: proctitle=2F7573722F62696E2F636F6E7461696E657264`,
    `type=SYSCALL msg=${stamp(t, serial)}: ${syscall}`,
    `type=AVC msg=${stamp(t, serial)}: ${avc}`,
  ];
}

/** Denials an enforcing node collects anyway: node_exporter and fluent-bit being nosy. */
function routineDenials(c: Cluster, node: Node): { t: number; lines: string[] }[] {
  const rng = new Rng(`${c.seed}/avc-routine/${node.name}`);
  const out: { t: number; lines: string[] }[] = [];
  for (let t = c.start + rng.int(10 * MIN, 40 * MIN); t < c.end; t += rng.int(50 * MIN, 110 * MIN)) {
    const serial = rng.int(2000, 9000);
    if (rng.chance(0.5)) {
      const pid = rng.int(2000, 9000);
      out.push({ t, lines: ausearchEvent(t, serial,
        `arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=c0002b6a80 a2=80000 a3=0 items=0 ppid=${pid - 12} pid=${pid} auid=4294967295 uid=65534 gid=65534 euid=65534 suid=65534 fsuid=65534 egid=65534 sgid=65534 fsgid=65534 tty=(none) ses=4294967295 comm="node_exporter" exe="/bin/node_exporter" subj=system_u:system_r:container_t:s0:c114,c877 key=(null)`,
        `avc:  denied  { read } for  pid=${pid} comm="node_exporter" name="stat" dev="proc" ino=${rng.int(4026531000, 4026539999)} scontext=system_u:system_r:container_t:s0:c114,c877 tcontext=system_u:system_r:kernel_t:s0 tclass=file permissive=0`) });
    } else {
      const pid = rng.int(2000, 9000);
      out.push({ t, lines: ausearchEvent(t, serial,
        `arch=c000003e syscall=262 success=no exit=-13 a0=ffffff9c a1=7f3a1c0015e0 a2=7f3a2bffe8d0 a3=100 items=0 ppid=${pid - 3} pid=${pid} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="fluent-bit" exe="/fluent-bit/bin/fluent-bit" subj=system_u:system_r:container_t:s0:c301,c562 key=(null)`,
        `avc:  denied  { getattr } for  pid=${pid} comm="fluent-bit" path="/var/log/audit" dev="dm-0" ino=${rng.int(100000, 900000)} scontext=system_u:system_r:container_t:s0:c301,c562 tcontext=system_u:object_r:auditd_log_t:s0 tclass=dir permissive=0`) });
    }
  }
  return out;
}

function ausearch(events: { t: number; lines: string[] }[]): string {
  const sorted = events.slice().sort((a, b) => a.t - b.t);
  return sorted.length ? `${sorted.flatMap((e) => e.lines).join('\n')}\n` : '<no matches>\n';
}

interface Failure {
  pod: GhostPod;
  sandboxId: string;
  volume: string;
  attempts: number[];
}

/** The new catalog pod of the rollout and the times the kubelet tried to create its container. */
function failure(c: Cluster, node: Node, from: number): Failure {
  const rng = new Rng(`${c.seed}/label-failure`);
  const base = findPod(c, 'shop', 'catalog');
  const pod = ghostPod(c, base, node, from, { ready: '0/1', status: 'CreateContainerError' }, `192.168.${node.index}.${rng.int(180, 199)}`);
  const attempts: number[] = [];
  // The kubelet's back-off: 10 s doubling to 5 min.
  let t = from + rng.int(3 * SEC, 6 * SEC);
  for (let delay = 10 * SEC; t < c.end - 5 * SEC; delay = Math.min(delay * 2, 5 * MIN)) {
    attempts.push(t);
    t += delay + rng.int(500_000, 3 * SEC);
  }
  return { pod, sandboxId: rng.hex(64), volume: `default-token-${rng.k8sSuffix()}`, attempts };
}

function labelError(f: Failure): string {
  const path = `/var/lib/kubelet/pods/${f.pod.uid}/volumes/kubernetes.io~secret/${f.volume}`;
  return `failed to create containerd container: error setting label on mount source '${path}': failed to set file label on ${path}: permission denied`;
}

function records(c: Cluster, node: Node, f: Failure): { kubelet: Rec[]; containerd: Rec[]; avc: { t: number; lines: string[] }[]; events: EventRow[] } {
  const rng = new Rng(`${c.seed}/label-records`);
  const kubelet: Rec[] = [];
  const containerd: Rec[] = [];
  const avc: { t: number; lines: string[] }[] = [];
  const err = labelError(f);
  const ref = ghostRef(f.pod);
  const image = 'us-docker.pkg.dev/acme-retail/shop/catalog:3.8.2';
  const first = f.attempts[0];
  kubelet.push({ t: first - 2 * SEC, text: klog('I', first - 2 * SEC, node.kubeletPid, 'kubelet.go:1920', `SyncLoop (ADD, "api"): "${ref}"`) });
  kubelet.push({ t: first - 1 * SEC, text: klog('I', first - 1 * SEC, node.kubeletPid, 'kuberuntime_manager.go:439', `No sandbox for pod "${ref}" can be found. Need to start a new one`) });
  let serial = rng.int(9000, 9900);
  f.attempts.forEach((t, i) => {
    const meta = `&ContainerMetadata{Name:catalog,Attempt:0,}`;
    containerd.push({ t, text: logrus(t, 'info', `CreateContainer within sandbox "${f.sandboxId}" for container ${meta}`, '', rng.int(0, 999)) });
    const a = t + rng.int(4000, 20_000);
    const pid = node.containerdPid;
    avc.push({ t: a, lines: ausearchEvent(a, serial++,
      `arch=c000003e syscall=188 success=no exit=-13 a0=c000d2a3c0 a1=c0003e5b00 a2=c0010c6a20 a3=2c items=0 ppid=1 pid=${pid} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="containerd" exe="/usr/bin/containerd" subj=system_u:system_r:container_runtime_t:s0 key=(null)`,
      `avc:  denied  { associate } for  pid=${pid} comm="containerd" name="/" dev="tmpfs" ino=${rng.int(150000, 200000)} scontext=system_u:object_r:container_file_t:s0:c61,c201 tcontext=system_u:object_r:locale_t:s0 tclass=filesystem permissive=0`) });
    containerd.push({ t: a + 300, text: logrus(a + 300, 'error', `CreateContainer within sandbox "${f.sandboxId}" for ${meta} failed`, `error="${err}"`, rng.int(0, 999)) });
    const k = a + rng.int(600, 2000);
    kubelet.push({ t: k, text: klog('E', k, node.kubeletPid, 'remote_runtime.go:228', `CreateContainer in sandbox "${f.sandboxId}" from runtime service failed: rpc error: code = Unknown desc = ${err}`) });
    kubelet.push({ t: k + 90, text: klog('E', k + 90, node.kubeletPid, 'kuberuntime_manager.go:841', `container &Container{Name:catalog,Image:${image},Command:[],Args:[],WorkingDir:,Ports:[]ContainerPort{ContainerPort{Name:,HostPort:0,ContainerPort:3000,Protocol:TCP,HostIP:,},},} start failed in pod ${ref}: CreateContainerError: ${err}`) });
    kubelet.push({ t: k + 160, text: klog('E', k + 160, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${f.pod.uid} ("${ref}"), skipping: failed to "StartContainer" for "catalog" with CreateContainerError: "${err}"`) });
    if (i > 0) kubelet.push({ t: k + 400, text: klog('E', k + 400, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${f.pod.uid} ("${ref}"), skipping: failed to "StartContainer" for "catalog" with CreateContainerError: "${err}"`) });
  });
  const events: EventRow[] = [
    { t: first - 3 * SEC, namespace: 'shop', type: 'Normal', reason: 'Scheduled', object: `pod/${f.pod.name}`, message: `Successfully assigned shop/${f.pod.name} to ${node.name}` },
    { t: first - 2 * SEC, namespace: 'shop', type: 'Normal', reason: 'Pulled', object: `pod/${f.pod.name}`, message: `Container image "${image}" already present on machine` },
    { t: f.attempts[f.attempts.length - 1] + SEC, namespace: 'shop', type: 'Warning', reason: 'Failed', object: `pod/${f.pod.name}`, message: `Error: ${err}` },
  ];
  return { kubelet, containerd, avc, events };
}

function positive(): BundleSpec {
  const { c, osRelease } = cluster();
  const node = nodeByName(c, findPod(c, 'shop', 'catalog').node);
  const f = failure(c, node, c.end - 75 * MIN);
  const r = records(c, node, f);
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      files.osRelease = osRelease;
      if (n !== node) return;
      files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(r.kubelet)] });
      files.containerdJournal = containerdJournal(c, n, { extra: [fixed(r.containerd)] });
    },
  });
  const extra = c.nodes.flatMap((n) => [
    { path: nodeCommandPath(n, 'getenforce', STYLE), content: 'Enforcing\n' },
    { path: nodeCommandPath(n, 'ausearch -m avc', STYLE), content: ausearch([...routineDenials(c, n), ...(n === node ? r.avc : [])]) },
  ]);
  return addFiles(withPodRows(spec, c, new Map(), [f.pod]), c, [...extra, ...eventsFiles(c, STYLE, r.events)]);
}

function negative(): BundleSpec {
  const { c, osRelease } = cluster();
  const node = nodeByName(c, findPod(c, 'shop', 'catalog').node);
  const rng = new Rng(`${c.seed}/missing-secret`);
  const pod = findPod(c, 'shop', 'catalog', node);
  const t = pod.started - rng.int(2 * SEC, 5 * SEC);
  const missing: Rec = { t, text: klog('E', t, node.kubeletPid, 'nestedpendingoperations.go:301', `Operation for "{volumeName:kubernetes.io/secret/${pod.uid}-catalog-tls podName:${pod.uid} nodeName:}" failed. No retries permitted until ${new Date(Math.floor((t + 500_000) / 1000)).toISOString().replace('T', ' ').replace('Z', '')} +0000 UTC m=+${((t - node.kubeletStart) / SEC + 0.5).toFixed(6)} (durationBeforeRetry 500ms). Error: "MountVolume.SetUp failed for volume \\"catalog-tls\\" (UniqueName: \\"kubernetes.io/secret/${pod.uid}-catalog-tls\\") pod \\"${pod.name}\\" (UID: \\"${pod.uid}\\") : secret \\"catalog-tls\\" not found"`) };
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      files.osRelease = osRelease;
      if (n === node) files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed([missing])] });
    },
  });
  const extra = c.nodes.flatMap((n) => [
    { path: nodeCommandPath(n, 'getenforce', STYLE), content: 'Enforcing\n' },
    { path: nodeCommandPath(n, 'ausearch -m avc', STYLE), content: ausearch(routineDenials(c, n)) },
  ]);
  return addFiles(spec, c, extra);
}

export const scenario: Scenario = { id: 'selinux-tmpfs-label', positive, negative };
export default scenario;
