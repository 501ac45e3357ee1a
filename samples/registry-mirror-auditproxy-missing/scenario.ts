/**
 * registry-mirror-auditproxy-missing: before 1.8.2 the registry mirror package lacks the
 * auditproxy image that Cloud Audit Logging runs on the control plane (Anthos clusters on bare
 * metal known issue, seed 002).
 *
 * Positive: cluster factory-air-1 (1.8.1) sits in an air-gapped site and pulls gcr.io images
 * through the mirror at 10.200.0.250:5000 (containerd's CRI config lists it). On each control-plane
 * node the audit-proxy pod cannot get
 * gcr.io/anthos-baremetal-release/auditproxy:gke_master_auditproxy_20201115_RC00: the mirror has
 * no such image and gcr.io does not resolve. kubelet retries every five minutes and reports
 * ImagePullBackOff in between; `kubectl get pods` shows the pods in ImagePullBackOff.
 *
 * Negative: the same cluster where the site can reach gcr.io: the first pull of the image times out
 * once, containerd falls back from the mirror to gcr.io, the image is pulled and the pod runs.
 */
import { type Cluster, type Node, type Pod, type WorkloadDef, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { containerdJournal, logrus } from '../lib/noise/containerd.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { podRef } from '../lib/noise/lifecycle.js';
import { snapshot } from '../lib/snapshot.js';
import { addPod, editClusterConfig, mapLines, withPodStates } from '../lib/noise/install-bundle.js';

const IMAGE = 'gcr.io/anthos-baremetal-release/auditproxy:gke_master_auditproxy_20201115_RC00';
const MIRROR = '10.200.0.250:5000';

function cluster(): Cluster {
  return buildCluster({
    seed: 'factory-air-1',
    name: 'factory-air-1',
    controlPlanes: 3,
    workers: 2,
    os: 'rhel-8.4',
    anthosVersion: '1.8.1',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2021-09-06T06:00:00Z',
    hours: 4,
  });
}

function auditProxy(node: Node): WorkloadDef {
  return {
    namespace: 'kube-system', name: `audit-proxy-${node.name}`, kind: 'Static', placement: 'control-plane', hostNetwork: true,
    containers: [{ name: 'audit-proxy', image: IMAGE, processes: [{ comm: 'auditproxy', user: 'root', rssKiB: 21340, threads: true, args: '/auditproxy --port=8449' }] }],
  };
}

/** A failed pull of the image, as kubelet and containerd log it. */
function failedPull(node: Node, pod: Pod, t: number, rng: Rng, reason: string): { kubelet: Rec[]; containerd: Rec[] } {
  const err = `failed to pull and unpack image "${IMAGE}": failed to resolve reference "${IMAGE}": failed to do request: Head "https://gcr.io/v2/anthos-baremetal-release/auditproxy/manifests/gke_master_auditproxy_20201115_RC00": ${reason}`;
  const failed = t + rng.int(200_000, 30 * SEC);
  const k = failed + rng.int(300, 900);
  return {
    containerd: [
      { t, text: logrus(t, 'info', `PullImage "${IMAGE}"`, '', rng.int(0, 999)) },
      { t: failed, text: logrus(failed, 'error', `PullImage "${IMAGE}" failed`, `error="${err.replaceAll('"', '\\"')}"`, rng.int(0, 999)) },
    ],
    kubelet: [
      { t: k, text: klog('E', k, node.kubeletPid, 'remote_image.go:113', `PullImage "${IMAGE}" from image service failed: rpc error: code = Unknown desc = ${err}`) },
      { t: k + 200, text: klog('E', k + 200, node.kubeletPid, 'kuberuntime_image.go:51', `Pull image "${IMAGE}" failed: rpc error: code = Unknown desc = ${err}`) },
      { t: k + 700, text: klog('E', k + 700, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${pod.uid} ("${podRef(pod)}"), skipping: failed to "StartContainer" for "audit-proxy" with ErrImagePull: "rpc error: code = Unknown desc = ${err.replaceAll('"', '\\"')}"`) },
    ],
  };
}

/** Pull attempts every five minutes, ImagePullBackOff in between, until the snapshot. */
function neverPulled(c: Cluster, node: Node, pod: Pod): { kubelet: Rec[]; containerd: Rec[] } {
  const rng = new Rng(`${c.seed}/auditproxy/${node.name}`);
  const kubelet: Rec[] = [];
  const containerd: Rec[] = [];
  let gap = 10 * SEC;
  for (let t = node.kubeletStart + rng.int(20 * SEC, 40 * SEC); t < c.end; t += gap) {
    const f = failedPull(node, pod, t, rng, 'dial tcp: lookup gcr.io on 10.200.0.1:53: no such host');
    kubelet.push(...f.kubelet);
    containerd.push(...f.containerd);
    for (let s = t + 40 * SEC; s < t + gap && s < c.end; s += rng.int(15 * SEC, 70 * SEC)) {
      kubelet.push({ t: s, text: klog('E', s, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${pod.uid} ("${podRef(pod)}"), skipping: failed to "StartContainer" for "audit-proxy" with ImagePullBackOff: "Back-off pulling image \\"${IMAGE}\\""`) });
    }
    gap = Math.min(gap * 2, 5 * MIN) + rng.int(0, 20 * SEC);
  }
  return { kubelet, containerd };
}

