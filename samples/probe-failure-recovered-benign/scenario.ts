/**
 * probe-failure-recovered-benign: a readiness or liveness probe that fails once in a while and
 * passes again is normal.
 *
 * Positive: a healthy cluster, mill-ops-8, whose kubelets log the usual isolated probe failures:
 * a front-end readiness probe that timed out once, the database's exec liveness probe that timed
 * out during a checkpoint. Every pod is Running and ready.
 *
 * Negative: the same cluster, where the readiness probe of one catalog pod has failed every ten
 * seconds for the last 80 minutes (`Readiness probe for "catalog-…" failed (failure): Get
 * "http://…:3000/healthz": dial tcp …:3000: connect: connection refused`) and the pod shows 0/1
 * in `kubectl get pods`. No other probe failed.
 */
import { type Cluster, type Node, type Pod, buildCluster, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { podRef } from '../lib/noise/lifecycle.js';
import { snapshot } from '../lib/snapshot.js';
import { mapLines, withPodStates } from '../lib/noise/install-bundle.js';

function cluster(): Cluster {
  return buildCluster({
    seed: 'mill-ops-8',
    name: 'mill-ops-8',
    controlPlanes: 1,
    workers: 3,
    os: 'rhel-8.4',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2021-09-20T05:00:00Z',
    hours: 5,
  });
}

function failingReadiness(c: Cluster, node: Node, pod: Pod): Rec[] {
  const rng = new Rng(`${c.seed}/probe/${pod.name}`);
  const ct = pod.containers[0];
  const out: Rec[] = [];
  for (let t = c.end - 80 * MIN + rng.int(0, 10 * SEC); t < c.end; t += 10 * SEC + rng.int(0, 200_000)) {
    out.push({ t, text: klog('I', t, node.kubeletPid, 'prober.go:117', `Readiness probe for "${podRef(pod)}:${ct.name}" failed (failure): Get "http://${pod.ip}:3000/healthz": dial tcp ${pod.ip}:3000: connect: connection refused`) });
  }
  return out;
}

function positive(): BundleSpec {
  return snapshot(cluster(), { style: 'underscores' });
}

function negative(): BundleSpec {
  const c = cluster();
  const pod = c.pods.find((p) => p.workload.name === 'catalog') as Pod;
  const node = nodeByName(c, pod.node);
  const spec = snapshot(c, {
    style: 'underscores',
    node: (n, files) => {
      // No isolated failure anywhere: only the one probe that never passes.
      const base = mapLines(kubeletJournal(c, n, { extra: n === node ? [fixed(failingReadiness(c, n, pod))] : [] }), (l) => (/prober\.go:117\] (?:Readiness|Liveness) probe for .*command '.*' timed out$|prober\.go:117\] Readiness probe for .*Client\.Timeout exceeded/.test(l) ? undefined : l));
      files.kubeletJournal = base;
    },
  });
  return withPodStates(spec, c, new Map([[`${pod.namespace}/${pod.name}`, { ready: '0/1', status: 'Running', restarts: pod.containers[0].restarts }]]));
}

export const scenario: Scenario = { id: 'probe-failure-recovered-benign', positive, negative };
export default scenario;
