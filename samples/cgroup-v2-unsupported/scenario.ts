/**
 * cgroup-v2-unsupported: a node of an Anthos clusters on bare metal 1.6 cluster (Kubernetes
 * 1.18) runs with cgroup v2, which that release does not support (seed 002).
 *
 * Positive: cluster lab-north-1 (Ubuntu 20.04, 1.6.2). One worker was reinstalled with Ubuntu
 * 21.10, whose systemd mounts the unified cgroup v2 hierarchy on /sys/fs/cgroup, and rebooted at
 * the start of the window. Its kubelet (1.18) cannot find the v1 controllers and exits at every
 * start (`failed to run Kubelet: mountpoint for cpu not found`), systemd restarting it every 10 s;
 * the node is NotReady and runs no pod. Its `mount` shows `cgroup2 on /sys/fs/cgroup type
 * cgroup2`, its process table has v2 cgroup paths only.
 *
 * Negative: the same cluster with every node on Ubuntu 20.04: the hybrid layout, where a cgroup2
 * hierarchy is mounted on /sys/fs/cgroup/unified next to the v1 controllers, and every kubelet
 * runs.
 */
import { type Cluster, type ClusterOptions, type Node, buildCluster } from '../lib/cluster.js';
import type { BundleSpec, LineGenerator } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { SEC, journalHeaderStamp } from '../lib/time.js';
import { type Rec, journalLine, klog } from '../lib/timeline.js';
import { mapLines } from '../lib/noise/dpv2node-bundle.js';
import { containerdJournal } from '../lib/noise/containerd.js';
import { crictlPs } from '../lib/noise/crictl.js';
import { ipAddr, mount } from '../lib/noise/host.js';
import { dmesg, kernelJournal } from '../lib/noise/kernel.js';
import { psEdf, psTree } from '../lib/noise/ps.js';
import { snapshot } from '../lib/snapshot.js';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'lab-north-1',
    name: 'lab-north-1',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.6.2',
    kubernetesVersion: 'v1.18.6-gke.6600',
    kubeProxy: { version: 'v1.18.6-gke.6600', mode: 'iptables' },
    runcVersion: '1.0.0-rc92',
    containerdVersion: '1.4.3',
    start: '2024-07-02T07:00:00Z',
    hours: 3,
  };
  return buildCluster(options);
}

/** The reinstalled worker: the last one. */
function reinstalled(c: Cluster): Node {
  const workers = c.nodes.filter((n) => n.role === 'worker');
  return workers[workers.length - 1];
}

const UNAME = (n: Node): string => `Linux ${n.name} 5.13.0-19-generic #19-Ubuntu SMP Thu Oct 7 21:58:00 UTC 2021 x86_64 x86_64 x86_64 GNU/Linux\n`;

const OS_RELEASE = [
  'PRETTY_NAME="Ubuntu 21.10"',
  'NAME="Ubuntu"',
  'VERSION_ID="21.10"',
  'VERSION="21.10 (Impish Indri)"',
  'VERSION_CODENAME=impish',
  'ID=ubuntu',
  'ID_LIKE=debian',
  'HOME_URL="https://www.ubuntu.com/"',
  'SUPPORT_URL="https://help.ubuntu.com/"',
  'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"',
  'UBUNTU_CODENAME=impish',
  '',
].join('\n');

/** `mount` of a cgroup v2 host: the v1 hierarchies and the hybrid tmpfs give way to one cgroup2 mount. */
function unifiedMount(c: Cluster, node: Node): string {
  const out: string[] = [];
  const gen = mapLines(mount(c, node), (l) => {
    if (l.startsWith('tmpfs on /sys/fs/cgroup ')) return 'cgroup2 on /sys/fs/cgroup type cgroup2 (rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot)';
    if (/ on \/sys\/fs\/cgroup\/\S+ type cgroup2? /.test(l)) return undefined;
    return l;
  });
  if (typeof gen === 'function') for (const l of gen()) out.push(l);
  return `${out.join('\n')}\n`;
}

/** v1 cgroup columns (`12:pids:/…,…,1:name=systemd:/x,0::/x`) as a v2 host prints them (`0::/x`). */
function v2Cgroups(gen: LineGenerator): LineGenerator {
  const content = mapLines(gen, (l) => l.replace(/(?:\d+:[^,\s:]*:[^,\s]*,)+1:name=systemd:\S+?,0::(\S+)$/, '0::$1'));
  return content as LineGenerator;
}

/** The kernel's lines of a systemd that mounts the unified hierarchy, on the 21.10 kernel. */
function unifiedKernel(gen: LineGenerator): LineGenerator {
  return mapLines(gen, (l) => l
    .replaceAll('5.8.0-63-generic', '5.13.0-19-generic')
    .replace('systemd 245.4-4ubuntu3.11', 'systemd 248.3-1ubuntu8')
    .replace('default-hierarchy=hybrid', 'default-hierarchy=unified')) as LineGenerator;
}

