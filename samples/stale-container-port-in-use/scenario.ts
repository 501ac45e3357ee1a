/**
 * stale-container-port-in-use: a container crash-loops on `bind: Address already in use` because
 * a copy of it that Docker lost track of still listens on the port in the pod's network
 * namespace (seed 003).
 *
 * Positive: cluster store-dock-2 (Ubuntu 20.04, Docker 18.06 with dockershim, Anthos clusters on
 * bare metal 1.6.2). Two hours before the snapshot dockerd panicked on one worker and systemd
 * restarted it; on restart it did not load the cart pod's redis container, whose
 * docker-containerd-shim (re-parented to PID 1) and redis-server kept running and kept port 6379.
 * The kubelet, told by Docker that the container was gone, started new attempts; each one logs
 * `Could not create server TCP listening socket *:6379: bind: Address already in use` and exits,
 * and the pod is in CrashLoopBackOff. `ps -edF` shows the shim with the lost container's id, which
 * `docker ps -a --no-trunc` does not list.
 *
 * Negative: the same cluster and the same dockerd restart, but Docker reloaded every container.
 * node-exporter (host network) was restarted during the outage and its new process first found
 * 127.0.0.1:9100 still held by the old one (`listen tcp 127.0.0.1:9100: bind: address already in
 * use`) before it started; every shim's container is in `docker ps`.
 */
import { type Cluster, type ClusterOptions, type Node, type Pod, buildCluster, findPod, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC, isoSeconds } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { type ExtraFile, addFiles, nodeCommandPath, withPodRows } from '../lib/noise/dpv2node-bundle.js';
import { type DockerRow, dockerJournal, dockerLogrus, dockerPsEdf, dockerPsNoTrunc, dockerPsTree, dockerRuntimeFiles, startupLines } from '../lib/noise/dpv2node-docker.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { podRef } from '../lib/noise/lifecycle.js';
import { type NameStyle, snapshot } from '../lib/snapshot.js';

const STYLE: NameStyle = 'spaces';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'store-dock-2',
    name: 'store-dock-2',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.6.2',
    kubernetesVersion: 'v1.18.6-gke.6600',
    kubeProxy: { version: 'v1.18.6-gke.6600', mode: 'iptables' },
    runcVersion: '1.0.0-rc5+dev',
    containerdVersion: '1.1.2',
    start: '2024-11-05T04:00:00Z',
    hours: 6,
    rollouts: [],
  };
  return buildCluster(options);
}

/** dockerd's panic, systemd's restart and the new daemon's start-up, at `at`. */
function dockerCrash(at: number, lost: string | undefined): Rec[] {
  const out: Rec[] = [];
  let t = at;
  out.push({ t, text: 'panic: runtime error: invalid memory address or nil pointer dereference' });
  out.push({ t: t + 40, text: '[signal SIGSEGV: segmentation violation code=0x1 addr=0x38 pc=0x55d1b1c3e6a4]' });
  out.push({ t: t + 80, text: 'goroutine 18311 [running]:' });
  out.push({ t: t + 120, text: 'github.com/docker/docker/daemon.(*Daemon).ProcessEvent(0xc4203f2a00, 0xc4212a6c80, 0x40, 0x55d1b2a3c1f0, 0x4, 0xc421b05c00, 0x40, 0xc421b05c40, 0x40, 0x1770, ...)' });
  t += 400_000;
  out.push({ t, ident: 'systemd', pid: 1, text: 'docker.service: Main process exited, code=exited, status=2/INVALIDARGUMENT' });
  out.push({ t: t + 300, ident: 'systemd', pid: 1, text: "docker.service: Failed with result 'exit-code'." });
  t += 2 * SEC;
  out.push({ t, ident: 'systemd', pid: 1, text: 'docker.service: Service hold-off time over, scheduling restart.' });
  out.push({ t: t + 200, ident: 'systemd', pid: 1, text: 'docker.service: Scheduled restart job, restart counter is at 1.' });
  out.push({ t: t + 500, ident: 'systemd', pid: 1, text: 'Starting Docker Application Container Engine...' });
  for (const [level, msg] of startupLines()) {
    t += 150_000;
    out.push({ t, text: dockerLogrus(t, level, msg) });
    if (msg === 'Loading containers: start.' && lost) {
      t += 90_000;
      out.push({ t, text: dockerLogrus(t, 'error', `Failed to load container ${lost}: open /var/lib/docker/containers/${lost}/config.v2.json: no such file or directory`) });
    }
  }
  out.push({ t: t + 900, ident: 'systemd', pid: 1, text: 'Started Docker Application Container Engine.' });
  return out;
}

