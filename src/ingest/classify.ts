/**
 * Chooses the parser for a file: every registered parser rates the probe (path hints plus the
 * first KiB), the best rating wins, ties go to registry order. A file nobody rates is "not
 * understood" and listed as such in the inventory; binary files are recognised up front.
 */
import type { FileProbe, ParserModule } from '../model/parser.js';
import { commandFromName, componentFromPath, nodeFromPath, podFromPath } from './layout.js';
import { componentFromContent } from './component-hint.js';

export const SNIFF_BYTES = 4096;

export interface ProbeInput {
  address: string;
  path: string;
  name: string;
  mtime?: number;
  head: Buffer;
}

export function makeProbe(m: ProbeInput): FileProbe {
  const head = m.head.toString('utf8');
  return {
    address: m.address,
    path: m.path,
    name: m.name,
    command: commandFromName(m.name),
    head,
    node: nodeFromPath(m.path),
    component: componentFromPath(m.path) ?? componentFromContent(head),
    pod: podFromPath(m.path),
    mtime: m.mtime,
  };
}

/** True when the head looks like binary data rather than text (NULs or mostly non-printables). */
export function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  // A log may hold a run or two of NULs (a file zeroed by a crash) and still be text; NULs
  // scattered through the data, control bytes or mostly non-UTF-8 high bytes mean binary.
  let odd = 0, high = 0, nuls = 0, nulRuns = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0) { nuls++; if (i === 0 || head[i - 1] !== 0) nulRuns++; continue; }
    if (b < 9 || (b > 13 && b < 32)) odd++;
    else if (b >= 0x80) high++;
  }
  const text = head.length - nuls;
  if (text === 0 || nulRuns > 3) return true;
  if (odd / text > 0.1) return true;
  return high / text > 0.3 && !validUtf8(head.subarray(0, Math.max(0, head.length - 3)));
}

function validUtf8(b: Buffer): boolean {
  try { new TextDecoder('utf-8', { fatal: true }).decode(b); return true; } catch { return false; }
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
