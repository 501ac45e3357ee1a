/**
 * log-forwarder-chunk-corrupt: after a hard shutdown of a node, stackdriver-log-forwarder
 * (fluent-bit) finds a corrupt chunk in its on-disk buffer and keeps restarting (Anthos clusters
 * on bare metal < 1.9, seed 002).
 *
 * Positive: cluster metro-rail-3 (1.8.2). Worker 2 lost power and came back at the start of the
 * window. Its stackdriver-log-forwarder pod has crashed ever since: every attempt reads the
 * backlog, logs `[error] [input:storage_backlog:storage_backlog.1] chunk validation failed, data
 * might be corrupted` (both variants of the message), removes the chunk and dies on SIGSEGV. The
 * kubelet journal on that worker logs `back-off 5m0s restarting failed container=
 * stackdriver-log-forwarder` for five hours, and `kubectl get pods` shows the pod `0/1
 * CrashLoopBackOff` with 57 restarts.
 *
 * Negative: the same cluster and the same hard shutdown, but the forwarder discards the one
 * broken chunk (`No valid records found, the chunk will be discarded.`) and carries on flushing;
 * it is Running with the single restart of the reboot. Another pod (shop/catalog) went through a
 * short crash loop after the reboot, so the kubelet journal does carry `Back-off restarting
 * failed container` lines — for a different container.
 */
import { type Cluster, type Node, type Pod, buildCluster, findPod } from '../lib/cluster.js';
import type { BundleSpec, LineGenerator } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, isoSeconds } from '../lib/time.js';
import { type Rec, fixed, klog } from '../lib/timeline.js';
import { kubeletJournal } from '../lib/noise/kubelet.js';
import { podRef } from '../lib/noise/lifecycle.js';
import { podsTableFiles, withFiles } from '../lib/noise/lifecycle-bundle.js';
import { snapshot } from '../lib/snapshot.js';

const STYLE = 'spaces' as const;

function cluster(): Cluster {
  return buildCluster({
    seed: 'metro-rail-3',
    name: 'metro-rail-3',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-04-09T06:00:00Z',
    hours: 5,
  });
}

function sickNode(c: Cluster): Node {
  return c.nodes.filter((n) => n.role === 'worker')[1];
}

/** fluent-bit's stamp: `[2024/04/09 06:01:02]`. */
function fb(t: number): string {
  return `[${isoSeconds(t).replace('T', ' ').replace('Z', '').replaceAll('-', '/')}]`;
}

function chunkName(rng: Rng, t: number): string {
  return `tail.0:1-${Math.floor(t / SEC) - rng.int(60, 900)}.${rng.int(10_000_000, 999_999_999)}.flb`;
}

function banner(t: number): string[] {
  return [
    'Fluent Bit v1.6.10',
    '* Copyright (C) 2019-2020 The Fluent Bit Authors',
    '* Copyright (C) 2015-2018 Treasure Data',
    '* Fluent Bit is a CNCF sub-project under the umbrella of Fluentd',
    '* https://fluentbit.io',
    '',
    `${fb(t)} [ info] [engine] started (pid=1)`,
    `${fb(t)} [ info] [storage] version=1.0.6, initializing...`,
    `${fb(t)} [ info] [storage] root path '/var/log/fluent-bit-buffers/'`,
    `${fb(t)} [ info] [storage] full synchronization mode, checksum enabled, max_chunks_up=128`,
    `${fb(t)} [ info] [storage] backlog input plugin: storage_backlog.1`,
    `${fb(t)} [ info] [input:storage_backlog:storage_backlog.1] queue memory limit: 47.7M`,
  ];
}

/** The current attempt of the crash-looping forwarder: backlog, corrupt chunks, SIGSEGV. */
function crashingLog(c: Cluster, pod: Pod): LineGenerator {
  return function* () {
    const rng = new Rng(`${c.seed}/forwarder/${pod.name}`);
    const t = c.end - 2 * MIN - rng.int(0, 40 * SEC);
    yield* banner(t);
    for (let i = 0; i < 6; i++) yield `${fb(t)} [ info] [input:storage_backlog:storage_backlog.1] register ${chunkName(rng, c.start)}`;
    yield `${fb(t + SEC)} [ info] [input:storage_backlog:storage_backlog.1] queueing ${chunkName(rng, c.start)}`;
    yield `${fb(t + SEC)} [error] [input:storage_backlog:storage_backlog.1] chunk validation failed, data might be corrupted. Found 0 valid records, failed content starts right after byte 0.`;
    yield `${fb(t + SEC)} [error] [input:storage_backlog:storage_backlog.1] removing chunk ${chunkName(rng, c.start)} from the queue`;
    yield `${fb(t + SEC)} [ info] [input:storage_backlog:storage_backlog.1] queueing ${chunkName(rng, c.start)}`;
    yield `${fb(t + SEC)} [error] [input:storage_backlog:storage_backlog.1] chunk validation failed, data might be corrupted. No valid records found, the chunk will be discarded.`;
    yield `${fb(t + SEC)} [error] [input:storage_backlog:storage_backlog.1] removing chunk ${chunkName(rng, c.start)} from the queue`;
    yield `${fb(t + 2 * SEC)} [ info] [sp] stream processor started`;
    yield `${fb(t + 2 * SEC)} [engine] caught signal (SIGSEGV)`;
    yield '#0  0x55f1c9e3a1b4      in  cio_chunk_get_content() at lib/chunkio/src/chunkio/cio_chunk.c:234';
    yield '#1  0x55f1c9c4d2e7      in  flb_input_chunk_map() at src/flb_input_chunk.c:1104';
    yield '#2  0x55f1c9c51a90      in  cb_queue_chunks() at plugins/in_storage_backlog/sb.c:216';
    yield '#3  0x55f1c9c2f4a1      in  flb_input_collector_fd() at src/flb_input.c:1002';
    yield '#4  0x55f1c9c3b8d2      in  flb_engine_handle_event() at src/flb_engine.c:386';
    yield '#5  0x55f1c9c3b8d2      in  flb_engine_start() at src/flb_engine.c:646';
    yield '#6  0x7f3a4e0f5fa2      in  ???() at ???:0';
  };
}

