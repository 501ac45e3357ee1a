/**
 * Loads signature files: the shipped `signatures/` folder plus any user folders. Every file is
 * parsed and checked; a broken file is reported with its diagnostics and skipped, and the
 * others still load. A user signature with the id of a shipped one replaces it, with a notice.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, resolve } from 'node:path';
import fg from 'fast-glob';
import type { Signature } from './ast.js';
import { defaultVocabulary, type Vocabulary } from './check.js';
import type { Diagnostic } from './diagnostics.js';

/** The package's own signatures folder (works from src/ under vitest and from dist/ after build). */
export const SHIPPED_SIGNATURES = resolve(fileURLToPath(new URL('.', import.meta.url)), /\/dist\//.test(import.meta.url) ? '../../../signatures' : '../../signatures');

export interface LoadResult {
  signatures: Signature[];
  diagnostics: Diagnostic[];
  /** Sources of the files with diagnostics, for caret excerpts. */
  sources: Map<string, string>;
  notices: string[];
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/**
 * Checked signatures are cached by content (and by the parsers' declared vocabulary, which the
 * checks depend on), so a run whose signature files did not change never loads the grammar:
 * building the chevrotain parser costs more than the rest of start-up together.
 * KUBESLEUTH_CACHE_DIR moves the cache; KUBESLEUTH_NO_CACHE=1 turns it off.
 */
const CACHE_VERSION = 1;
type CacheEntry = { signature?: Signature; diagnostics: Diagnostic[] };

function cachePath(): string | undefined {
  if (process.env.KUBESLEUTH_NO_CACHE) return undefined;
  const base = process.env.KUBESLEUTH_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kubesleuth');
  return join(base, `signatures-v${CACHE_VERSION}.json`);
}

function readCache(path: string | undefined): Record<string, CacheEntry> {
  if (!path) return {};
  try { return JSON.parse(readFileSync(path, 'utf8')) as Record<string, CacheEntry>; } catch { return {}; }
}

function writeCache(path: string | undefined, entries: Record<string, CacheEntry>): void {
  if (!path) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entries));
    renameSync(tmp, path); // atomic: concurrent runs never read half a file
  } catch { /* a read-only home only costs start-up time */ }
}

export async function loadSignatureDirs(dirs: string[], opts: { includeShipped?: boolean; vocab?: Vocabulary } = {}): Promise<LoadResult> {
  const vocab = opts.vocab ?? defaultVocabulary();
  const vocabHash = createHash('sha256').update(JSON.stringify([...vocab.kinds].map(([k, f]) => [k, [...f].sort()]).sort())).digest('hex');
  const path = cachePath();
  const cache = readCache(path);
  const used: Record<string, CacheEntry> = {};
  let misses = 0;
  let parseText: ((text: string, file: string, vocab: Vocabulary) => CacheEntry) | undefined;
  const result: LoadResult = { signatures: [], diagnostics: [], sources: new Map(), notices: [] };
  const byId = new Map<string, Signature>();
  const all = [...(opts.includeShipped === false ? [] : [SHIPPED_SIGNATURES]), ...dirs];
  for (const [i, dir] of all.entries()) {
    const shipped = opts.includeShipped !== false && i === 0;
    const files = fg.sync('**/*.sig', { cwd: dir, absolute: true, onlyFiles: true }).sort();
    if (files.length === 0 && !shipped) result.notices.push(`no .sig files in ${dir}`);
    const idsInDir = new Map<string, string>();
    for (const abs of files) {
      const file = displayPath(abs);
      let text: string;
      try {
        text = readFileSync(abs, 'utf8');
      } catch (e) {
        result.diagnostics.push({ file, line: 1, column: 1, length: 1, code: 'unreadable', message: (e as Error).message, severity: 'error' });
        continue;
      }
      const key = createHash('sha256').update(`${vocabHash}\0${file}\0${text}`).digest('hex');
      let entry = cache[key];
      if (!entry) {
        misses++;
        parseText ??= (await import('./load-text.js')).loadSignatureText;
        entry = parseText(text, file, vocab);
      }
      used[key] = entry;
      const { signature, diagnostics } = entry;
      if (diagnostics.length) { result.diagnostics.push(...diagnostics); result.sources.set(file, text); }
      if (!signature) continue;
      const dup = idsInDir.get(signature.id);
      if (dup) {
        result.diagnostics.push({ file, line: signature.pos.line, column: signature.pos.column, length: 9, code: 'duplicate-id', message: `id '${signature.id}' is also defined in ${dup}`, severity: 'error' });
        result.sources.set(file, text);
        continue;
      }
      idsInDir.set(signature.id, file);
      const previous = byId.get(signature.id);
      if (previous) result.notices.push(`${file} overrides signature '${signature.id}' from ${previous.file}`);
      byId.set(signature.id, signature);
    }
  }
  if (misses > 0) writeCache(path, used);
  result.signatures = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return result;
}
