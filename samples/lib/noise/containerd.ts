/**
 * `journalctl --utc -u containerd` of one node: containerd's start-up (plugins it skips, the CNI
 * config not there yet), then the CRI calls behind every pod the kubelet starts or stops, in
 * logrus text form.
 *
 * Sample output:
 *   Mar 05 03:56:21 prod-edge-1-worker-1 containerd[912]: time="2024-03-05T03:56:21.80716514Z" level=info msg="starting containerd" revision=d71fcd7d8303cbf684402823e425e9dd2e99285d version=1.4.6
 *   Mar 05 03:57:40 prod-edge-1-worker-1 containerd[912]: time="2024-03-05T03:57:40.2047121Z" level=info msg="StartContainer for \"4c1f…\" returns successfully"
 */
import type { Cluster, Node } from '../cluster.js';
import type { LineGenerator } from '../bundle.js';
import { Rng } from '../rng.js';
import { MIN, SEC, journalHeaderStamp, rfc3339Nano } from '../time.js';
import { type Rec, type RecSource, fixed, journalLine, merge, scattered } from '../timeline.js';
import { podLives } from './lifecycle.js';

export interface ContainerdJournalOptions {
  extra?: RecSource[];
}

const REVISIONS: Record<string, string> = {
  '1.4.3': '269548fa27e0089a8b8278fc4fc781d7f65a939b',
  '1.4.6': 'd71fcd7d8303cbf684402823e425e9dd2e99285d',
  '1.4.9': 'e25210fe30a0a703442421b0f60afac609f950a3',
};

export function containerdRevision(version: string): string {
  return REVISIONS[version] ?? 'e25210fe30a0a703442421b0f60afac609f950a3';
}

