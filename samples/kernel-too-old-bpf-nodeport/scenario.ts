/**
 * kernel-too-old-bpf-nodeport: after an upgrade to 1.8.1, anetd crash-loops on Ubuntu 18.04
 * nodes because Cilium's BPF NodePort services need Linux 4.17 and the nodes run 4.15
 * (Anthos clusters on bare metal known issue, seed 002; fixed in 1.8.3).
 *
 * Positive: cluster edge-store-14 (Ubuntu 18.04.5, kernel 4.15.0-142-generic) was upgraded from
 * 1.7.3 to 1.8.1 two hours into the window. Since then the new anetd pods start, check the
 * kernel and exit with `level=fatal msg="Failed to configure kube-proxy replacement"
 * error="BPF NodePort services needs kernel 4.17.0 or newer" subsys=daemon`; kubelet restarts
 * them with back-off (`CrashLoopBackOff: "back-off 5m0s restarting failed container=cilium-agent
 * …"`) and `kubectl get pods` shows them in CrashLoopBackOff on every node.
 *
 * Negative: the same cluster on 1.8.3. anetd logs the non-fatal variant of the same check,
 * `BPF NodePort services needs kernel 4.17.0 or newer. Disabling BPF NodePort.`, and keeps running.
 */
import { type Cluster, type Node, type Pod, buildCluster, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { podRef } from '../lib/noise/lifecycle.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { snapshot } from '../lib/snapshot.js';
import { type PodRowOverride, withPodStates } from '../lib/noise/install-bundle.js';
import { useOs } from '../lib/noise/install-host.js';

function cluster(anthosVersion: string): { c: Cluster; osRelease: string } {
  const c = buildCluster({
    seed: 'edge-store-14',
    name: 'edge-store-14',
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion,
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2022-01-18T07:00:00Z',
    hours: 4.5,
    rollouts: [{ deployment: 'shop/catalog', at: '2022-01-18T08:05:00Z' }],
  });
  return { c, osRelease: useOs(c, 'ubuntu-18.04') };
}

/** When the upgraded anetd DaemonSet reached the nodes. */
const UPGRADE_AT = 2 * 60 * MIN + 14 * MIN;

/** One start attempt of the new Cilium agent on a 4.15 kernel: start-up, then the fatal error. */
function failingStart(c: Cluster, node: Node): string[] {
  return [
    'level=info msg="Skipped reading configuration file" reason="Config File \\"ciliumd\\" Not Found in \\"[/root]\\"" subsys=config',
    'level=info msg="Started gops server" address="127.0.0.1:9890" subsys=daemon',
    'level=info msg="  --agent-health-port=\'9876\'" subsys=daemon',
    'level=info msg="  --bpf-lb-mode=\'snat\'" subsys=daemon',
    'level=info msg="  --enable-endpoint-routes=\'true\'" subsys=daemon',
    'level=info msg="  --enable-node-port=\'true\'" subsys=daemon',
    'level=info msg="  --kube-proxy-replacement=\'strict\'" subsys=daemon',
    'level=info msg="  --tunnel=\'geneve\'" subsys=daemon',
    'level=info msg="Cilium 1.9.5 5bbfcd2 2021-03-16T20:42:01-07:00 go version go1.15.10 linux/amd64" subsys=daemon',
    `level=info msg="clang (10.0.0) and kernel (${c.os.kernel.split('-')[0]}) versions: OK!" subsys=linux-datapath`,
    'level=info msg="linking environment: OK!" subsys=linux-datapath',
    'level=info msg="Detected mounted BPF filesystem at /sys/fs/bpf" subsys=bpf',
    'level=info msg="Initializing daemon" subsys=daemon',
    `level=info msg="Establishing connection to apiserver" host="https://${c.controlPlaneVIP}:443" subsys=k8s`,
    'level=info msg="Connected to apiserver" subsys=k8s',
    `level=info msg="Retrieved node information from kubernetes node" nodeName=${node.name} subsys=k8s`,
    'level=fatal msg="Failed to configure kube-proxy replacement" error="BPF NodePort services needs kernel 4.17.0 or newer" subsys=daemon',
  ];
}

/** kubelet restarting the agent with back-off, from the upgrade to the snapshot. */
function crashLoop(c: Cluster, node: Node, pod: Pod): Rec[] {
  const rng = new Rng(`${c.seed}/crashloop/${node.name}`);
  const out: Rec[] = [];
  const ct = pod.containers[0];
  let backoff = 10 * SEC;
  for (let t = c.start + UPGRADE_AT + rng.int(0, 90 * SEC); t < c.end; t += backoff + rng.int(2 * SEC, 6 * SEC)) {
    const id = rng.hex(64);
    out.push({ t, text: klog('I', t, node.kubeletPid, 'kubelet.go:1958', `SyncLoop (PLEG): "${podRef(pod)}", event: &pleg.PodLifecycleEvent{ID:"${pod.uid}", Type:"ContainerStarted", Data:"${id}"}`) });
    const died = t + rng.int(1 * SEC, 3 * SEC);
    out.push({ t: died, text: klog('I', died, node.kubeletPid, 'kubelet.go:1958', `SyncLoop (PLEG): "${podRef(pod)}", event: &pleg.PodLifecycleEvent{ID:"${pod.uid}", Type:"ContainerDied", Data:"${id}"}`) });
    const shown = `${Math.round(backoff / SEC) >= 60 ? `${Math.round(backoff / MIN)}m0s` : `${Math.round(backoff / SEC)}s`}`;
    for (let s = died + 400_000; s < died + backoff && s < c.end; s += rng.int(10 * SEC, 60 * SEC)) {
      out.push({ t: s, text: klog('E', s, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${pod.uid} ("${podRef(pod)}"), skipping: failed to "StartContainer" for "${ct.name}" with CrashLoopBackOff: "back-off ${shown} restarting failed container=${ct.name} pod=${podRef(pod)}"`) });
    }
    backoff = Math.min(backoff * 2, 5 * MIN);
  }
  return out;
}

function positive(): BundleSpec {
  const { c, osRelease } = cluster('1.8.1');
  const anetd = c.pods.filter((p) => p.workload.name === 'anetd');
  const overrides = new Map<string, PodRowOverride>(anetd.map((p) => [`${p.namespace}/${p.name}`, { ready: '0/1', status: 'CrashLoopBackOff', restarts: 31 }]));
  const spec = snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      files.osRelease = osRelease;
      const pod = anetd.find((p) => p.node === n.name) as Pod;
      files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(crashLoop(c, n, pod))] });
    },
    podLog: (pod) => (pod.workload.name === 'anetd' ? failingStart(c, nodeByName(c, pod.node)).join('\n') : undefined),
  });
  return withPodStates(spec, c, overrides);
}

function negative(): BundleSpec {
  const { c, osRelease } = cluster('1.8.3');
  return snapshot(c, {
    style: 'spaces',
    node: (_n, files) => { files.osRelease = osRelease; },
    podLog: (pod, container) => {
      if (pod.workload.name !== 'anetd') return undefined;
      const t = pod.containers[0].started + 150_000 + 40_000;
      const warning = 'level=warning msg="BPF NodePort services needs kernel 4.17.0 or newer. Disabling BPF NodePort." subsys=daemon';
      return podLog(c, pod, container, { extra: [fixed([{ t, text: warning }])] });
    },
  });
}

export const scenario: Scenario = { id: 'kernel-too-old-bpf-nodeport', positive, negative };
export default scenario;