/** The kubelet losing Docker while it restarts. */
function kubeletOutage(node: Node, at: number): Rec[] {
  const out: Rec[] = [];
  for (let t = at + 600_000; t < at + 5 * SEC; t += 1_100_000) {
    out.push({ t, text: klog('E', t, node.kubeletPid, 'remote_runtime.go:184', 'ListPodSandbox with filter &PodSandboxFilter{Id:,State:&PodSandboxStateValue{State:SANDBOX_READY,},LabelSelector:map[string]string{},} from runtime service failed: rpc error: code = Unknown desc = Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?') });
    out.push({ t: t + 80, text: klog('E', t + 80, node.kubeletPid, 'kubelet.go:1893', 'Failed to get container runtime status: rpc error: code = Unknown desc = Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?') });
  }
  return out;
}

interface CrashLoop {
  restarts: number;
  lastStart: number;
  lastId: string;
  kubelet: Rec[];
}

/** Attempts of the redis container after the crash, with the kubelet's back-off. */
function crashLoop(c: Cluster, node: Node, pod: Pod, from: number): CrashLoop {
  const rng = new Rng(`${c.seed}/crash-loop`);
  const ref = podRef(pod);
  const kubelet: Rec[] = [];
  let t = from;
  let restarts = 0;
  let lastStart = t;
  let delay = 10 * SEC;
  while (t < c.end - 20 * SEC) {
    restarts++;
    lastStart = t;
    const died = t + rng.int(200_000, 600_000);
    kubelet.push({ t: died + rng.int(300_000, 900_000), text: klog('I', died + 600_000, node.kubeletPid, 'kubelet.go:1958', `SyncLoop (PLEG): "${ref}", event: &pleg.PodLifecycleEvent{ID:"${pod.uid}", Type:"ContainerDied", Data:"${rng.hex(64)}"}`) });
    const next = died + delay;
    for (let b = died + 1 * SEC; b < Math.min(next, c.end); b += rng.int(10 * SEC, 20 * SEC)) {
      kubelet.push({ t: b, text: klog('E', b, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${pod.uid} ("${ref}"), skipping: failed to "StartContainer" for "redis" with CrashLoopBackOff: "back-off ${delay >= 5 * MIN ? '5m0s' : `${delay / SEC}s`} restarting failed container=redis pod=${ref}"`) });
    }
    delay = Math.min(delay * 2, 5 * MIN);
    t = next + rng.int(100_000, 900_000);
  }
  return { restarts, lastStart, lastId: rng.hex(64), kubelet };
}

/** The current attempt's log: Redis starts and cannot listen. */
function redisLog(t: number): string {
  const d = new Date(Math.floor(t / 1000));
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const s = (off: number): string => {
    const x = new Date(d.getTime() + off);
    return `${String(x.getUTCDate()).padStart(2, '0')} ${months[x.getUTCMonth()]} ${x.getUTCFullYear()} ${isoSeconds((x.getTime()) * 1000).slice(11, 19)}.${String(x.getUTCMilliseconds()).padStart(3, '0')}`;
  };
  return [
    `1:C ${s(0)} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
    `1:C ${s(1)} # Redis version=6.2.4, bits=64, commit=00000000, modified=0, pid=1, just started`,
    `1:C ${s(1)} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
    `1:M ${s(3)} * monotonic clock: POSIX clock_gettime`,
    `1:M ${s(4)} * Running mode=standalone, port=6379.`,
    `1:M ${s(4)} # Warning: Could not create server TCP listening socket *:6379: bind: Address already in use`,
    `1:M ${s(5)} # Failed listening on port 6379 (TCP), aborting.`,
    '',
  ].join('\n');
}

function dockerFiles(c: Cluster, node: Node, hidden: Set<string>, extraRows: DockerRow[], journal: Rec[]): ExtraFile[] {
  return [
    { path: nodeCommandPath(node, 'docker ps -a --no-trunc', STYLE), content: dockerPsNoTrunc(c, node, hidden, extraRows) },
    { path: nodeCommandPath(node, 'journalctl --utc -u docker', STYLE), content: dockerJournal(c, node, [fixed(journal)]) },
  ];
}

function positive(): BundleSpec {
  const c = cluster();
  const pod = findPod(c, 'shop', 'cart');
  const node = nodeByName(c, pod.node);
  const ct = pod.containers[0];
  const crashAt = c.end - 2 * HOUR - 10 * MIN;
  const loop = crashLoop(c, node, pod, crashAt + 40 * SEC);
  const lost = { pod, containerId: ct.id };
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      files.psEdf = dockerPsEdf(c, n, n === node ? { lost } : {});
      files.psTree = dockerPsTree(c, n, n === node ? { lost } : {});
      files.containerdJournal = '-- No entries --\n';
      if (n === node) files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(kubeletOutage(n, crashAt)), fixed(loop.kubelet)] });
    },
    podLog: (p) => (p === pod ? redisLog(loop.lastStart) : undefined),
  });
  const exited: DockerRow = {
    id: loop.lastId, image: ct.image, command: 'redis-server *:6379', created: loop.lastStart,
    status: `Exited (1) ${Math.max(1, Math.round((c.end - loop.lastStart) / SEC / 60))} minutes ago`, name: `k8s_redis_${pod.name}_${pod.namespace}_${pod.uid}_${ct.restarts + loop.restarts}`,
  };
  const files = c.nodes.flatMap((n) => (n === node ? dockerFiles(c, n, new Set([ct.id]), [exited], dockerCrash(crashAt, ct.id)) : dockerFiles(c, n, new Set(), [], [])));
  const rows = new Map([[`${pod.namespace}/${pod.name}`, { ready: '0/1', status: 'CrashLoopBackOff', restarts: String(ct.restarts + loop.restarts) }]]);
  return addFiles(dockerRuntimeFiles(withPodRows(spec, c, rows), c), c, files);
}