/** containerd's journal up to the end of its start-up: no kubelet ever asked it for a pod. */
function startupOnly(gen: LineGenerator): LineGenerator {
  return function* () {
    for (const l of gen()) {
      yield l;
      if (l.endsWith('msg="Start streaming server"')) return;
    }
  };
}

/** The kubelet starting, failing on the unified hierarchy and being restarted by systemd, for the whole window. */
function crashingKubelet(c: Cluster, node: Node): LineGenerator {
  return function* () {
    const rng = new Rng(`${c.seed}/kubelet-v2/${node.name}`);
    yield `-- Logs begin at ${journalHeaderStamp(node.kubeletStart - SEC)}, end at ${journalHeaderStamp(c.end)}. --`;
    let t = node.kubeletStart;
    let pid = node.kubeletPid;
    let restarts = 0;
    const line = (r: Rec): string => journalLine(node.name, r, 'kubelet', pid);
    while (t < c.end - 2 * SEC) {
      yield line({ t, ident: 'systemd', pid: 1, text: 'Started kubelet: The Kubernetes Node Agent.' });
      let k = t + rng.int(60_000, 200_000);
      yield line({ t: k, text: 'Flag --container-runtime-endpoint has been deprecated, This parameter should be set via the config file specified by the Kubelet\'s --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.' });
      k += rng.int(20_000, 90_000);
      yield line({ t: k, text: klog('I', k, pid, 'server.go:417', `Version: ${c.kubernetesVersion}`) });
      k += rng.int(200, 900);
      yield line({ t: k, text: klog('I', k, pid, 'plugins.go:100', 'No cloud provider specified.') });
      k += rng.int(3000, 20_000);
      yield line({ t: k, text: klog('I', k, pid, 'server.go:837', 'Client rotation is on, will bootstrap in background') });
      k += rng.int(1000, 6000);
      yield line({ t: k, text: klog('I', k, pid, 'certificate_store.go:130', 'Loading cert/key pair from "/var/lib/kubelet/pki/kubelet-client-current.pem".') });
      k += rng.int(5000, 40_000);
      yield line({ t: k, text: klog('I', k, pid, 'server.go:646', '--cgroups-per-qos enabled, but --cgroup-root was not specified.  defaulting to /') });
      k += rng.int(100, 900);
      yield line({ t: k, text: klog('F', k, pid, 'server.go:274', 'failed to run Kubelet: mountpoint for cpu not found') });
      k += rng.int(2000, 9000);
      yield line({ t: k, ident: 'systemd', pid: 1, text: 'kubelet.service: Main process exited, code=exited, status=255/EXCEPTION' });
      yield line({ t: k + 300, ident: 'systemd', pid: 1, text: "kubelet.service: Failed with result 'exit-code'." });
      t = k + 10 * SEC + rng.int(0, 300_000);
      if (t >= c.end - 2 * SEC) break;
      restarts++;
      yield line({ t, ident: 'systemd', pid: 1, text: `kubelet.service: Scheduled restart job, restart counter is at ${restarts}.` });
      yield line({ t: t + 400, ident: 'systemd', pid: 1, text: 'Stopped kubelet: The Kubernetes Node Agent.' });
      t += rng.int(2000, 9000);
      pid += rng.int(3, 40);
    }
  };
}

function positive(): BundleSpec {
  const c = cluster();
  const node = reinstalled(c);
  node.ready = false;
  // The node's own outputs come from a copy of the model in which it runs no pod.
  const bare = cluster();
  const bareNode = reinstalled(bare);
  bare.pods = bare.pods.filter((p) => p.node !== bareNode.name);
  bare.pastPods = bare.pastPods.filter((p) => p.node !== bareNode.name);
  return snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      if (n !== node) return;
      files.kubeletJournal = crashingKubelet(c, n);
      files.containerdJournal = startupOnly(containerdJournal(c, n));
      files.kernelJournal = unifiedKernel(kernelJournal(bare, bareNode));
      files.dmesg = unifiedKernel(dmesg(bare, bareNode));
      files.psEdf = psEdf(bare, bareNode);
      files.psTree = v2Cgroups(psTree(bare, bareNode));
      files.mount = unifiedMount(bare, bareNode);
      files.ipAddr = ipAddr(bare, bareNode);
      files.crictl = crictlPs(bare, bareNode);
      files.uname = UNAME(n);
      files.osRelease = OS_RELEASE;
    },
  });
}

function negative(): BundleSpec {
  return snapshot(cluster(), { style: 'spaces' });
}

export const scenario: Scenario = { id: 'cgroup-v2-unsupported', positive, negative };
export default scenario;
