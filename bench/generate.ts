/**
 * Large, realistic bundles for the benchmark, built from the sample generator (samples/lib):
 * a `bmctl check cluster --snapshot` of a cluster with many workers over a long window (kubelet,
 * containerd, kernel journals, kube-proxy and pod logs, ps, ipvsadm, iptables, kubectl tables),
 * with three known-issue snapshots attached inside the upload (nested archives), so the matcher
 * has true findings to make. Everything streams: no file is ever held in memory.
 *
 * Sizes are decompressed bytes (what the analyzer reads), approximate: the window length is
 * fitted from two small probes. Bundles are cached by size in os.tmpdir()/kubesleuth-bench/.
 *
 *   node dist/bench/generate.js 200MB        # prints the bundle's path
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCluster, type Cluster, type ClusterOptions } from '../samples/lib/cluster.js';
import { contentSize, writeBundle, type BundleEntry, type BundleSpec } from '../samples/lib/bundle.js';
import { snapshot } from '../samples/lib/snapshot.js';
import { kubeletJournal } from '../samples/lib/noise/kubelet.js';
import { SCENARIOS } from '../samples/scenarios.js';

/** Bump when the generated content changes, so stale cached bundles are not reused. */
const GENERATOR_VERSION = 1;

/** Known issues attached to every bench bundle (their positive snapshots). */
export const TRUE_ISSUES = ['kube-proxy-ipvs-stale-rules', 'pleg-unhealthy-runc', 'conntrack-table-full'] as const;

export const BENCH_DIR = join(tmpdir(), 'kubesleuth-bench');

export interface BundleMeta {
  version: number;
  targetBytes: number;
  /** Estimated decompressed bytes (the analyzer's own count is authoritative). */
  estimatedBytes: number;
  archiveBytes: number;
  workers: number;
  hours: number;
  members: number;
  generateMs: number;
}

/** `200MB`, `1GiB`, `512k`, `1e9` → bytes. MB/GB are decimal, MiB/GiB binary. */
export function parseSize(text: string): number {
  const m = /^\s*([\d.e+]+)\s*([kmgt]?)(i?)b?\s*$/i.exec(text);
  if (!m) throw new Error(`size: cannot read '${text}' (try 200MB, 1GiB)`);
  const n = Number(m[1]);
  const exp = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  const base = m[3] ? 1024 : 1000;
  const bytes = Math.round(n * base ** exp);
  if (!Number.isFinite(bytes) || bytes <= 0) throw new Error(`size: '${text}' is not a positive size`);
  return bytes;
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function clusterOptions(workers: number, hours: number): ClusterOptions {
  return {
    seed: 'bench-dc-1',
    name: 'bench-dc-1',
    controlPlanes: 3,
    workers,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'ipvs' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-03-01T00:00:00Z',
    hours,
  };
}

function workersFor(targetBytes: number): number {
  return Math.max(2, Math.min(40, Math.round(targetBytes / 25e6)));
}

async function snapshotBytes(c: Cluster): Promise<number> {
  let n = 0;
  for (const e of snapshot(c, { style: 'spaces' }).entries) n += await contentSize(e.content);
  return n;
}

/** Fit the window length to the target size: bytes ≈ a + b·hours, from two short probes. */
async function fitHours(workers: number, targetBytes: number): Promise<{ hours: number; estimate: number }> {
  const h1 = 1, h2 = 3;
  const s1 = await snapshotBytes(buildCluster(clusterOptions(workers, h1)));
  const s2 = await snapshotBytes(buildCluster(clusterOptions(workers, h2)));
  const slope = Math.max(1, (s2 - s1) / (h2 - h1));
  const fixed = s1 - slope * h1;
  const hours = Math.max(0.25, Math.round(((targetBytes - fixed) / slope) * 4) / 4);
  return { hours, estimate: Math.round(fixed + slope * hours) };
}

/** The bench bundle's spec: the big snapshot plus the attached known-issue snapshots. */
export function benchSpec(workers: number, hours: number, name: string): BundleSpec {
  const c = buildCluster(clusterOptions(workers, hours));
  const big = snapshot(c, { style: 'spaces' });
  const attached: BundleEntry[] = TRUE_ISSUES.map((id) => {
    const inner = SCENARIOS[id].positive();
    return { path: `attachments/${inner.name}`, content: inner };
  });
  return { name, format: 'tar.gz', mtime: big.mtime, entries: [...big.entries, ...attached], gzipLevel: 6 };
}

/** Path of a cached bench bundle of about `targetBytes` decompressed bytes; built if missing. */
export async function ensureBundle(targetBytes: number, log: (s: string) => void = () => {}): Promise<{ file: string; meta: BundleMeta }> {
  await mkdir(BENCH_DIR, { recursive: true });
  const file = join(BENCH_DIR, `bundle-${targetBytes}-v${GENERATOR_VERSION}.tar.gz`);
  const metaFile = `${file}.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as BundleMeta;
    if (meta.version === GENERATOR_VERSION && (await stat(file)).size === meta.archiveBytes) return { file, meta };
  }
  const t0 = performance.now();
  const workers = workersFor(targetBytes);
  const { hours, estimate } = await fitHours(workers, targetBytes);
  log(`generating ${formatBytes(targetBytes)} bundle: 3 control planes + ${workers} workers, ${hours} h window → ${file}`);
  const spec = benchSpec(workers, hours, `bench-${targetBytes}.tar.gz`);
  const tmp = `${file}.${process.pid}.tmp`;
  const archiveBytes = await writeBundle(spec, tmp);
  renameSync(tmp, file);
  const meta: BundleMeta = {
    version: GENERATOR_VERSION, targetBytes, estimatedBytes: estimate, archiveBytes, workers, hours,
    members: spec.entries.length, generateMs: Math.round(performance.now() - t0),
  };
  writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  log(`  generated in ${(meta.generateMs / 1000).toFixed(1)} s (${formatBytes(archiveBytes)} compressed)`);
  return { file, meta };
}

/** A ~10 KB kubelet journal (the start-up measurement's input). */
export function ensureSmallFile(bytes = 10_000): string {
  const file = join(BENCH_DIR, `kubelet-${bytes}.log`);
  if (existsSync(file)) return file;
  const c = buildCluster({ ...clusterOptions(2, 2), seed: 'bench-small', name: 'bench-small' });
  const out: string[] = [];
  let n = 0;
  for (const line of kubeletJournal(c, c.nodes[0])()) {
    if (n + line.length + 1 > bytes) break;
    out.push(line);
    n += line.length + 1;
  }
  writeFileSync(file, `${out.join('\n')}\n`);
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const size = parseSize(process.argv[2] ?? '200MB');
  const { file } = await ensureBundle(size, (s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${file}\n`);
}
