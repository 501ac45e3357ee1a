/**
 * The fleet summary of a batch: bundles scanned and failed, signatures × bundles confirmed /
 * possible, versions most affected, the slowest bundles, bundles nothing explains (leads for
 * new signatures), signatures that co-occur, and — given labels — precision and recall per
 * signature. Built from records alone, so `merge` of shard outputs gives the same summary.
 */
import Table from 'cli-table3';
import type { BundleRecord } from './record.js';

export interface SignatureStats {
  id: string;
  confirmed: number;
  possible: number;
  advisory: number;
  ruledOut: number;
}

export interface LabelStats {
  id: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision?: number;
  recall?: number;
}

export interface Summary {
  bundles: number;
  failed: { path: string; error: string }[];
  signatures: SignatureStats[];
  versions: { fact: string; value: string; bundles: number }[];
  slowest: { path: string; durationMs: number; size?: number }[];
  unexplained: string[];
  cooccurring: { ids: [string, string]; bundles: number }[];
  labels?: LabelStats[];
  bytes: number;
  durationMs: number;
}

const EXPLAINS = new Set(['confirmed', 'possible']);

/** Keep the last record per path (a resumed or merged run may hold several). */
export function latestByPath(records: BundleRecord[]): BundleRecord[] {
  const m = new Map<string, BundleRecord>();
  for (const r of records) m.set(r.path, r);
  return [...m.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `labels`: root-cause ids by recorded path, as `matchLabels` (./labels.ts) gives them. */
export function summarize(all: BundleRecord[], labels?: Map<string, string[]>): Summary {
  const records = latestByPath(all);
  const stats = new Map<string, SignatureStats>();
  const stat = (id: string) => {
    let s = stats.get(id);
    if (!s) { s = { id, confirmed: 0, possible: 0, advisory: 0, ruledOut: 0 }; stats.set(id, s); }
    return s;
  };
  const versions = new Map<string, { fact: string; value: string; bundles: number }>();
  const pairs = new Map<string, number>();
  const unexplained: string[] = [];
  for (const r of records) {
    if (r.error) continue;
    const explaining = [...new Set(r.findings.filter((f) => EXPLAINS.has(f.confidence)).map((f) => f.id))].sort();
    for (const f of r.findings) {
      const s = stat(f.id);
      if (f.confidence === 'confirmed') s.confirmed++;
      else if (f.confidence === 'possible') s.possible++;
      else if (f.confidence === 'advisory') s.advisory++;
      else if (f.confidence === 'ruled-out') s.ruledOut++;
    }
    if (explaining.length === 0) unexplained.push(r.path);
    // Versions of bundles with a confirmed finding: which releases the fleet's problems run on.
    if (r.findings.some((f) => f.confidence === 'confirmed')) {
      for (const fact of ['anthos-bare-metal', 'kubernetes', 'kube-proxy', 'runc', 'kernel']) {
        for (const value of r.facts[fact] ?? []) {
          const k = `${fact}\0${value}`;
          const v = versions.get(k) ?? { fact, value, bundles: 0 };
          v.bundles++;
          versions.set(k, v);
        }
      }
    }
    for (let i = 0; i < explaining.length; i++) for (let j = i + 1; j < explaining.length; j++) {
      const k = `${explaining[i]}\0${explaining[j]}`;
      pairs.set(k, (pairs.get(k) ?? 0) + 1);
    }
  }
  const summary: Summary = {
    bundles: records.length,
    failed: records.filter((r) => r.error).map((r) => ({ path: r.path, error: r.error! })),
    signatures: [...stats.values()].filter((s) => s.confirmed + s.possible + s.advisory + s.ruledOut > 0)
      .sort((a, b) => b.confirmed - a.confirmed || b.possible - a.possible || (a.id < b.id ? -1 : 1)),
    versions: [...versions.values()].sort((a, b) => b.bundles - a.bundles || (a.fact + a.value < b.fact + b.value ? -1 : 1)).slice(0, 10),
    slowest: [...records].sort((a, b) => b.durationMs - a.durationMs || (a.path < b.path ? -1 : 1)).slice(0, 5).map((r) => ({ path: r.path, durationMs: Math.round(r.durationMs), size: r.size })),
    unexplained,
    cooccurring: [...pairs.entries()].map(([k, n]) => ({ ids: k.split('\0') as [string, string], bundles: n })).sort((a, b) => b.bundles - a.bundles).slice(0, 10),
    bytes: records.reduce((n, r) => n + (r.size ?? 0), 0),
    durationMs: records.reduce((n, r) => n + r.durationMs, 0),
  };
  if (labels) summary.labels = labelStats(records, labels);
  return summary;
}

/** Precision and recall per signature against known root causes (a bundle may have several). */
function labelStats(records: BundleRecord[], labels: Map<string, string[]>): LabelStats[] {
  const ids = new Set<string>();
  for (const ls of labels.values()) for (const l of ls) ids.add(l);
  for (const r of records) for (const f of r.findings) if (f.confidence === 'confirmed') ids.add(f.id);
  const out: LabelStats[] = [];
  for (const id of [...ids].sort()) {
    let tp = 0, fp = 0, fn = 0;
    for (const r of records) {
      const truth = labels.get(r.path);
      if (!truth || r.error) continue; // unlabeled bundles say nothing about precision
      const found = r.findings.some((f) => f.id === id && f.confidence === 'confirmed');
      const expected = truth.includes(id);
      if (found && expected) tp++;
      else if (found) fp++;
      else if (expected) fn++;
    }
    out.push({
      id, truePositives: tp, falsePositives: fp, falseNegatives: fn,
      precision: tp + fp ? tp / (tp + fp) : undefined,
      recall: tp + fn ? tp / (tp + fn) : undefined,
    });
  }
  return out;
}

const pct = (x?: number) => (x === undefined ? '–' : `${Math.round(x * 100)}%`);

export function renderSummary(s: Summary): string {
  const out: string[] = [];
  out.push(`Batch summary: ${s.bundles} bundle${s.bundles === 1 ? '' : 's'} scanned, ${s.failed.length} failed, ${s.unexplained.length} with nothing explaining them`);
  if (s.signatures.length) {
    const t = new Table({ head: ['SIGNATURE', 'CONFIRMED', 'POSSIBLE', 'ADVISORY', 'RULED OUT'], style: { head: [], border: [] } });
    for (const x of s.signatures) t.push([x.id, x.confirmed, x.possible, x.advisory, x.ruledOut]);
    out.push(t.toString());
  }
  if (s.versions.length) out.push(`Versions in bundles with a confirmed finding: ${s.versions.map((v) => `${v.fact} ${v.value} (${v.bundles})`).join(', ')}`);
  if (s.cooccurring.length) out.push(`Co-occurring: ${s.cooccurring.map((c) => `${c.ids.join(' + ')} (${c.bundles})`).join(', ')}`);
  if (s.slowest.length) out.push(`Slowest: ${s.slowest.map((x) => `${x.path} ${(x.durationMs / 1000).toFixed(1)} s`).join(', ')}`);
  if (s.unexplained.length) out.push(`Unexplained (leads for new signatures): ${s.unexplained.slice(0, 10).join(', ')}${s.unexplained.length > 10 ? ` … +${s.unexplained.length - 10}` : ''}`);
  for (const f of s.failed) out.push(`Failed: ${f.path}: ${f.error}`);
  if (s.labels) {
    const t = new Table({ head: ['SIGNATURE', 'TP', 'FP', 'FN', 'PRECISION', 'RECALL'], style: { head: [], border: [] } });
    for (const l of s.labels) t.push([l.id, l.truePositives, l.falsePositives, l.falseNegatives, pct(l.precision), pct(l.recall)]);
    out.push('Against labels:', t.toString());
  }
  return `${out.join('\n')}\n`;
}
