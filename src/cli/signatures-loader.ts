/** Loads the catalog for a command and reports load problems on stderr. */
import { loadSignatureDirs, type LoadResult } from '../dsl/load.js';
import { formatDiagnostic } from '../dsl/diagnostics.js';
import { EXIT_USAGE, KubesleuthError } from '../errors.js';

export async function loadCatalog(userDirs: string[] = [], opts: { strict?: boolean; quiet?: boolean } = {}): Promise<LoadResult> {
  const result = await loadSignatureDirs(userDirs);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!opts.quiet) {
    for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d, result.sources.get(d.file))}\n`);
    for (const n of result.notices) process.stderr.write(`notice: ${n}\n`);
  }
  if (errors.length && opts.strict) {
    throw new KubesleuthError(`${errors.length} signature error${errors.length === 1 ? '' : 's'} (--strict)`, EXIT_USAGE);
  }
  return result;
}
