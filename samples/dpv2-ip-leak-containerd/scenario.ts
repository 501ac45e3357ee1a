/**
 * dpv2-ip-leak-containerd: on containerd nodes with Dataplane V2, torn-down sandboxes leak their
 * IPs in the host-local IPAM until the node's pod range is exhausted (containerd#5768, seed 001).
 *
 * Positive: cluster fleet-svc-7 (containerd 1.6, Kubernetes v1.24.5-gke.600, anetd on every node).
 * On one worker every address of 192.168.2.1-192.168.2.254 is held although the node runs a dozen
 * pods. A rollout of shop/checkout 80 minutes before the snapshot puts a new pod there, and the
 * nightly db-backup Job's pod lands there too: neither gets a sandbox. The kubelet (structured
 * 1.24 logging) and containerd log `failed to allocate for range 0: no IP addresses available in
 * range set: 192.168.2.1-192.168.2.254` at every retry, `kubectl get events` has the
 * FailedCreatePodSandBox warnings and both pods stay ContainerCreating.
 *
 * Negative: the same cluster and version. One pod that asks for a fixed address (a StatefulSet
 * replica pinned through its CNI `ips` argument) cannot get it because another pod holds it:
 * `failed to allocate for range 0: requested IP address 192.168.2.77 is not available in range
 * set 192.168.2.1-192.168.2.254`. Same wrapper, same range, but the range is not exhausted.
 */
import { type Cluster, type ClusterOptions, type Node, buildCluster, findPod, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { containerdJournal, logrus } from '../lib/noise/containerd.js';
import { type EventRow, type GhostPod, addFiles, eventsFiles, ghostPod, ghostRef, withPodRows } from '../lib/noise/dpv2node-bundle.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { type NameStyle, snapshot } from '../lib/snapshot.js';

const STYLE: NameStyle = 'underscores';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'fleet-svc-7',
    name: 'fleet-svc-7',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.13.2',
    kubernetesVersion: 'v1.24.5-gke.600',
    kubeProxy: { version: 'v1.24.5-gke.600', mode: 'iptables' },
    runcVersion: '1.1.4',
    containerdVersion: '1.6.6',
    start: '2024-10-08T05:00:00Z',
    hours: 5,
    rollouts: [],
  };
  return buildCluster(options);
}

/** The worker whose range is exhausted: the one running the first catalog pod. */
function fullNode(c: Cluster): Node {
  return nodeByName(c, findPod(c, 'shop', 'catalog').node);
}

function range(node: Node): string {
  return `192.168.${node.index}.1-192.168.${node.index}.254`;
}

/** kubelet 1.24's structured lines for one failed sandbox attempt, and containerd's. */
function attempt(node: Node, g: GhostPod, t: number, sandbox: string, cniError: string, rng: Rng): { kubelet: Rec[]; containerd: Rec[] } {
  const ref = ghostRef(g);
  const pod = `${g.namespace}/${g.name}`;
  const q = (s: string): string => s.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  const setup = `failed to setup network for sandbox "${sandbox}": plugin type="cilium-cni" name="gke-pod-network" failed (add): ${cniError}`;
  const rpc = `rpc error: code = Unknown desc = ${setup}`;
  const meta = `&PodSandboxMetadata{Name:${g.name},Uid:${g.uid},Namespace:${g.namespace},Attempt:0,}`;
  const c1 = t + rng.int(200_000, 900_000);
  const containerd: Rec[] = [
    { t, text: logrus(t, 'info', `RunPodSandbox for ${meta}`, '', rng.int(0, 999)) },
    { t: c1, text: logrus(c1, 'error', `RunPodSandbox for ${meta} failed`, `error="${q(setup)}"`, rng.int(0, 999)) },
  ];
  const k = c1 + rng.int(400, 3000);
  const kubelet: Rec[] = [
    { t: k, text: klog('E', k, node.kubeletPid, 'remote_runtime.go:222', `"RunPodSandbox from runtime service failed" err="${q(rpc)}"`) },
    { t: k + 60, text: klog('E', k + 60, node.kubeletPid, 'kuberuntime_sandbox.go:71', `"Failed to create sandbox for pod" err="${q(rpc)}" pod="${pod}"`) },
    { t: k + 110, text: klog('E', k + 110, node.kubeletPid, 'kuberuntime_manager.go:815', `"CreatePodSandbox for pod failed" err="${q(rpc)}" pod="${pod}"`) },
    { t: k + 190, text: klog('E', k + 190, node.kubeletPid, 'pod_workers.go:951', `"Error syncing pod, skipping" err="${q(`failed to "CreatePodSandbox" for "${ref}" with CreatePodSandboxError: "Failed to create sandbox for pod \\"${ref}\\": ${rpc}"`)}" pod="${pod}" podUID=${g.uid}`) },
  ];
  return { kubelet, containerd };
}

