/**
 * Chooses the parser for a file: every registered parser rates the probe (path hints plus the
 * first KiB), the best rating wins, ties go to registry order. A file nobody rates is "not
 * understood" and listed as such in the inventory; binary files are recognised up front.
 */
import type { FileProbe, ParserModule } from '../model/parser.js';
import { commandFromName, componentFromPath, nodeFromPath, podFromPath } from './layout.js';

export const SNIFF_BYTES = 4096;

export interface ProbeInput {
  address: string;
  path: string;
  name: string;
  mtime?: number;
  head: Buffer;
}

export function makeProbe(m: ProbeInput): FileProbe {
  return {
    address: m.address,
    path: m.path,
    name: m.name,
    command: commandFromName(m.name),
    head: m.head.toString('utf8'),
    node: nodeFromPath(m.path),
    component: componentFromPath(m.path),
    pod: podFromPath(m.path),
    mtime: m.mtime,
  };
}

/** True when the head looks like binary data rather than text (NULs or mostly non-printables). */
export function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) odd++;
  }
  return odd / head.length > 0.1;
}

export interface Classification {
  parser?: ParserModule;
  score: number;
  /** Why nothing was chosen: `binary`, `empty`, `no parser recognised it`. */
  reason?: string;
}

export function classify(probe: FileProbe, head: Buffer, parsers: readonly ParserModule[]): Classification {
  if (head.length === 0) return { score: 0, reason: 'empty file' };
  if (looksBinary(head)) return { score: 0, reason: 'binary data' };
  let best: ParserModule | undefined;
  let bestScore = 0;
  for (const p of parsers) {
    let s = 0;
    try { s = p.detect(probe); } catch { s = 0; } // a detector bug must not lose the file
    if (s > bestScore) { best = p; bestScore = s; }
  }
  return best ? { parser: best, score: bestScore } : { score: 0, reason: 'no parser recognised it' };
}
