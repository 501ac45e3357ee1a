/** Content hashes for resume: of a bundle's bytes, and of each signature's source. */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import fg from 'fast-glob';
import type { Signature } from '../dsl/ast.js';
import { printCondition, printEvidence } from '../dsl/print.js';

/** sha256 of a file, or of a directory's sorted listing with sizes and mtimes. */
export async function contentHash(path: string): Promise<{ hash: string; size: number } | undefined> {
  if (path === '-') return undefined;
  const st = await fs.stat(path);
  const h = createHash('sha256');
  if (st.isDirectory()) {
    const files = await fg('**/*', { cwd: path, dot: true, onlyFiles: true, stats: true, followSymbolicLinks: false });
    files.sort((a, b) => (a.path < b.path ? -1 : 1));
    let size = 0;
    for (const f of files) { h.update(`${f.path}\0${f.stats?.size}\0${f.stats?.mtimeMs}\n`); size += f.stats?.size ?? 0; }
    return { hash: h.digest('hex'), size };
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return { hash: h.digest('hex'), size: st.size };
}

/** A short hash of what a signature means (its parsed form), insensitive to comments and layout. */
export function signatureHash(s: Signature): string {
  const meaning = JSON.stringify({
    kind: s.kind, severity: s.severity, affects: s.affects.map((a) => [a.component, a.ranges.map((r) => r.text)]),
    fixed: s.fixed.map((f) => [f.component, f.versions]), evidence: s.evidence.map((e) => [e.name, e.weight, printEvidence(e)]),
    condition: printCondition(s.condition), perNode: s.perNode,
  });
  return createHash('sha256').update(meaning).digest('hex').slice(0, 16);
}

export function signatureHashes(sigs: readonly Signature[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sigs) out[s.id] = signatureHash(s);
  return out;
}