/** One pull that times out, then the fallback to gcr.io works. */
function pulledOnRetry(node: Node, pod: Pod, rng: Rng): { kubelet: Rec[]; containerd: Rec[] } {
  const ct = pod.containers[0];
  const f = failedPull(node, pod, ct.started - 75 * SEC, rng, 'dial tcp 74.125.124.82:443: i/o timeout');
  const t = ct.started - 12 * SEC;
  f.containerd.push({ t, text: logrus(t, 'info', `PullImage "${IMAGE}"`, '', rng.int(0, 999)) });
  f.containerd.push({ t: t + 6 * SEC, text: logrus(t + 6 * SEC, 'info', `ImageCreate event &ImageCreate{Name:${IMAGE},Labels:map[string]string{io.cri-containerd.image: managed,},XXX_unrecognized:[],}`, '', rng.int(0, 999)) });
  f.containerd.push({ t: t + 7 * SEC, text: logrus(t + 7 * SEC, 'info', `PullImage "${IMAGE}" returns image reference "${ct.imageId}"`, '', rng.int(0, 999)) });
  return f;
}

function mirrorConfig(spec: BundleSpec, c: Cluster): BundleSpec {
  return editClusterConfig(spec, c, (yaml) => yaml.replace(/(sshPrivateKeyPath: .*\n)/, `$1registryMirrors:\n- endpoint: https://${MIRROR}\n  caCertPath: /root/mirror/ca.crt\n  pullCredentialConfigPath: /root/.docker/config.json\n`));
}

const withMirror = (line: string): string => line.replace('Mirrors:map[docker.io:{Endpoints:[https://registry-1.docker.io]}]', `Mirrors:map[docker.io:{Endpoints:[https://registry-1.docker.io]} gcr.io:{Endpoints:[https://${MIRROR}]}]`);

function positive(): BundleSpec {
  const c = cluster();
  const cps = c.nodes.filter((n) => n.role === 'control-plane');
  // The pods exist but never start: kept out of the model, listed by kubectl.
  const pending = cps.map((n) => addPod(c, { workload: auditProxy(n), node: n, name: `audit-proxy-${n.name}` }));
  c.pods = c.pods.filter((p) => !pending.includes(p));
  const spec = snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      const pod = pending.find((p) => p.node === n.name);
      if (!pod) {
        files.containerdJournal = mapLines(files.containerdJournal, withMirror);
        return;
      }
      const f = neverPulled(c, n, pod);
      files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(f.kubelet)] });
      files.containerdJournal = mapLines(containerdJournal(c, n, { extra: [fixed(f.containerd)] }), withMirror);
    },
  });
  const states = new Map(pending.map((p) => [`${p.namespace}/${p.name}`, { ready: '0/1', status: 'ImagePullBackOff', restarts: 0 }]));
  return withPodStates(mirrorConfig(spec, c), c, states, pending);
}

function negative(): BundleSpec {
  const c = cluster();
  const cps = c.nodes.filter((n) => n.role === 'control-plane');
  const pods = cps.map((n) => addPod(c, { workload: auditProxy(n), node: n, name: `audit-proxy-${n.name}` }));
  const rng = new Rng(`${c.seed}/auditproxy-retry`);
  const first = cps[0];
  const spec = snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      if (n !== first) {
        files.containerdJournal = mapLines(files.containerdJournal, withMirror);
        return;
      }
      const f = pulledOnRetry(n, pods[0], rng);
      files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(f.kubelet)] });
      files.containerdJournal = mapLines(containerdJournal(c, n, { extra: [fixed(f.containerd)] }), withMirror);
    },
  });
  return mirrorConfig(spec, c);
}

export const scenario: Scenario = { id: 'registry-mirror-auditproxy-missing', positive, negative };
export default scenario;
