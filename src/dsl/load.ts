/**
 * Loads signature files: the shipped `signatures/` folder plus any user folders. Every file is
 * parsed and checked; a broken file is reported with its diagnostics and skipped, and the
 * others still load. A user signature with the id of a shipped one replaces it, with a notice.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative, resolve } from 'node:path';
import fg from 'fast-glob';
import type { Signature } from './ast.js';
import { checkSignature, type Vocabulary } from './check.js';
import type { Diagnostic } from './diagnostics.js';
import { parseSignatureText } from './parser.js';
import { declaredKinds } from '../../parsers/index.js';

/** The package's own signatures folder (works from src/ under vitest and from dist/ after build). */
export const SHIPPED_SIGNATURES = resolve(fileURLToPath(new URL('.', import.meta.url)), /\/dist\//.test(import.meta.url) ? '../../../signatures' : '../../signatures');

export interface LoadResult {
  signatures: Signature[];
  diagnostics: Diagnostic[];
  /** Sources of the files with diagnostics, for caret excerpts. */
  sources: Map<string, string>;
  notices: string[];
}

export function defaultVocabulary(): Vocabulary {
  return { kinds: declaredKinds() };
}

/** Parse and check one signature text. `file` is used for locations and the id check. */
export function loadSignatureText(text: string, file: string, vocab: Vocabulary = defaultVocabulary()): { signature?: Signature; diagnostics: Diagnostic[] } {
  const { raw, problems } = parseSignatureText(text);
  if (problems.length > 0 || !raw) {
    return {
      diagnostics: problems.map((p) => ({ file, line: p.line, column: p.column, length: p.length, code: 'syntax', message: p.message, severity: 'error' as const })),
    };
  }
  return checkSignature(raw, file, vocab);
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

export function loadSignatureDirs(dirs: string[], opts: { includeShipped?: boolean; vocab?: Vocabulary } = {}): LoadResult {
  const vocab = opts.vocab ?? defaultVocabulary();
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
      const { signature, diagnostics } = loadSignatureText(text, file, vocab);
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
  result.signatures = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return result;
}
