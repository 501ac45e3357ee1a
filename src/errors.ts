/**
 * Typed errors and the one place that turns them into an exit code. Exit codes:
 * 0 done (nothing at or above --fail-on), 1 findings at or above --fail-on (or a failed
 * `signatures test`/`lint`), 2 usage error or unreadable input.
 */

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export class KubesleuthError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_USAGE, readonly hint?: string) {
    super(message);
  }
}

/** Print a one-line message (the stack only with --debug) and exit. */
export function handleError(e: unknown, debug = false): never {
  if (e instanceof KubesleuthError) {
    process.stderr.write(`kubesleuth: ${e.message}\n${e.hint ? `  hint: ${e.hint}\n` : ''}`);
    if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exit(e.exitCode);
  }
  const err = e as { code?: string; message?: string; stack?: string };
  const msg = err.code === 'ENOENT' ? `no such file or directory: ${err.message?.replace(/^.*?'(.*)'.*$/, '$1')}` : err.message ?? String(e);
  process.stderr.write(`kubesleuth: ${msg}\n`);
  if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('  (run with --debug for details)\n');
  process.exit(EXIT_USAGE);
}