/** One logrus line body: `time="…" level=info msg="…" key=value`. */
export function logrus(t: number, level: string, msg: string, rest = '', nanos = 0): string {
  const quoted = /^[A-Za-z0-9_.\-/:=]+$/.test(msg) ? msg : `"${msg.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  return `time="${rfc3339Nano(t, nanos)}" level=${level} msg=${quoted}${rest ? ` ${rest}` : ''}`;
}

export function containerdJournal(c: Cluster, node: Node, o: ContainerdJournalOptions = {}): LineGenerator {
  return () => lines(c, node, o);
}

function* lines(c: Cluster, node: Node, o: ContainerdJournalOptions): Generator<string> {
  const rng = new Rng(`${c.seed}/containerd/${node.name}`);
  yield `-- Logs begin at ${journalHeaderStamp(node.containerdStart - 800_000)}, end at ${journalHeaderStamp(c.end)}. --`;
  const sources: RecSource[] = [
    fixed(startup(c, node, rng.fork('startup'))),
    fixed(pods(c, node, rng.fork('pods'))),
    metricsErrors(c, node, rng.fork('metrics')),
    ...(o.extra ?? []),
  ];
  for (const r of merge(sources)) yield journalLine(node.name, r, 'containerd', node.containerdPid);
}

function startup(c: Cluster, node: Node, rng: Rng): Rec[] {
  const out: Rec[] = [];
  let t = node.containerdStart - rng.int(300_000, 700_000);
  out.push({ t, ident: 'systemd', pid: 1, text: 'Starting containerd container runtime...' });
  t += rng.int(200_000, 400_000);
  const l = (level: string, msg: string, rest = ''): void => {
    t += rng.int(100, 4000);
    out.push({ t, text: logrus(t, level, msg, rest, rng.int(0, 999)) });
  };
  l('info', 'starting containerd', `revision=${containerdRevision(c.containerdVersion)} version=${c.containerdVersion}`);
  const plugin = (name: string, type: string): void => l('info', `loading plugin "${name}"...`, `type=${type}`);
  plugin('io.containerd.content.v1.content', 'io.containerd.content.v1');
  plugin('io.containerd.snapshotter.v1.aufs', 'io.containerd.snapshotter.v1');
  l('info', 'skip loading plugin "io.containerd.snapshotter.v1.aufs"...', `error="aufs is not supported (modprobe aufs failed: exit status 1 \\"modprobe: FATAL: Module aufs not found in directory /lib/modules/${c.os.kernel}\\\\n\\"): skip plugin" type=io.containerd.snapshotter.v1`);
  plugin('io.containerd.snapshotter.v1.btrfs', 'io.containerd.snapshotter.v1');
  l('info', 'skip loading plugin "io.containerd.snapshotter.v1.btrfs"...', `error="path /var/lib/containerd/io.containerd.snapshotter.v1.btrfs (${c.os.id === 'rhel-8.4' ? 'xfs' : 'ext4'}) must be a btrfs filesystem to be used with the btrfs snapshotter: skip plugin" type=io.containerd.snapshotter.v1`);
  plugin('io.containerd.snapshotter.v1.devmapper', 'io.containerd.snapshotter.v1');
  l('warning', 'failed to load plugin io.containerd.snapshotter.v1.devmapper', 'error="devmapper not configured"');
  plugin('io.containerd.snapshotter.v1.native', 'io.containerd.snapshotter.v1');
  plugin('io.containerd.snapshotter.v1.overlayfs', 'io.containerd.snapshotter.v1');
  plugin('io.containerd.snapshotter.v1.zfs', 'io.containerd.snapshotter.v1');
  l('info', 'skip loading plugin "io.containerd.snapshotter.v1.zfs"...', 'error="path /var/lib/containerd/io.containerd.snapshotter.v1.zfs must be a zfs filesystem to be used with the zfs snapshotter: skip plugin" type=io.containerd.snapshotter.v1');
  plugin('io.containerd.metadata.v1.bolt', 'io.containerd.metadata.v1');
  l('warning', 'could not use snapshotter devmapper in metadata plugin', 'error="devmapper not configured"');
  l('info', 'metadata content store policy set', 'policy=shared');
  for (const [name, type] of [
    ['io.containerd.differ.v1.walking', 'io.containerd.differ.v1'],
    ['io.containerd.gc.v1.scheduler', 'io.containerd.gc.v1'],
    ['io.containerd.service.v1.introspection-service', 'io.containerd.service.v1'],
    ['io.containerd.service.v1.containers-service', 'io.containerd.service.v1'],
    ['io.containerd.service.v1.content-service', 'io.containerd.service.v1'],
    ['io.containerd.service.v1.images-service', 'io.containerd.service.v1'],
    ['io.containerd.service.v1.leases-service', 'io.containerd.service.v1'],
    ['io.containerd.service.v1.namespaces-service', 'io.containerd.service.v1'],
    ['io.containerd.service.v1.snapshots-service', 'io.containerd.service.v1'],
    ['io.containerd.runtime.v1.linux', 'io.containerd.runtime.v1'],
    ['io.containerd.runtime.v2.task', 'io.containerd.runtime.v2'],
    ['io.containerd.monitor.v1.cgroups', 'io.containerd.monitor.v1'],
    ['io.containerd.service.v1.tasks-service', 'io.containerd.service.v1'],
    ['io.containerd.internal.v1.restart', 'io.containerd.internal.v1'],
    ['io.containerd.grpc.v1.containers', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.content', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.diff', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.events', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.healthcheck', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.images', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.leases', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.namespaces', 'io.containerd.grpc.v1'],
    ['io.containerd.internal.v1.opt', 'io.containerd.internal.v1'],
    ['io.containerd.grpc.v1.snapshots', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.tasks', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.version', 'io.containerd.grpc.v1'],
    ['io.containerd.grpc.v1.cri', 'io.containerd.grpc.v1'],
  ]) plugin(name, type);
  l('info', 'Start cri plugin with config {PluginConfig:{ContainerdConfig:{Snapshotter:overlayfs DefaultRuntimeName:runc DefaultRuntime:{Type: Engine: PodAnnotations:[] ContainerAnnotations:[] Root: Options:map[] PrivilegedWithoutHostDevices:false BaseRuntimeSpec:} UntrustedWorkloadRuntime:{Type: Engine: PodAnnotations:[] ContainerAnnotations:[] Root: Options:map[] PrivilegedWithoutHostDevices:false BaseRuntimeSpec:} Runtimes:map[runc:{Type:io.containerd.runc.v2 Engine: PodAnnotations:[] ContainerAnnotations:[] Root: Options:map[SystemdCgroup:true] PrivilegedWithoutHostDevices:false BaseRuntimeSpec:}] NoPivot:false DisableSnapshotAnnotations:true DiscardUnpackedLayers:false} CniConfig:{NetworkPluginBinDir:/opt/cni/bin NetworkPluginConfDir:/etc/cni/net.d NetworkPluginMaxConfNum:1 NetworkPluginConfTemplate:} Registry:{Mirrors:map[docker.io:{Endpoints:[https://registry-1.docker.io]}] Configs:map[] Auths:map[] Headers:map[]} ImageDecryption:{KeyModel:} DisableTCPService:true StreamServerAddress:127.0.0.1 StreamServerPort:0 StreamIdleTimeout:4h0m0s EnableSelinux:false SelinuxCategoryRange:1024 SandboxImage:k8s.gcr.io/pause:3.2 StatsCollectPeriod:10 SystemdCgroup:false EnableTLSStreaming:false X509KeyPairStreaming:{TLSCertFile: TLSKeyFile:} MaxContainerLogLineSize:16384 DisableCgroup:false DisableApparmor:false RestrictOOMScoreAdj:false MaxConcurrentDownloads:3 DisableProcMount:false UnsetSeccompProfile: TolerateMissingHugetlbController:true DisableHugetlbController:true IgnoreImageDefinedVolumes:false} ContainerdRootDir:/var/lib/containerd ContainerdEndpoint:/run/containerd/containerd.sock RootDir:/var/lib/containerd/io.containerd.grpc.v1.cri StateDir:/run/containerd/io.containerd.grpc.v1.cri}');
  l('info', 'Connect containerd service');
  l('info', 'Get image filesystem path "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs"');
  l('error', 'failed to load cni during init, please check CRI plugin status before setting up network for pods', 'error="cni config load failed: no network config found in /etc/cni/net.d: cni plugin not initialized: failed to load cni config"');
  l('info', 'Start subscribing containerd event');
  l('info', 'Start recovering state');
  l('info', 'serving...', 'address=/run/containerd/containerd.sock.ttrpc');
  l('info', 'serving...', 'address=/run/containerd/containerd.sock');
  l('info', `containerd successfully booted in 0.0${rng.int(41, 93)}${rng.int(1000, 9999)}s`);
  t += rng.int(100, 900);
  out.push({ t, ident: 'systemd', pid: 1, text: 'Started containerd container runtime.' });
  l('info', 'Start event monitor');
  l('info', 'Start snapshots syncer');
  l('info', 'Start cni network conf syncer');
  l('info', 'Start streaming server');
  return out;
}

/** The CRI calls behind each pod start and stop on this node. */
function pods(c: Cluster, node: Node, rng: Rng): Rec[] {
  const out: Rec[] = [];
  const l = (t: number, level: string, msg: string, rest = ''): void => { out.push({ t, text: logrus(t, level, msg, rest, rng.int(0, 999)) }); };
  for (const life of podLives(c, node)) {
    const p = life.pod;
    const meta = `&PodSandboxMetadata{Name:${p.name},Uid:${p.uid},Namespace:${p.namespace},Attempt:${life.attempt},}`;
    let t = life.start;
    l(t, 'info', `RunPodSandbox for ${meta}`);
    t += p.hostNetwork ? rng.int(150_000, 400_000) : rng.int(400_000, 1_300_000);
    l(t, 'info', `RunPodSandbox for ${meta} returns sandbox id "${p.sandboxId}"`);
    for (const ct of p.containers) {
      let s = Math.max(t + 1000, ct.started - rng.int(150_000, 600_000));
      if (life.start > node.kubeletStart + 5 * 60 * SEC) {
        // A pod created during the window pulls its (new) image first.
        let pull = t + rng.int(2000, 9000);
        l(pull, 'info', `PullImage "${ct.image}"`);
        if (life.backOff) {
          pull += rng.int(30 * SEC, 31 * SEC);
          l(pull, 'error', `PullImage "${ct.image}" failed`, `error="failed to pull and unpack image \\"${ct.image}\\": failed to resolve reference \\"${ct.image}\\": failed to do request: Head \\"https://${ct.image.split('/')[0]}/v2/${ct.image.split('/').slice(1).join('/').split(':')[0]}/manifests/${ct.image.split(':').pop()}\\": dial tcp 142.250.115.82:443: i/o timeout"`);
          pull = ct.started - rng.int(8 * SEC, 20 * SEC);
          l(pull, 'info', `PullImage "${ct.image}"`);
        }
        pull = Math.min(s - 2000, pull + rng.int(2 * SEC, 6 * SEC));
        l(pull, 'info', `ImageCreate event &ImageCreate{Name:${ct.image},Labels:map[string]string{io.cri-containerd.image: managed,},XXX_unrecognized:[],}`);
        l(pull + 900, 'info', `PullImage "${ct.image}" returns image reference "${ct.imageId}"`);
        s = Math.max(s, pull + 2000);
      }
      l(s, 'info', `CreateContainer within sandbox "${p.sandboxId}" for container &ContainerMetadata{Name:${ct.name},Attempt:${life.attempt},}`);
      s += rng.int(20_000, 90_000);
      l(s, 'info', `CreateContainer within sandbox "${p.sandboxId}" for &ContainerMetadata{Name:${ct.name},Attempt:${life.attempt},} returns container id "${ct.id}"`);
      s += rng.int(500, 3000);
      l(s, 'info', `StartContainer for "${ct.id}"`);
      l(Math.max(s + 1000, ct.started), 'info', `StartContainer for "${ct.id}" returns successfully`);
    }
    if (life.stop !== undefined) {
      let s = life.stop + rng.int(500, 2500);
      for (const ct of p.containers) {
        l(s, 'info', `StopContainer for "${ct.id}" with timeout 30 (s)`);
        l(s + rng.int(100, 900), 'info', `Stop container "${ct.id}" with signal terminated`);
        s += rng.int(300_000, 1_500_000);
        l(s, 'info', 'shim disconnected', `id=${ct.id}`);
        l(s + rng.int(50, 400), 'warning', 'cleaning up after shim disconnected', `id=${ct.id} namespace=k8s.io`);
        s += rng.int(5_000, 40_000);
        l(s, 'info', `StopContainer for "${ct.id}" returns successfully`);
      }
      s += rng.int(1000, 20_000);
      l(s, 'info', `StopPodSandbox for "${p.sandboxId}"`);
      l(s + rng.int(20_000, 60_000), 'info', 'shim disconnected', `id=${p.sandboxId}`);
      s += rng.int(100_000, 400_000);
      l(s, 'info', `TearDown network for sandbox "${p.sandboxId}" successfully`);
      l(s + rng.int(1000, 9000), 'info', `StopPodSandbox for "${p.sandboxId}" returns successfully`);
      s += rng.int(2 * SEC, 4 * SEC);
      for (const ct of p.containers) {
        l(s, 'info', `RemoveContainer for "${ct.id}"`);
        l(s + rng.int(20_000, 80_000), 'info', `RemoveContainer for "${ct.id}" returns successfully`);
        s += rng.int(100_000, 300_000);
        l(s, 'error', `ContainerStatus for "${ct.id}" failed`, `error="an error occurred when try to find container \\"${ct.id}\\": not found"`);
      }
    }
  }
  return out;
}

/** The cgroups monitor racing containers that exit: harmless, a few times a day. */
function metricsErrors(c: Cluster, node: Node, rng: Rng): Generator<Rec> {
  const ids = podLives(c, node).flatMap((l) => l.pod.containers.map((ct) => ct.id));
  return scattered(rng, node.containerdStart + 30 * MIN, c.end, 40 * MIN, 150 * MIN, (t) => ({
    t, text: logrus(t, 'error', `collecting metrics for ${rng.pick(ids)}`, 'error="cgroups: cgroup deleted: unknown"', rng.int(0, 999)),
  }));
}
