/** Small text helpers shared by the renderers. */
import type { EvidenceLine, Finding } from '../model/finding.js';
import type { BundleReport } from '../analyze.js';
import { formatDuration } from '../model/time.js';

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** `file:line` or `file:first-last`. */
export function address(e: { file: string; line: number; endLine?: number }): string {
  return `${e.file}:${e.endLine && e.endLine !== e.line ? `${e.line}-${e.endLine}` : e.line}`;
}

/** One line of evidence text, cut to a readable width. */
export function excerpt(e: EvidenceLine, width = 160): string {
  const lines = e.text.split('\n');
  let first = lines[0].trim();
  if (first.length > width) first = `${first.slice(0, width - 1)}…`;
  return lines.length > 1 ? `${first} (+${lines.length - 1} lines)` : first;
}

export function clauseSummary(c: Finding['clauses'][number]): string {
  const what = c.description ?? c.name;
  if (c.negated) return c.satisfied ? `${what}: present (${c.count}×), which argues against this issue` : `${what}: absent, as expected`;
  if (!c.satisfied && c.count === 0) return `${what}: not found${c.inputPresent ? '' : ` — no ${c.needs} in this bundle`}`;
  const span = c.first !== undefined && c.last !== undefined && c.last > c.first ? ` over ${formatDuration(c.last - c.first)}` : '';
  const nodes = c.nodes.length ? ` on ${c.nodes.length > 3 ? `${c.nodes.length} nodes` : c.nodes.join(', ')}` : '';
  return `${what} (${c.count}×${span}${nodes})${c.satisfied ? '' : ' — not enough to count'}`;
}

export function versionLines(f: Finding): string[] {
  return f.versions.map((v) => {
    const found = [...new Set(v.found.map((x) => x.value))];
    const fixed = v.fixed.length ? ` (fixed in ${v.fixed.join(' / ')})` : '';
    switch (v.verdict) {
      case 'affected': return `${v.component} ${found.join(', ')} is affected${fixed}`;
      case 'fixed': return `${v.component} ${found.join(', ')} carries the fix${fixed}`;
      case 'not-affected': return `${v.component} ${found.join(', ')} is outside the affected range (${v.affected.join(', ')})`;
      default: return `${v.component} version not found in the bundle; affected: ${v.affected.join(', ') || 'see fix list'}${fixed}`;
    }
  });
}

/** The bundle's one-line identity: kind, cluster, versions, nodes, size. */
export function headline(r: BundleReport): string {
  const f = r.facts;
  const one = (name: string) => [...new Set((f[name] ?? []).map((x) => x.value))].join('/');
  const parts = [r.summary.snapshotKind];
  // An upload may hold snapshots of several clusters: name them all.
  const clusters = [...new Set((f['cluster.name'] ?? []).map((x) => x.value))];
  if (clusters.length > 1) parts.push(`clusters ${clusters.join(', ')}`);
  else if (r.summary.cluster) parts.push(`cluster ${r.summary.cluster}`);
  if (one('anthos-bare-metal')) parts.push(`Anthos bare metal ${one('anthos-bare-metal')}`);
  const k8s = one('kubernetes') || one('kubelet');
  if (k8s) parts.push(`Kubernetes ${k8s}`);
  if (r.summary.nodes.length) {
    // Several sources name the OS ("Ubuntu", "Ubuntu 20.04.2 LTS"): the most specific reads best.
    const osName = [...new Set((f['os.name'] ?? []).map((x) => x.value))].sort((a, b) => b.length - a.length)[0];
    const os = [osName, one('kernel') && `kernel ${one('kernel')}`].filter(Boolean).join(', ');
    parts.push(`${r.summary.nodes.length} node${r.summary.nodes.length === 1 ? '' : 's'}${os ? ` (${os})` : ''}`);
  }
  parts.push(`${r.summary.files} files, ${bytes(r.summary.bytes)}`);
  return `${r.input}  ${parts.join(' · ')}`;
}

export function coverageLine(r: BundleReport): string {
  const evaluated = r.coverage.filter((c) => c.status === 'evaluated').length;
  const partial = r.coverage.filter((c) => c.status === 'partial');
  const skipped = r.coverage.filter((c) => c.status === 'skipped');
  const truncated = r.coverage.filter((c) => c.truncatedInputs.length > 0).length;
  const missing = [...new Set([...skipped, ...partial].flatMap((c) => c.missingInputs))].sort();
  const bits = [`${evaluated} signatures evaluated`];
  if (partial.length) bits.push(`${partial.length} partially (inputs missing)`);
  if (skipped.length) bits.push(`${skipped.length} skipped for missing inputs`);
  if (truncated) bits.push(`${truncated} on truncated input`);
  const tail = missing.length ? ` — missing: ${missing.slice(0, 6).join('; ')}${missing.length > 6 ? `; +${missing.length - 6} more` : ''}` : '';
  // Inputs the filters excluded read as missing: say so, or the line misleads.
  const f = r.summary.filter;
  const filtered = f ? ` (filtered to ${f.description}: ${f.eventsKept} of ${r.summary.events} events kept; inputs outside the filter count as missing)` : '';
  return `coverage: ${bits.join(', ')}${filtered}${tail}`;
}
