/**
 * `journalctl --utc -u kubelet` of one node: the start-up block after the node booted, the pods
 * it started, rollouts, and the errors a healthy kubelet logs all day (system container stats,
 * reflector watch closes, a probe failure that recovers, one ExecSync timeout, one image pull
 * back-off that later succeeds).
 *
 * Sample output:
 *   -- Logs begin at Tue 2024-03-05 03:56:12 UTC, end at Tue 2024-03-05 10:15:00 UTC. --
 *   Mar 05 03:56:38 prod-edge-1-worker-1 systemd[1]: Started kubelet: The Kubernetes Node Agent.
 *   Mar 05 03:56:39 prod-edge-1-worker-1 kubelet[1450]: I0305 03:56:39.104122    1450 server.go:416] Version: v1.20.8-gke.1500
 *   Mar 05 04:12:31 prod-edge-1-worker-1 kubelet[1450]: E0305 04:12:31.532061    1450 summary_sys_containers.go:47] Failed to get system container stats for "/system.slice/kubelet.service": …
 */
import { type Cluster, type Node, podsOn } from '../cluster.js';
import type { LineGenerator } from '../bundle.js';
import { Rng } from '../rng.js';
import { HOUR, MIN, SEC, goTime, journalHeaderStamp } from '../time.js';
import { type Rec, type RecSource, every, fixed, journalLine, klog, merge, scattered } from '../timeline.js';
import { podLives, podRef, tokenVolume } from './lifecycle.js';

export interface KubeletJournalOptions {
  /** Records merged into the journal (kubelet lines unless their `ident` says otherwise). */
  extra?: RecSource[];
  /** Log `PLEG is not healthy: pleg has yet to be successful` once at start-up. Default: random. */
  startupPleg?: boolean;
  /** Log one verbose API request carrying a bearer token. Default: on the first worker only. */
  bearerLine?: boolean;
}

/** The kubelet's view of `Ready` flipping: the lines a PLEG or runtime problem produces. */
export function nodeNotReadyRecs(node: Node, t: number, message: string): Rec[] {
  const mono = ((t - node.kubeletStart) / SEC).toFixed(9);
  return [
    { t, text: klog('I', t, node.kubeletPid, 'kubelet_node_status.go:461', `Recording NodeNotReady event message for node ${node.name}`) },
    { t: t + 37, text: klog('I', t + 37, node.kubeletPid, 'setters.go:577', `Node became not ready: {Type:Ready Status:False LastHeartbeatTime:${goTime(t, 123)} m=+${mono} LastTransitionTime:${goTime(t, 123)} m=+${mono} Reason:KubeletNotReady Message:${message}}`) },
  ];
}

export function nodeReadyRecs(node: Node, t: number): Rec[] {
  return [{ t, text: klog('I', t, node.kubeletPid, 'kubelet_node_status.go:461', `Recording NodeReady event message for node ${node.name}`) }];
}

export function kubeletJournal(c: Cluster, node: Node, o: KubeletJournalOptions = {}): LineGenerator {
  return () => lines(c, node, o);
}

function* lines(c: Cluster, node: Node, o: KubeletJournalOptions): Generator<string> {
  const rng = new Rng(`${c.seed}/kubelet/${node.name}`);
  const firstWorker = c.nodes.find((n) => n.role === 'worker');
  const startupPleg = o.startupPleg ?? rng.chance(0.34);
  const bearer = o.bearerLine ?? node === firstWorker;
  yield `-- Logs begin at ${journalHeaderStamp(node.kubeletStart - 1 * SEC)}, end at ${journalHeaderStamp(c.end)}. --`;
  const sources: RecSource[] = [
    fixed(startup(c, node, rng.fork('startup'), startupPleg)),
    fixed(podRecords(c, node, rng.fork('pods'))),
    systemStats(c, node, rng.fork('stats')),
    watchCloses(c, node, rng.fork('watch')),
    tlsHandshakes(c, node, rng.fork('tls')),
    fixed(oneOffs(c, node, rng.fork('once'), bearer)),
    ...(o.extra ?? []),
  ];
  for (const r of merge(sources)) yield journalLine(node.name, r, 'kubelet', node.kubeletPid);
}

