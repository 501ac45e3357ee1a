/**
 * Peak memory on the large hostile cases: a single 100 MB line and a 2 GB log, each inside a
 * tar.gz, scanned by the built CLI in a child process whose peak RSS is reported.
 *
 *   node dist/bench/hostile-memory.js [--line-mb 100] [--log-mb 2048] [--keep]
 *
 * Prints one line per case: input size, wall time, peak RSS, and the warnings the scan gave.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigCases } from '../test/hostile/corpus.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const MB = 1024 * 1024;
const lineMb = arg('--line-mb', 100);
const logMb = arg('--log-mb', 2048);
const dir = mkdtempSync(join(tmpdir(), 'kubesleuth-hostile-bench-'));
const probe = join(dir, 'peak.mjs');
writeFileSync(probe, "process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n");

try {
  const t0 = performance.now();
  const { longLine, bigLog } = await bigCases(dir, lineMb * MB, logMb * MB);
  process.stdout.write(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const cases = [
    { name: `${lineMb} MB single line`, file: longLine, bytes: lineMb * MB },
    { name: `${logMb} MB log`, file: bigLog, bytes: logMb * MB },
  ];
  for (const c of cases) {
    const started = performance.now();
    const r = spawnSync(process.execPath, ['--import', `file://${probe}`, CLI, 'scan', c.file, '--format', 'json', '--quiet'], { encoding: 'utf8', maxBuffer: 64 * MB });
    const secs = (performance.now() - started) / 1000;
    const peak = Number(/peak-rss-kb (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
    let warnings = '';
    try {
      const doc = JSON.parse(r.stdout) as { warnings: { code: string; message: string }[]; summary: { lines: number } };
      warnings = `${doc.summary.lines} lines; warnings: ${doc.warnings.map((w) => `${w.code} (${w.message})`).join('; ') || 'none'}`;
    } catch {
      warnings = `exit ${r.status}: ${r.stderr.trim().split('\n')[0]}`;
    }
    process.stdout.write(`${c.name.padEnd(22)} ${(statSync(c.file).size / MB).toFixed(1).padStart(7)} MB gz  ${secs.toFixed(1).padStart(6)} s  ${(c.bytes / MB / secs).toFixed(0).padStart(4)} MB/s  peak RSS ${peak.toFixed(0)} MB  exit ${r.status}  ${warnings}\n`);
  }
} finally {
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
