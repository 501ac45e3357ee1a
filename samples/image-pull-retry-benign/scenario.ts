/**
 * image-pull-retry-benign: an image pull that times out once or twice and then succeeds is
 * harmless; kubelet retries with back-off.
 *
 * Positive: a healthy cluster, harbor-ops-4. Two deployments roll during the window; the first new
 * frontend pod waits a few minutes in ErrImagePull / ImagePullBackOff because the registry timed
 * out (`dial tcp 142.250.115.82:443: i/o timeout`), then containerd pulls the image (`PullImage
 * "…" returns image reference "sha256:…"`) and the pod starts.
 *
 * Negative: the same cluster, whose one rollout pulls at once, except that a release of checkout
 * names a tag that was never pushed: its new pod has been in ImagePullBackOff for two hours
 * (`…checkout:1.32.0: not found`), kubelet retrying every five minutes.
 */
import { type Cluster, type Node, type Pod, buildCluster, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { containerdJournal, logrus } from '../lib/noise/containerd.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { podRef } from '../lib/noise/lifecycle.js';
import { snapshot } from '../lib/snapshot.js';
import { addPod, withPodStates } from '../lib/noise/install-bundle.js';

function cluster(rollouts: { deployment: string; at: string; pullBackOff?: boolean }[]): Cluster {
  return buildCluster({
    seed: 'harbor-ops-4',
    name: 'harbor-ops-4',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2021-10-05T08:00:00Z',
    hours: 5,
    rollouts,
  });
}

/** A pod whose image tag does not exist: pull, NotFound, back-off, again every five minutes. */
function neverPulls(c: Cluster, node: Node, pod: Pod, from: number): { kubelet: Rec[]; containerd: Rec[] } {
  const rng = new Rng(`${c.seed}/notfound`);
  const img = pod.containers[0].image;
  const err = `failed to pull and unpack image "${img}": failed to resolve reference "${img}": ${img}: not found`;
  const kubelet: Rec[] = [{ t: from, text: klog('I', from, node.kubeletPid, 'kubelet.go:1920', `SyncLoop (ADD, "api"): "${podRef(pod)}"`) }];
  const containerd: Rec[] = [];
  let gap = 10 * SEC;
  for (let t = from + rng.int(2 * SEC, 5 * SEC); t < c.end; t += gap) {
    const failed = t + rng.int(300_000, 900_000);
    containerd.push({ t, text: logrus(t, 'info', `PullImage "${img}"`, '', rng.int(0, 999)) });
    containerd.push({ t: failed, text: logrus(failed, 'error', `PullImage "${img}" failed`, `error="${err.replaceAll('"', '\\"')}"`, rng.int(0, 999)) });
    const k = failed + rng.int(300, 900);
    kubelet.push({ t: k, text: klog('E', k, node.kubeletPid, 'remote_image.go:113', `PullImage "${img}" from image service failed: rpc error: code = NotFound desc = ${err}`) });
    kubelet.push({ t: k + 200, text: klog('E', k + 200, node.kubeletPid, 'kuberuntime_image.go:51', `Pull image "${img}" failed: rpc error: code = NotFound desc = ${err}`) });
    kubelet.push({ t: k + 600, text: klog('E', k + 600, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${pod.uid} ("${podRef(pod)}"), skipping: failed to "StartContainer" for "checkout" with ErrImagePull: "rpc error: code = NotFound desc = ${err.replaceAll('"', '\\"')}"`) });
    for (let s = k + 15 * SEC; s < t + gap && s < c.end; s += rng.int(12 * SEC, 45 * SEC)) {
      kubelet.push({ t: s, text: klog('E', s, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${pod.uid} ("${podRef(pod)}"), skipping: failed to "StartContainer" for "checkout" with ImagePullBackOff: "Back-off pulling image \\"${img}\\""`) });
    }
    gap = Math.min(gap * 2, 5 * MIN) + rng.int(0, 10 * SEC);
  }
  return { kubelet, containerd };
}

function positive(): BundleSpec {
  const c = cluster([
    { deployment: 'shop/frontend', at: '2021-10-05T09:41:00Z', pullBackOff: true },
    { deployment: 'shop/cart', at: '2021-10-05T11:20:00Z' },
  ]);
  return snapshot(c, { style: 'spaces' });
}

function negative(): BundleSpec {
  const c = cluster([{ deployment: 'shop/catalog', at: '2021-10-05T09:41:00Z' }]);
  const old = c.pods.find((p) => p.workload.name === 'checkout') as Pod;
  const image = old.containers[0].image.replace(/:[^:]+$/, ':1.32.0');
  const workload = { ...old.workload, containers: old.workload.containers.map((ct) => ({ ...ct, image })) };
  const pending = addPod(c, { workload, node: nodeByName(c, old.node) });
  c.pods = c.pods.filter((p) => p !== pending);
  pending.created = c.end - 2 * HOUR - 7 * MIN;
  const node = nodeByName(c, pending.node);
  const f = neverPulls(c, node, pending, pending.created);
  const spec = snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      if (n !== node) return;
      files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(f.kubelet)] });
      files.containerdJournal = containerdJournal(c, n, { extra: [fixed(f.containerd)] });
    },
  });
  return withPodStates(spec, c, new Map([[`${pending.namespace}/${pending.name}`, { ready: '0/1', status: 'ImagePullBackOff', restarts: 0 }]]), [pending]);
}

export const scenario: Scenario = { id: 'image-pull-retry-benign', positive, negative };
export default scenario;