function startup(c: Cluster, node: Node, rng: Rng, startupPleg: boolean): Rec[] {
  const pid = node.kubeletPid;
  let t = node.kubeletStart;
  const out: Rec[] = [{ t, ident: 'systemd', pid: 1, text: 'Started kubelet: The Kubernetes Node Agent.' }];
  const k = (sev: 'I' | 'W' | 'E', caller: string, msg: string, gap = rng.int(40, 9000)): void => {
    t += gap;
    out.push({ t, text: klog(sev, t, pid, caller, msg) });
  };
  const raw = (msg: string): void => {
    t += rng.int(20, 400);
    out.push({ t, text: msg });
  };
  t += rng.int(300_000, 900_000);
  raw('Flag --container-runtime-endpoint has been deprecated, This parameter should be set via the config file specified by the Kubelet\'s --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.');
  raw('Flag --node-labels has been deprecated, This parameter should be set via the config file specified by the Kubelet\'s --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.');
  k('I', 'server.go:416', `Version: ${c.kubernetesVersion}`);
  k('I', 'server.go:837', 'Client rotation is on, will bootstrap in background');
  k('I', 'certificate_store.go:130', 'Loading cert/key pair from "/var/lib/kubelet/pki/kubelet-client-current.pem".');
  k('I', 'dynamic_cafile_content.go:167', 'Starting client-ca-bundle::/etc/kubernetes/pki/ca.crt');
  k('I', 'server.go:645', '--cgroups-per-qos enabled, but --cgroup-root was not specified.  defaulting to /');
  k('I', 'container_manager_linux.go:274', 'container manager verified user specified cgroup-root exists: []');
  k('I', 'container_manager_linux.go:279', `Creating Container Manager object based on Node Config: {RuntimeCgroupsName: SystemCgroupsName: KubeletCgroupsName: ContainerRuntime:remote CgroupsPerQOS:true CgroupRoot:/ CgroupDriver:systemd KubeletRootDir:/var/lib/kubelet ProtectKernelDefaults:false NodeAllocatableConfig:{KubeReservedCgroupName: SystemReservedCgroupName: ReservedSystemCPUs: EnforceNodeAllocatable:map[pods:{}] KubeReserved:map[] SystemReserved:map[] HardEvictionThresholds:[{Signal:memory.available Operator:LessThan Value:{Quantity:100Mi Percentage:0} GracePeriod:0s MinReclaim:<nil>} {Signal:nodefs.available Operator:LessThan Value:{Quantity:<nil> Percentage:0.1} GracePeriod:0s MinReclaim:<nil>} {Signal:nodefs.inodesFree Operator:LessThan Value:{Quantity:<nil> Percentage:0.05} GracePeriod:0s MinReclaim:<nil>} {Signal:imagefs.available Operator:LessThan Value:{Quantity:<nil> Percentage:0.15} GracePeriod:0s MinReclaim:<nil>}]} QOSReserved:map[] ExperimentalCPUManagerPolicy:none ExperimentalTopologyManagerScope:container ExperimentalCPUManagerReconcilePeriod:10s ExperimentalPodPidsLimit:-1 EnforceCPULimits:true CPUCFSQuotaPeriod:100ms ExperimentalTopologyManagerPolicy:none}`);
  k('I', 'topology_manager.go:120', '[topologymanager] Creating topology manager with none policy per container scope');
  k('I', 'container_manager_linux.go:310', '[topologymanager] Initializing Topology Manager with none policy and container-level scope');
  k('I', 'container_manager_linux.go:315', 'Creating device plugin manager: true');
  k('I', 'remote_runtime.go:62', 'parsed scheme: ""');
  k('I', 'remote_runtime.go:62', 'scheme "" not registered, fallback to default scheme');
  k('I', 'passthrough.go:48', 'ccResolverWrapper: sending update to cc: {[{/run/containerd/containerd.sock  <nil> 0 <nil>}] <nil> <nil>}');
  k('I', 'clientconn.go:948', 'ClientConn switching balancer to "pick_first"');
  k('I', 'kubelet.go:394', 'Attempting to sync node with API server');
  k('I', 'kubelet.go:262', 'Adding pod path: /etc/kubernetes/manifests');
  k('I', 'kubelet.go:273', 'Adding apiserver pod source');
  if (node.role === 'control-plane') {
    // The apiserver behind the VIP is this node's own static pod: it is not up yet.
    for (const kind of ['Service', 'Node', 'Pod']) {
      const path = kind === 'Service' ? 'services' : kind === 'Node' ? `nodes?fieldSelector=metadata.name%3D${node.name}&limit=500&resourceVersion=0` : `pods?fieldSelector=spec.nodeName%3D${node.name}&limit=500&resourceVersion=0`;
      k('E', 'reflector.go:138', `k8s.io/client-go/informers/factory.go:134: Failed to watch *v1.${kind}: failed to list *v1.${kind}: Get "https://${c.controlPlaneVIP}:443/api/v1/${path}${kind === 'Service' ? '?limit=500&resourceVersion=0' : ''}": dial tcp ${c.controlPlaneVIP}:443: connect: connection refused`);
    }
  }
  k('I', 'kuberuntime_manager.go:216', `Container runtime containerd initialized, version: v${c.containerdVersion}, apiVersion: v1alpha2`);
  k('W', 'probe.go:268', 'Flexvolume plugin directory at /usr/libexec/kubernetes/kubelet-plugins/volume/exec/ does not exist. Recreating.');
  k('I', 'server.go:1176', 'Started kubelet');
  k('I', 'server.go:148', 'Starting to listen on 0.0.0.0:10250');
  k('E', 'kubelet.go:1271', 'Image garbage collection failed once. Stats initialization may not have completed yet: invalid capacity 0 on image filesystem');
  k('I', 'server.go:410', 'Adding debug handlers to kubelet server.');
  k('I', 'fs_resource_analyzer.go:64', 'Starting FS ResourceAnalyzer');
  k('I', 'volume_manager.go:271', 'Starting Kubelet Volume Manager');
  k('I', 'desired_state_of_world_populator.go:142', 'Desired state populator starts to run');
  k('I', 'kubelet_node_status.go:71', `Attempting to register node ${node.name}`);
  for (let i = 0, n = rng.int(2, 6); i < n; i++) k('E', 'kubelet.go:2243', `node "${node.name}" not found`, rng.int(20_000, 110_000));
  k('I', 'cpu_manager.go:193', '[cpumanager] starting with none policy');
  k('I', 'cpu_manager.go:194', '[cpumanager] reconciling every 10s');
  k('I', 'state_mem.go:36', '[cpumanager] initializing new in-memory state store');
  k('I', 'policy_none.go:43', '[cpumanager] none policy: Start');
  if (startupPleg) k('I', 'kubelet.go:1852', 'skipping pod synchronization - [container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]');
  k('I', 'kubelet_node_status.go:109', `Node ${node.name} was previously registered`, rng.int(200_000, 600_000));
  k('I', 'kubelet_node_status.go:74', `Successfully registered node ${node.name}`);
  return out;
}