interface Story {
  pods: GhostPod[];
  kubelet: Rec[];
  containerd: Rec[];
  events: EventRow[];
}

/** Pods retried by the kubelet (about every 10 to 20 s) from `from` to the snapshot. */
function story(c: Cluster, node: Node, stuck: { base: string; from: number }[], cniError: (rng: Rng) => string, status: string): Story {
  const rng = new Rng(`${c.seed}/ip-leak/${status}`);
  const out: Story = { pods: [], kubelet: [], containerd: [], events: [] };
  for (const s of stuck) {
    const [ns, w] = s.base.split('/');
    const g = ghostPod(c, findPod(c, ns, w), node, s.from, { ready: '0/1', status });
    out.pods.push(g);
    out.kubelet.push({ t: s.from + 900_000, text: klog('I', s.from + 900_000, node.kubeletPid, 'kubelet.go:2127', `"SyncLoop ADD" source="api" pods=[${g.namespace}/${g.name}]`) });
    let n = 0;
    let last = s.from;
    for (let t = s.from + rng.int(1 * SEC, 3 * SEC); t < c.end - 5 * SEC; t += rng.int(10 * SEC, 21 * SEC)) {
      const err = cniError(rng);
      const a = attempt(node, g, t, rng.hex(64), err, rng);
      out.kubelet.push(...a.kubelet);
      out.containerd.push(...a.containerd);
      n++;
      last = t;
      if (n === 1) {
        out.events.push({ t: s.from, namespace: ns, type: 'Normal', reason: 'Scheduled', object: `pod/${g.name}`, message: `Successfully assigned ${ns}/${g.name} to ${node.name}` });
      }
    }
    out.events.push({ t: last + 2 * SEC, namespace: ns, type: 'Warning', reason: 'FailedCreatePodSandBox', object: `pod/${g.name}`, message: `(combined from similar events): Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${rng.hex(64)}": plugin type="cilium-cni" name="gke-pod-network" failed (add): ${cniError(rng)}` });
  }
  return out;
}

function build(c: Cluster, node: Node, s: Story): BundleSpec {
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      if (n !== node) return;
      files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(s.kubelet)] });
      files.containerdJournal = containerdJournal(c, n, { extra: [fixed(s.containerd)] });
    },
  });
  return addFiles(withPodRows(spec, c, new Map(), s.pods), c, eventsFiles(c, STYLE, s.events));
}

function positive(): BundleSpec {
  const c = cluster();
  const node = fullNode(c);
  const exhausted = `failed to allocate for range 0: no IP addresses available in range set: ${range(node)}`;
  const s = story(c, node, [
    { base: 'shop/checkout', from: c.end - 80 * MIN },
    { base: 'shop/catalog', from: c.end - 35 * MIN },
  ], () => exhausted, 'ContainerCreating');
  return build(c, node, s);
}

function negative(): BundleSpec {
  const c = cluster();
  const node = fullNode(c);
  const s = story(c, node, [{ base: 'shop/orders-db', from: c.end - 25 * MIN }],
    () => `failed to allocate for range 0: requested IP address 192.168.${node.index}.77 is not available in range set ${range(node)}`, 'ContainerCreating');
  return build(c, node, s);
}

export const scenario: Scenario = { id: 'dpv2-ip-leak-containerd', positive, negative };
export default scenario;
