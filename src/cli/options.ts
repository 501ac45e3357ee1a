/** Option parsing shared by commands: times, shards, confidences, severities, inputs. */
import { existsSync } from 'node:fs';
import { normalize, resolve } from 'node:path';
import fg from 'fast-glob';
import { KubesleuthError } from '../errors.js';
import type { Confidence } from '../model/finding.js';
import { SEVERITIES } from '../dsl/vocabulary.js';
import { STDIN } from '../ingest/walk.js';

/** ISO 8601 time; without a zone it is read as UTC (bundles are usually `--utc`). */
export function parseTime(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(text) || /^\d{4}-\d\d-\d\d$/.test(text) ? text : `${text}Z`;
  const t = Date.parse(withZone);
  if (Number.isNaN(t)) throw new KubesleuthError(`${flag}: '${text}' is not a time (use ISO 8601, e.g. 2024-03-05T10:00:00Z)`);
  return t;
}

export function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new KubesleuthError(`--shard: '${text}' must be i/n with 0 <= i < n (e.g. 0/4)`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** Stable shard of an input: a hash of its path, so glob order does not matter. */
export function shardOf(path: string, count: number): number {
  let h = 2166136261;
  for (let i = 0; i < path.length; i++) { h ^= path.charCodeAt(i); h = Math.imul(h, 16777619); }
  return (h >>> 0) % count;
}

export const MIN_CONFIDENCES = ['confirmed', 'possible', 'advisory'] as const;

export function parseMinConfidence(text: string | undefined): Confidence[] | undefined {
  if (text === undefined) return undefined;
  const i = (MIN_CONFIDENCES as readonly string[]).indexOf(text);
  if (i < 0) throw new KubesleuthError(`--min-confidence: '${text}' is not one of ${MIN_CONFIDENCES.join(', ')}`);
  return MIN_CONFIDENCES.slice(0, i + 1) as Confidence[];
}

export function parseSeverity(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const order = [...SEVERITIES].reverse(); // info … critical
  const i = (order as string[]).indexOf(text);
  if (i < 0) throw new KubesleuthError(`${flag}: '${text}' is not one of ${SEVERITIES.join(', ')}`);
  return i;
}

export function severityRank(s: string): number {
  return ([...SEVERITIES].reverse() as string[]).indexOf(s);
}

/**
 * Expand paths and globs into a sorted, de-duplicated list of inputs. The same file named twice
 * (`a.tgz`, `./a.tgz`, its absolute path, a glob hit) is one input, spelled the shortest way, so
 * the list and its shards do not depend on how the arguments were written.
 */
export async function expandInputs(args: string[]): Promise<string[]> {
  const byFile = new Map<string, string>();
  const add = (p: string) => {
    const spelled = p === STDIN ? p : normalize(p);
    const key = p === STDIN ? p : resolve(p);
    const seen = byFile.get(key);
    if (seen === undefined || spelled.length < seen.length || (spelled.length === seen.length && spelled < seen)) byFile.set(key, spelled);
  };
  for (const a of args) {
    if (a === STDIN || existsSync(a)) { add(a); continue; }
    if (fg.isDynamicPattern(a)) {
      const hits = await fg(a, { onlyFiles: true, dot: true });
      if (hits.length === 0) throw new KubesleuthError(`no input matches '${a}'`);
      for (const h of hits) add(h);
      continue;
    }
    throw new KubesleuthError(`no such file or directory: ${a}`, 2, 'pass a bundle (.tar.gz, .tgz, .tar, .gz), a folder, a log file or - for stdin');
  }
  return [...byFile.values()].sort();
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