/** Pods the node starts after boot, rollout starts and stops, the slow image pull. */
function podRecords(c: Cluster, node: Node, rng: Rng): Rec[] {
  const pid = node.kubeletPid;
  const out: Rec[] = [];
  const k = (t: number, sev: 'I' | 'W' | 'E', caller: string, msg: string): void => { out.push({ t, text: klog(sev, t, pid, caller, msg) }); };
  const lives = podLives(c, node);
  const atBoot = lives.filter((l) => l.start < node.kubeletStart + 5 * MIN);
  const statics = atBoot.filter((l) => l.pod.workload.kind === 'Static');
  const addAt = node.kubeletStart + rng.int(1_200_000, 2_000_000);
  if (statics.length) k(addAt - 1000, 'I', 'kubelet.go:1920', `SyncLoop (ADD, "file"): "${statics.map((l) => podRef(l.pod)).join(', ')}"`);
  const fromApi = atBoot.filter((l) => l.pod.workload.kind !== 'Static');
  if (fromApi.length) k(addAt, 'I', 'kubelet.go:1920', `SyncLoop (ADD, "api"): "${fromApi.map((l) => podRef(l.pod)).join(', ')}"`);
  for (const l of lives) {
    const p = l.pod;
    const created = l.start >= node.kubeletStart + 5 * MIN;
    let t = Math.max(l.start - rng.int(300_000, 900_000), addAt + 1000);
    if (created) k(t - 2000, 'I', 'kubelet.go:1920', `SyncLoop (ADD, "api"): "${podRef(p)}"`);
    if (p.workload.kind !== 'Static') {
      const vol = tokenVolume(p);
      k(t, 'I', 'reconciler.go:224', `operationExecutor.VerifyControllerAttachedVolume started for volume "${vol}" (UniqueName: "kubernetes.io/secret/${p.uid}-${vol}") pod "${p.name}" (UID: "${p.uid}")`);
      t += rng.int(90_000, 400_000);
      k(t, 'I', 'operation_generator.go:672', `MountVolume.SetUp succeeded for volume "${vol}" (UniqueName: "kubernetes.io/secret/${p.uid}-${vol}") pod "${p.name}" (UID: "${p.uid}")`);
    }
    k(l.start, 'I', 'kuberuntime_manager.go:439', `No sandbox for pod "${podRef(p)}" can be found. Need to start a new one`);
    const sandboxSeen = l.start + rng.int(600_000, 1_400_000);
    k(sandboxSeen, 'I', 'kubelet.go:1958', `SyncLoop (PLEG): "${podRef(p)}", event: &pleg.PodLifecycleEvent{ID:"${p.uid}", Type:"ContainerStarted", Data:"${p.sandboxId}"}`);
    if (l.backOff) {
      const img = p.containers[0].image;
      const [registry, ...rest] = img.split('/');
      const [repo, tag] = rest.join('/').split(':');
      let f = sandboxSeen + rng.int(30 * SEC, 35 * SEC);
      k(f, 'E', 'remote_image.go:113', `PullImage "${img}" from image service failed: rpc error: code = Unknown desc = failed to pull and unpack image "${img}": failed to resolve reference "${img}": failed to do request: Head "https://${registry}/v2/${repo}/manifests/${tag}": dial tcp 142.250.115.82:443: i/o timeout`);
      k(f + 210, 'E', 'kuberuntime_image.go:51', `Pull image "${img}" failed: rpc error: code = Unknown desc = failed to pull and unpack image "${img}": failed to resolve reference "${img}": failed to do request: Head "https://${registry}/v2/${repo}/manifests/${tag}": dial tcp 142.250.115.82:443: i/o timeout`);
      f += rng.int(10 * SEC, 20 * SEC);
      k(f, 'E', 'pod_workers.go:191', `Error syncing pod ${p.uid} ("${podRef(p)}"), skipping: failed to "StartContainer" for "${p.containers[0].name}" with ImagePullBackOff: "Back-off pulling image \\"${img}\\""`);
    }
    for (const ct of p.containers) {
      k(ct.started + rng.int(300_000, 1_100_000), 'I', 'kubelet.go:1958', `SyncLoop (PLEG): "${podRef(p)}", event: &pleg.PodLifecycleEvent{ID:"${p.uid}", Type:"ContainerStarted", Data:"${ct.id}"}`);
    }
    if (l.stop !== undefined) {
      let s = l.stop;
      k(s, 'I', 'kubelet.go:1936', `SyncLoop (DELETE, "api"): "${podRef(p)}"`);
      for (const ct of p.containers) {
        s += rng.int(200, 900);
        k(s, 'I', 'kuberuntime_container.go:635', `Killing container "containerd://${ct.id}" with a 30 second grace period`);
      }
      s += rng.int(500_000, 2_500_000);
      for (const ct of p.containers) k(s, 'I', 'kubelet.go:1958', `SyncLoop (PLEG): "${podRef(p)}", event: &pleg.PodLifecycleEvent{ID:"${p.uid}", Type:"ContainerDied", Data:"${ct.id}"}`);
      s += rng.int(300_000, 1_000_000);
      k(s, 'I', 'kubelet.go:1958', `SyncLoop (PLEG): "${podRef(p)}", event: &pleg.PodLifecycleEvent{ID:"${p.uid}", Type:"ContainerDied", Data:"${p.sandboxId}"}`);
      const vol = tokenVolume(p);
      s += rng.int(100_000, 400_000);
      k(s, 'I', 'reconciler.go:196', `operationExecutor.UnmountVolume started for volume "${vol}" (UniqueName: "kubernetes.io/secret/${p.uid}-${vol}") pod "${p.uid}" (UID: "${p.uid}")`);
      s += rng.int(10_000, 60_000);
      k(s, 'I', 'operation_generator.go:797', `UnmountVolume.TearDown succeeded for volume "kubernetes.io/secret/${p.uid}-${vol}" (OuterVolumeSpecName: "${vol}") pod "${p.uid}" (UID: "${p.uid}"). InnerVolumeSpecName "${vol}". PluginName "kubernetes.io/secret", VolumeGidValue ""`);
      s += rng.int(50_000, 200_000);
      k(s, 'I', 'reconciler.go:319', `Volume detached for volume "${vol}" (UniqueName: "kubernetes.io/secret/${p.uid}-${vol}") on node "${node.name}" DevicePath ""`);
      s += rng.int(1 * SEC, 3 * SEC);
      k(s, 'I', 'kubelet.go:1930', `SyncLoop (REMOVE, "api"): "${podRef(p)}"`);
      k(s + rng.int(500, 3000), 'I', 'kubelet.go:2139', `Failed to delete pod "${podRef(p)}", err: pod not found`);
    }
  }
  return out;
}