/** node-exporter's log: the first listen fails while the old process lets go, then it starts. */
function nodeExporterLog(t: number): string {
  const ts = (off: number): string => new Date(Math.floor((t + off) / 1000)).toISOString();
  return [
    `level=info ts=${ts(0)} caller=node_exporter.go:177 msg="Starting node_exporter" version="(version=1.0.1, branch=HEAD, revision=3715be6ae899f2a9b9dbfd9c39f3e09a7bd4559f)"`,
    `level=info ts=${ts(2000)} caller=node_exporter.go:178 msg="Build context" build_context="(go=go1.14.4, user=root@1f76dbbcfa55, date=20200616-12:44:12)"`,
    `level=info ts=${ts(60_000)} caller=node_exporter.go:191 msg="Listening on" address=127.0.0.1:9100`,
    `level=error ts=${ts(61_000)} caller=node_exporter.go:194 err="listen tcp 127.0.0.1:9100: bind: address already in use"`,
    `level=info ts=${ts(3_200_000)} caller=node_exporter.go:177 msg="Starting node_exporter" version="(version=1.0.1, branch=HEAD, revision=3715be6ae899f2a9b9dbfd9c39f3e09a7bd4559f)"`,
    `level=info ts=${ts(3_260_000)} caller=node_exporter.go:191 msg="Listening on" address=127.0.0.1:9100`,
    `level=info ts=${ts(3_261_000)} caller=tls_config.go:170 msg="TLS is disabled and it cannot be enabled on the fly." http2=false`,
    '',
  ].join('\n');
}

function negative(): BundleSpec {
  const c = cluster();
  const pod = findPod(c, 'shop', 'cart');
  const node = nodeByName(c, pod.node);
  const exporter = c.pods.find((p) => p.workload.name === 'node-exporter' && p.node === node.name) as Pod;
  const crashAt = c.end - 2 * HOUR - 10 * MIN;
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      files.psEdf = dockerPsEdf(c, n);
      files.psTree = dockerPsTree(c, n);
      files.containerdJournal = '-- No entries --\n';
      if (n === node) files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(kubeletOutage(n, crashAt))] });
    },
    podLog: (p) => (p === exporter ? nodeExporterLog(crashAt + 5 * SEC) : undefined),
  });
  const files = c.nodes.flatMap((n) => dockerFiles(c, n, new Set(), [], n === node ? dockerCrash(crashAt, undefined) : []));
  const rows = new Map([[`${exporter.namespace}/${exporter.name}`, { restarts: String(exporter.containers[0].restarts + 1) }]]);
  return addFiles(dockerRuntimeFiles(withPodRows(spec, c, rows), c), c, files);
}

export const scenario: Scenario = { id: 'stale-container-port-in-use', positive, negative };
export default scenario;
