/** Runs the built CLI (dist/) as a user would, capturing stdout, stderr and the exit code. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const CLI = resolve(ROOT, 'dist/src/cli/main.js');
export const BUNDLES = resolve(ROOT, 'samples/bundles');

export interface CliResult { code: number; stdout: string; stderr: string }

export function cli(args: string[], opts: { input?: Buffer | string; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, input: opts.input, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