/** cAdvisor cannot find the systemd slices of kubelet and containerd: logged on every stats request. */
function systemStats(c: Cluster, node: Node, rng: Rng): Generator<Rec> {
  const from = node.kubeletStart + rng.int(60 * SEC, 90 * SEC);
  return every(rng, { from, to: c.end, period: 60 * SEC, jitter: 900_000 }, (t) => ['kubelet', 'containerd'].map((unit, i) => {
    const at = t + i * rng.int(80, 400);
    const slice = `/system.slice/${unit}.service`;
    return { t: at, text: klog('E', at, node.kubeletPid, 'summary_sys_containers.go:47', `Failed to get system container stats for "${slice}": failed to get cgroup stats for "${slice}": failed to get container info for "${slice}": unknown container "${slice}"`) };
  }));
}

/** Informer watches the apiserver closes now and then. */
function watchCloses(c: Cluster, node: Node, rng: Rng): Generator<Rec> {
  const objects = [
    ['*v1.Node', 'k8s.io/kubernetes/pkg/kubelet/kubelet.go:438'],
    ['*v1.Service', 'k8s.io/client-go/informers/factory.go:134'],
    ['*v1.CSIDriver', 'k8s.io/client-go/informers/factory.go:134'],
    ['*v1.RuntimeClass', 'k8s.io/client-go/informers/factory.go:134'],
  ];
  return scattered(rng, node.kubeletStart + 20 * MIN, c.end, 20 * MIN, 55 * MIN, (t) => {
    const [obj, where] = rng.pick(objects);
    if (rng.chance(0.6)) {
      return { t, text: klog('W', t, node.kubeletPid, 'reflector.go:436', `${where}: watch of ${obj} ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding`) };
    }
    const cm = rng.pick(['kube-proxy', 'coredns', 'cilium-config', 'kube-root-ca.crt']);
    return { t, text: klog('W', t, node.kubeletPid, 'reflector.go:436', `object-"kube-system"/"${cm}": watch of *v1.ConfigMap ended with: very short watch: object-"kube-system"/"${cm}": Unexpected watch close - watch lasted less than a second and no items received`) };
  });
}

