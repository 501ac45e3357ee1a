/**
 * Known root causes for batch precision and recall: a CSV of `path,root-cause-id`, and the
 * matching of its paths to the paths the scan recorded. Labels are written by people, rarely
 * in the spelling the scan used (`./case-1/upload.tgz`, relative to the CSV, absolute, or
 * written on another machine), so a labelled path is matched by, in order: the same string,
 * the same file once resolved (against the CSV's folder, then the current directory), and
 * finally its trailing path components when they pick out one recorded bundle only.
 */
import { dirname, isAbsolute, normalize, resolve, sep } from 'node:path';

/** Parse a labels CSV: `path,root-cause-id[;other-id]` per line, `#` comments, optional header. */
export function parseLabels(text: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(',');
    if (i < 0) continue;
    const path = line.slice(0, i).trim().replace(/^"|"$/g, '');
    const ids = line.slice(i + 1).split(/[;|]/).map((s) => s.trim()).filter(Boolean);
    if (path === 'path' || path === 'bundle') continue; // header
    m.set(path, ids.filter((x) => x !== 'none' && x !== 'healthy'));
  }
  return m;
}

export interface LabelMatch {
  /** Root-cause ids by recorded bundle path. */
  byPath: Map<string, string[]>;
  /** Labelled paths that match no recorded bundle, in CSV order. */
  unmatched: string[];
  /** Of those, the ones whose trailing components fit several bundles. */
  ambiguous: string[];
}

export interface MatchOptions {
  /** The folder holding the CSV: relative labelled paths are tried against it first. */
  csvDir: string;
  /** The directory relative recorded paths (and labelled ones, second) are resolved against. */
  cwd: string;
}

const STDIN = '-';

/** Path components, without empty, `.` and leading `..` segments (they say nothing about the tail). */
function components(path: string): string[] {
  const parts = normalize(path).split(sep).filter((p) => p !== '' && p !== '.');
  while (parts[0] === '..') parts.shift();
  return parts;
}

/** How many trailing components two paths share. */
function commonTail(a: string[], b: string[]): number {
  let k = 0;
  while (k < a.length && k < b.length && a[a.length - 1 - k] === b[b.length - 1 - k]) k++;
  return k;
}

/**
 * How well a labelled path's tail fits a recorded one: the shared trailing components, when
 * they are all of the shorter path or at least a folder and a file name; else 0. A shared file
 * name alone (`upload.tgz` in `case-1/` and `case-9/`) says nothing.
 */
function tailFit(label: string[], recorded: string[]): number {
  const k = commonTail(label, recorded);
  return k > 0 && (k === Math.min(label.length, recorded.length) || k >= 2) ? k : 0;
}

export function matchLabels(labels: Map<string, string[]>, recorded: string[], opts: MatchOptions): LabelMatch {
  const paths = [...new Set(recorded)];
  const exact = new Set(paths);
  const byResolved = new Map<string, string>();
  for (const p of paths) if (p !== STDIN) byResolved.set(resolve(opts.cwd, p), p);

  const byPath = new Map<string, string[]>();
  const assign = (path: string, ids: string[]) => byPath.set(path, [...new Set([...(byPath.get(path) ?? []), ...ids])]);
  const pending: string[] = [];
  for (const [label, ids] of labels) {
    let hit: string | undefined = exact.has(label) ? label : undefined;
    if (!hit && label !== STDIN) {
      const tries = isAbsolute(label) ? [resolve(label)] : [resolve(opts.csvDir, label), resolve(opts.cwd, label)];
      hit = tries.map((t) => byResolved.get(t)).find((p) => p !== undefined);
    }
    if (hit) assign(hit, ids);
    else pending.push(label);
  }

  // Trailing components: a label written on another machine, or a scan run from elsewhere.
  // The best fit must be one bundle, and that bundle the best fit of no other label.
  const free = paths.filter((p) => p !== STDIN && !byPath.has(p));
  const freeParts = new Map(free.map((p) => [p, components(p)]));
  const candidates = new Map<string, string[]>();
  for (const label of pending) {
    const lp = components(label);
    let best = 0;
    let hits: string[] = [];
    for (const p of free) {
      const k = tailFit(lp, freeParts.get(p)!);
      if (k > best) { best = k; hits = [p]; } else if (k > 0 && k === best) hits.push(p);
    }
    candidates.set(label, hits);
  }
  const claims = new Map<string, number>();
  for (const c of candidates.values()) if (c.length === 1) claims.set(c[0], (claims.get(c[0]) ?? 0) + 1);
  const unmatched: string[] = [];
  const ambiguous: string[] = [];
  for (const label of pending) {
    const c = candidates.get(label)!;
    if (c.length === 1 && claims.get(c[0]) === 1) { assign(c[0], labels.get(label)!); continue; }
    unmatched.push(label);
    if (c.length > 1 || (c.length === 1 && claims.get(c[0])! > 1)) ambiguous.push(label);
  }
  return { byPath, unmatched, ambiguous };
}

/** One stderr line for labelled paths that matched nothing, or undefined when all matched. */
export function unmatchedNotice(csv: string, m: LabelMatch, total: number, shown = 5): string | undefined {
  if (m.unmatched.length === 0) return undefined;
  const ambiguous = new Set(m.ambiguous);
  const list = m.unmatched.slice(0, shown).map((p) => (ambiguous.has(p) ? `${p} (fits several bundles)` : p)).join(', ');
  const more = m.unmatched.length > shown ? ` … +${m.unmatched.length - shown} more` : '';
  return `notice: ${csv}: ${m.unmatched.length} of ${total} labelled path${total === 1 ? '' : 's'} match no scanned bundle, left out of precision and recall: ${list}${more}`;
}

/** Labels read from `csvFile` matched to the recorded bundle paths, with the notice for those matching none. */
export function labelsFor(csvFile: string, labels: Map<string, string[]>, recorded: string[]): { byPath: Map<string, string[]>; notice?: string } {
  const matched = matchLabels(labels, recorded, { csvDir: dirname(csvFile), cwd: process.cwd() });
  return { byPath: matched.byPath, notice: unmatchedNotice(csvFile, matched, labels.size) };
}