/** A forwarder that meets one broken chunk after the reboot, drops it and keeps working. */
function recoveringLog(c: Cluster, pod: Pod): LineGenerator {
  return function* () {
    const rng = new Rng(`${c.seed}/forwarder/${pod.name}`);
    const t0 = pod.containers[0].started + 150_000;
    yield* banner(t0);
    for (let i = 0; i < 4; i++) yield `${fb(t0)} [ info] [input:storage_backlog:storage_backlog.1] register ${chunkName(rng, c.start)}`;
    yield `${fb(t0 + SEC)} [ info] [input:storage_backlog:storage_backlog.1] queueing ${chunkName(rng, c.start)}`;
    yield `${fb(t0 + SEC)} [error] [input:storage_backlog:storage_backlog.1] chunk validation failed, data might be corrupted. No valid records found, the chunk will be discarded.`;
    yield `${fb(t0 + SEC)} [error] [input:storage_backlog:storage_backlog.1] removing chunk ${chunkName(rng, c.start)} from the queue`;
    yield `${fb(t0 + SEC)} [ info] [input:storage_backlog:storage_backlog.1] queueing ${chunkName(rng, c.start)}`;
    yield `${fb(t0 + 2 * SEC)} [ info] [sp] stream processor started`;
    for (let t = t0 + 10 * MIN; t < c.end; t += rng.int(25 * MIN, 70 * MIN)) {
      if (rng.chance(0.5)) yield `${fb(t)} [ warn] [engine] failed to flush chunk '${chunkName(rng, t).replace('tail.0:', '1-')}', retry in ${rng.int(6, 11)} seconds: task_id=${rng.int(0, 30)}, input=tail.0 > output=stackdriver.0 (out_id=0)`;
      else yield `${fb(t)} [ info] [engine] flush chunk '${chunkName(rng, t).replace('tail.0:', '1-')}' succeeded at retry 1: task_id=${rng.int(0, 30)}, input=tail.0 > output=stackdriver.0 (out_id=0)`;
    }
  };
}

/** kubelet lines of a container that keeps dying: PLEG ContainerDied and the CrashLoopBackOff. */
function crashLoopRecs(node: Node, pod: Pod, from: number, to: number, seed: string): Rec[] {
  const rng = new Rng(seed);
  const ct = pod.containers[0];
  const out: Rec[] = [];
  let backoff = 10;
  for (let t = from; t < to; ) {
    out.push({ t, text: klog('I', t, node.kubeletPid, 'kubelet.go:1932', `SyncLoop (PLEG): "${podRef(pod)}", event: &pleg.PodLifecycleEvent{ID:"${pod.uid}", Type:"ContainerDied", Data:"${new Rng(`${seed}/${t}`).hex(64)}"}`) });
    const label = backoff >= 300 ? '5m0s' : backoff >= 60 ? `${Math.floor(backoff / 60)}m${backoff % 60}s` : `${backoff}s`;
    for (let k = 0, u = t + rng.int(400_000, 900_000); k < 3 && u < to; k++, u += rng.int(10 * SEC, 14 * SEC)) {
      out.push({ t: u, text: klog('E', u, node.kubeletPid, 'pod_workers.go:191', `Error syncing pod ${pod.uid} ("${podRef(pod)}"), skipping: failed to "StartContainer" for "${ct.name}" with CrashLoopBackOff: "back-off ${label} restarting failed container=${ct.name} pod=${podRef(pod)}"`) });
    }
    t += backoff * SEC + rng.int(3 * SEC, 9 * SEC);
    backoff = Math.min(300, backoff * 2);
  }
  return out;
}

function positive(): BundleSpec {
  const c = cluster();
  const node = sickNode(c);
  const fwd = findPod(c, 'kube-system', 'stackdriver-log-forwarder', node);
  fwd.containers[0].restarts = 57;
  const spec = snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      if (n === node) files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(crashLoopRecs(n, fwd, fwd.containers[0].started + 40 * SEC, c.end, `${c.seed}/crashloop`))] });
    },
    podLog: (pod) => (pod === fwd ? crashingLog(c, pod) : undefined),
  });
  return withFiles(spec, c, podsTableFiles(c, STYLE, (p) => (p === fwd ? { ready: '0/1', status: 'CrashLoopBackOff' } : undefined)));
}

function negative(): BundleSpec {
  const c = cluster();
  const node = sickNode(c);
  const fwd = findPod(c, 'kube-system', 'stackdriver-log-forwarder', node);
  const catalog = c.pods.find((p) => p.workload.name === 'catalog') as Pod;
  const catalogNode = c.nodes.find((n) => n.name === catalog.node) as Node;
  catalog.containers[0].restarts = 4;
  const from = catalog.containers[0].started + 20 * SEC;
  return snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      if (n === catalogNode) files.kubeletJournal = kubeletJournal(c, n, { extra: [fixed(crashLoopRecs(n, catalog, from, from + 3 * MIN, `${c.seed}/catalog-loop`))] });
    },
    podLog: (pod) => (pod === fwd ? recoveringLog(c, pod) : undefined),
  });
}

export const scenario: Scenario = { id: 'log-forwarder-chunk-corrupt', positive, negative };
export default scenario;