/** Load balancer health checks and metric scrapers that hang up mid-handshake. */
function tlsHandshakes(c: Cluster, node: Node, rng: Rng): Generator<Rec> {
  const peers = c.nodes.map((n) => n.ip);
  return scattered(rng, node.kubeletStart + 5 * MIN, c.end, 12 * MIN, 70 * MIN, (t) => ({
    t, text: klog('I', t, node.kubeletPid, 'log.go:184', `http: TLS handshake error from ${rng.pick(peers)}:${rng.int(32768, 60999)}: EOF`),
  }));
}

/** Errors a healthy node logs once or twice: each is placed on the node that runs the pod concerned. */
function oneOffs(c: Cluster, node: Node, rng: Rng, bearer: boolean): Rec[] {
  const out: Rec[] = [];
  const pid = node.kubeletPid;
  const span = c.end - node.kubeletStart;
  const at = (lo: number, hi: number): number => node.kubeletStart + Math.floor(span * rng.real(lo, hi));
  const mine = podsOn(c, node);

  // A readiness probe that times out once and then passes again (nothing is logged on success).
  const app = mine.filter((p) => p.namespace === 'shop' && p.workload.kind === 'Deployment');
  for (const p of app.slice(0, rng.int(1, 2))) {
    const ct = p.containers[0];
    const port = p.workload.containers[0].port ?? 8080;
    const t = Math.max(at(0.15, 0.9), ct.started + 2 * MIN);
    out.push({ t, text: klog('I', t, pid, 'prober.go:117', `Readiness probe for "${podRef(p)}:${ct.name}" failed (failure): Get "http://${p.ip}:${port}/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`) });
  }

  // The database's exec probe timed out once (busy checkpoint); the next one passed.
  const db = mine.find((p) => p.workload.name === 'orders-db');
  if (db) {
    const ct = db.containers[0];
    const cmd = '/bin/sh -c exec pg_isready -U "postgres" -h 127.0.0.1 -p 5432';
    const t = at(0.3, 0.7);
    out.push({ t, text: klog('E', t, pid, 'remote_runtime.go:394', `ExecSync ${ct.id} '${cmd}' from runtime service failed: rpc error: code = DeadlineExceeded desc = context deadline exceeded`) });
    out.push({ t: t + 450, text: klog('I', t + 450, pid, 'prober.go:117', `Liveness probe for "${podRef(db)}:${ct.name}" failed (failure): command '${cmd}' timed out`) });
  }

  // cAdvisor racing a container that just went away.
  for (let i = 0, n = rng.int(1, 3); i < n; i++) {
    const p = rng.pick(mine);
    const t = at(0.05, 0.95);
    out.push({ t, text: klog('W', t, pid, 'container.go:586', `Failed to update stats for container "/kubepods/burstable/pod${p.uid}/${p.containers[0].id}": /sys/fs/cgroup/cpuset/kubepods/burstable/pod${p.uid}/${p.containers[0].id}/cpuset.cpus found to be empty, continuing to push stats`) });
  }
  const gone = c.pastPods.find((p) => p.node === node.name);
  if (gone) {
    const t = (gone.deleted as number) + rng.int(2 * SEC, 5 * SEC);
    out.push({ t, text: klog('W', t, pid, 'watcher.go:93', `Error while processing event ("/sys/fs/cgroup/devices/kubepods/besteffort/pod${gone.uid}/${gone.containers[0].id}": 0x40000100 == IN_CREATE|IN_ISDIR): inotify_add_watch /sys/fs/cgroup/devices/kubepods/besteffort/pod${gone.uid}/${gone.containers[0].id}: no such file or directory`) });
  }

  // Image garbage collection on the busiest worker.
  if (node.role === 'worker' && rng.chance(0.5)) {
    const t = at(0.4, 0.9);
    const free = rng.int(900, 2600) * 1048576;
    out.push({ t, text: klog('I', t, pid, 'image_gc_manager.go:304', `[imageGCManager]: Disk usage on image filesystem is at 86% which is over the high threshold (85%). Trying to free ${free} bytes down to the low threshold (80%).`) });
    out.push({ t: t + 3100, text: klog('I', t + 3100, pid, 'image_gc_manager.go:375', `[imageGCManager]: Removing image "sha256:${rng.hex(64)}" to free ${rng.int(40, 400) * 1048576 + rng.int(0, 999999)} bytes`) });
  }

  // Somebody ran the kubelet with -v=8 for a minute: one request dumped with its token.
  if (bearer) {
    const t = node.kubeletStart + 2 * HOUR + rng.int(0, 30 * MIN);
    const token = `eyJhbGciOiJSUzI1NiIsImtpZCI6I${rng.alnum(22)}.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50I${rng.alnum(60)}.${rng.alnum(86)}`;
    out.push({ t, text: klog('I', t, pid, 'round_trippers.go:425', `curl -k -v -XGET  -H "Accept: application/vnd.kubernetes.protobuf,application/json" -H "User-Agent: kubelet/${c.kubernetesVersion.split('-')[0]} (linux/amd64) kubernetes/${rng.hex(7)}" -H "Authorization: Bearer ${token}" 'https://${c.controlPlaneVIP}:443/api/v1/nodes/${node.name}?resourceVersion=0&timeout=10s'`) });
    out.push({ t: t + 4200, text: klog('I', t + 4200, pid, 'round_trippers.go:445', `GET https://${c.controlPlaneVIP}:443/api/v1/nodes/${node.name}?resourceVersion=0&timeout=10s 200 OK in 4 milliseconds`) });
  }
  return out;
}
