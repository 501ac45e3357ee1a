/**
 * Parses and checks one signature text. Kept apart from the loader so the grammar (chevrotain,
 * slow to load) is only imported when a signature is not in the cache.
 */
import type { Signature } from './ast.js';
import { checkSignature, defaultVocabulary, type Vocabulary } from './check.js';
import type { Diagnostic } from './diagnostics.js';
import { parseSignatureText } from './parser.js';

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
