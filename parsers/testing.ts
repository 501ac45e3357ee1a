/**
 * Runs one parser over in-memory text, the way the pipeline would, for parser unit tests.
 * Not used at run time.
 */
import type { FileProbe, ParsedEvent, ParserModule } from '../src/model/parser.js';
import { commandFromName, componentFromPath, nodeFromPath, podFromPath } from '../src/ingest/layout.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export interface ParserRun {
  events: ParsedEvent[];
  facts: { name: string; value: string; line: number; node?: string }[];
  warnings: { code: string; line: number; message: string }[];
}

/** A probe for a file at `path` (inside a snapshot) whose head is `text`. */
export function probeFor(path: string, text: string, extra: Partial<FileProbe> = {}): FileProbe {
  const name = path.split('/').pop() ?? path;
  return {
    address: path, path, name, command: commandFromName(name), head: text.slice(0, 4096),
    node: nodeFromPath(path), component: componentFromPath(path), pod: podFromPath(path),
    mtime: Date.UTC(2024, 5, 1), ...extra,
  };
}

export function runParser(parser: ParserModule, text: string, path = 'input.txt', extra: Partial<FileProbe> = {}): ParserRun {
  const run: ParserRun = { events: [], facts: [], warnings: [] };
  const lp = parser.create({
    file: probeFor(path, text, extra),
    emit: (e) => run.events.push(e),
    fact: (name, value, line, node) => run.facts.push({ name, value, line, node }),
    warn: (code, line, message) => run.warnings.push({ code, line, message }),
  });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => lp.line(l.endsWith('\r') ? l.slice(0, -1) : l, i + 1));
  lp.end();
  return run;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Text of a real sample from ../shared/real-samples (read-only reference inputs). */
export function realSample(rel: string): string {
  return readFileSync(resolve(here, '../../shared/real-samples', rel), 'utf8');
}
