/**
 * `npm run bench`: kubesleuth's throughput, memory and scaling on generated bundles, with the
 * baselines measured in the same run on the same machine, and a pass/fail line per target.
 *
 *   node dist/bench/run.js [--size 200MB] [--batch-size 20MB] [--skip-batch] [--skip-double]
 *                          [--skip-baselines] [--skip-flat] [--json FILE]
 *
 * Every measurement runs in a child process: wall time from here, peak RSS from
 * `/usr/bin/time -v` when present (else the probe's own `process.resourceUsage().maxRSS`).
 * Throughput is decompressed bytes read per second of wall time, start-up included, the same
 * way for kubesleuth and for the baselines.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR, ensureBundle, ensureSmallFile, formatBytes, parseSize } from './generate.js';
import type { ProbeMode, ProbeResult } from './probe.js';
import { loadCatalog } from '../src/cli/signatures-loader.js';
import { compileSignatures } from '../src/match/compile.js';
import { SHIPPED_SIGNATURES } from '../src/dsl/load.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const PROBE = join(ROOT, 'dist/bench/probe.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Flags {
  size: number;
  batchSize?: number;
  skipBatch: boolean;
  skipDouble: boolean;
  skipBaselines: boolean;
  skipFlat: boolean;
  json?: string;
}

function parseFlags(argv: string[]): Flags {
  const f: Flags = { size: 200e6, skipBatch: false, skipDouble: false, skipBaselines: false, skipFlat: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const name = a.split('=')[0];
    if (name === '--size') f.size = parseSize(value());
    else if (name === '--batch-size') f.batchSize = parseSize(value());
    else if (name === '--skip-batch') f.skipBatch = true;
    else if (name === '--skip-double') f.skipDouble = true;
    else if (name === '--skip-baselines') f.skipBaselines = true;
    else if (name === '--skip-flat') f.skipFlat = true;
    else if (name === '--json') f.json = value();
    else if (name === '--help' || name === '-h') {
      process.stdout.write('usage: npm run bench -- [--size 200MB] [--batch-size 20MB] [--skip-batch] [--skip-double] [--skip-baselines] [--skip-flat] [--json FILE]\n');
      process.exit(0);
    } else throw new Error(`unknown flag: ${a}`);
  }
  return f;
}

interface RunResult {
  wallMs: number;
  maxRssKiB?: number;
  stdout: string;
  code: number;
}

/** Run a command; with /usr/bin/time -v when present, for its peak RSS. */
function run(cmd: string, args: string[], opts: { shell?: boolean } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const argv = opts.shell ? ['bash', '-c', [cmd, ...args].join(' ')] : [cmd, ...args];
    const full = TIME ? [TIME, '-v', ...argv] : argv;
    const t0 = performance.now();
    const child = spawn(full[0], full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      const stderr = Buffer.concat(err).toString('utf8');
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolvePromise({ wallMs, maxRssKiB: m ? Number(m[1]) : undefined, stdout: Buffer.concat(out).toString('utf8'), code: code ?? -1 });
    });
  });
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, bin)));
}

async function probe(mode: ProbeMode, bundle: string, sigDirs: string[] = []): Promise<ProbeResult & { wallMs: number }> {
  const r = await run(process.execPath, [PROBE, mode, bundle, ...sigDirs]);
  if (r.code !== 0) throw new Error(`probe ${mode} failed (exit ${r.code})`);
  const p = JSON.parse(r.stdout.trim().split('\n').pop() as string) as ProbeResult;
  return { ...p, wallMs: r.wallMs, maxRssKiB: r.maxRssKiB ?? p.maxRssKiB };
}

/** The bundle size whose peak RSS the flat-memory target compares with. */
const FLAT_REFERENCE = 100 * 1024 ** 2;

/** Bundles in the batch measurement. */
const BATCH_BUNDLES = 8;

interface ScanResult {
  wallMs: number;
  maxRssKiB: number;
  bytes: number;
  events: number;
  findings: string[];
}

async function scan(inputs: string[], extra: string[] = []): Promise<ScanResult> {
  const single = inputs.length === 1;
  const args = [CLI, 'scan', ...inputs, '--format', single ? 'json' : 'ndjson', '-q', ...extra];
  if (single && !extra.includes('--jobs')) args.push('--jobs', '1');
  const r = await run(process.execPath, args);
  if (r.code !== 0 && r.code !== 1) throw new Error(`scan failed (exit ${r.code})`);
  let bytes = 0, events = 0;
  const findings: string[] = [];
  const docs = single ? [JSON.parse(r.stdout)] : r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  for (const d of docs as { summary?: { bytes: number; events: number }; bytes?: number; events?: number; findings?: { id: string; confidence: string }[] }[]) {
    bytes += d.summary?.bytes ?? d.bytes ?? 0;
    events += d.summary?.events ?? d.events ?? 0;
    if (single) for (const f of d.findings ?? []) if (f.confidence === 'confirmed') findings.push(f.id);
  }
  return { wallMs: r.wallMs, maxRssKiB: r.maxRssKiB ?? 0, bytes, events, findings };
}

/** The catalog's required literals (the prefilter of each clause), one a line, for rg/grep -F -f. */
async function writeLiterals(): Promise<{ file: string; literals: number; clauses: number; withoutLiterals: number; caseInsensitive: number }> {
  const catalog = await loadCatalog([], { quiet: true });
  const compiled = compileSignatures(catalog.signatures);
  const set = new Set<string>();
  let without = 0, ci = 0;
  for (const c of compiled) {
    if (!c.prefilter || c.prefilter.literals.length === 0) { without++; continue; }
    if (c.prefilter.caseInsensitive) ci++;
    for (const l of c.prefilter.literals) if (l.length > 0 && !l.includes('\n')) set.add(l);
  }
  const file = join(BENCH_DIR, 'literals.txt');
  writeFileSync(file, `${[...set].sort().join('\n')}\n`);
  return { file, literals: set.size, clauses: compiled.length, withoutLiterals: without, caseInsensitive: ci };
}

/** The shipped catalog again under other ids (`<id>-copy`), for `--signatures`. */
function writeDoubledCatalog(): string {
  const dir = join(BENCH_DIR, 'signatures-copy');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(SHIPPED_SIGNATURES).filter((n) => n.endsWith('.sig'))) {
    const id = f.slice(0, -4);
    const text = readFileSync(join(SHIPPED_SIGNATURES, f), 'utf8').replace(new RegExp(`^signature\\s+${id}\\b`, 'm'), `signature ${id}-copy`);
    writeFileSync(join(dir, `${id}-copy.sig`), text);
  }
  return dir;
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch { /* not Linux */ }
  return cpus()[0]?.model ?? 'unknown';
}

const mbps = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);
const f1 = (n: number): string => n.toFixed(1);
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;

interface Target { name: string; goal: string; value: string; pass: boolean | undefined; note?: string }

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const machine = { nproc: cpus().length, cpu: cpuModel(), node: process.version, memory: formatBytes(totalmem()) };
  log(`kubesleuth bench — ${machine.nproc} × ${machine.cpu}, Node ${machine.node}, ${machine.memory} RAM`);

  const main = await ensureBundle(flags.size, log);
  const figures: Record<string, unknown> = { machine, size: flags.size, bundle: main.file, bundleMeta: main.meta };
  const targets: Target[] = [];

  // Profile: each stage is the previous one plus one more step.
  log('profile: gunzip → tar → split → parse → analyze (one process each)…');
  const stages: Record<string, ProbeResult & { wallMs: number }> = {};
  for (const m of ['gunzip', 'tar', 'split', 'parse', 'analyze'] as ProbeMode[]) stages[m] = await probe(m, main.file);
  const bytes = stages.analyze.bytes;
  figures.profile = stages;

  log('kubesleuth scan (CLI, --jobs 1, full catalog)…');
  const ks = await scan([main.file]);
  const ksMBps = mbps(ks.bytes, ks.wallMs);
  figures.scan = { ...ks, mbps: ksMBps, eventsPerSec: ks.events / (ks.wallMs / 1000) };

  // Baselines.
  const base: { name: string; wallMs: number; mbps: number; rssKiB?: number; result: string }[] = [];
  base.push({ name: 'node read floor (gunzip+tar+split)', wallMs: stages.split.wallMs, mbps: mbps(bytes, stages.split.wallMs), rssKiB: stages.split.maxRssKiB, result: `${stages.split.lines} lines` });
  let rgMBps: number | undefined;
  let lits: Awaited<ReturnType<typeof writeLiterals>> | undefined;
  if (!flags.skipBaselines) {
    lits = await writeLiterals();
    figures.literals = lits;
    if (onPath('rg')) {
      log('rg -z -c -F -f literals…');
      const r = await run('rg', ['-z', '-c', '-F', '-f', lits.file, main.file]);
      rgMBps = mbps(bytes, r.wallMs);
      base.push({ name: 'rg -z -c -F -f <literals>', wallMs: r.wallMs, mbps: rgMBps, rssKiB: r.maxRssKiB, result: `${r.stdout.trim() || 0} matching lines` });
    } else log('rg not on PATH (Debian package ripgrep): baseline skipped');
    log('zcat | grep -c -F -f literals…');
    const g = await run(`zcat '${main.file}' | LC_ALL=C grep -c -F -f '${lits.file}'`, [], { shell: true });
    base.push({ name: 'zcat | grep -c -F -f <literals>', wallMs: g.wallMs, mbps: mbps(bytes, g.wallMs), rssKiB: g.maxRssKiB, result: `${g.stdout.trim()} matching lines` });
  }
  figures.baselines = base;
  targets.push({
    name: 'throughput vs rg -z', goal: '≥ 1.0× rg', value: rgMBps ? `${(ksMBps / rgMBps).toFixed(2)}× (${f1(ksMBps)} vs ${f1(rgMBps)} MB/s)` : 'rg not installed',
    pass: rgMBps ? ksMBps >= rgMBps : undefined,
  });
  targets.push({ name: `peak RSS (${formatBytes(bytes)} bundle)`, goal: '≤ 200 MB', value: mib(ks.maxRssKiB), pass: ks.maxRssKiB * 1024 <= 200e6 });

  if (!flags.skipFlat) {
    // The target compares with a 100 MiB bundle; smaller runs compare with a tenth of their size.
    const smallSize = flags.size >= 1.5 * FLAT_REFERENCE ? FLAT_REFERENCE : Math.max(10e6, Math.round(flags.size / 10));
    const small = await ensureBundle(smallSize, log);
    log(`kubesleuth scan on a ${formatBytes(smallSize)} bundle (flat memory)…`);
    const s = await scan([small.file]);
    const ratio = ks.maxRssKiB / s.maxRssKiB;
    figures.flat = { small: small.file, smallBytes: s.bytes, smallRssKiB: s.maxRssKiB, bigRssKiB: ks.maxRssKiB, ratio };
    targets.push({ name: `RSS flat (${formatBytes(bytes)} vs ${formatBytes(s.bytes)})`, goal: 'within ±10 %', value: `${mib(ks.maxRssKiB)} vs ${mib(s.maxRssKiB)} (${ratio >= 1 ? '+' : ''}${f1((ratio - 1) * 100)} %)`, pass: Math.abs(ratio - 1) <= 0.1 });
  }

  if (!flags.skipDouble) {
    log('kubesleuth scan with the catalog loaded twice…');
    const copyDir = writeDoubledCatalog();
    const loaded = (await loadCatalog([copyDir], { quiet: true })).signatures.length;
    const shipped = (await loadCatalog([], { quiet: true })).signatures.length;
    log(`  ${loaded} signatures loaded (${shipped} shipped)`);
    const d = await scan([main.file], ['--signatures', copyDir]);
    const dMBps = mbps(d.bytes, d.wallMs);
    const cost = 1 - dMBps / ksMBps;
    figures.doubled = { ...d, mbps: dMBps, cost, signatures: loaded, shipped };
    targets.push({ name: 'doubled catalog cost', goal: '≤ 20 % throughput', value: `${f1(cost * 100)} % (${f1(dMBps)} vs ${f1(ksMBps)} MB/s, ${loaded} vs ${shipped} signatures)`, pass: cost <= 0.2 });
  }

  if (!flags.skipBatch) {
    const batchSize = flags.batchSize ?? Math.max(10e6, Math.round(flags.size / 10));
    const b = await ensureBundle(batchSize, log);
    const dir = join(BENCH_DIR, `batch-${batchSize}`);
    mkdirSync(dir, { recursive: true });
    const copies = Array.from({ length: BATCH_BUNDLES }, (_, i) => join(dir, `bundle-${i}.tar.gz`));
    for (const c of copies) if (!existsSync(c)) copyFileSync(b.file, c);
    log(`batch: ${BATCH_BUNDLES} × ${formatBytes(batchSize)}, --jobs 1 then --jobs 2…`);
    // Records carry no byte counts: one bundle's bytes, scanned alone, times 8.
    const one = await scan([b.file]);
    // Best of two each, alternating, to damp noise from other load on the machine.
    const best = (a: ScanResult, c: ScanResult) => (a.wallMs <= c.wallMs ? a : c);
    let j1 = await scan(copies, ['--jobs', '1']);
    let j2 = await scan(copies, ['--jobs', '2']);
    j1 = best(j1, await scan(copies, ['--jobs', '1']));
    j2 = best(j2, await scan(copies, ['--jobs', '2']));
    j1.bytes = j2.bytes = one.bytes * copies.length;
    j1.events = j2.events = one.events * copies.length;
    const speedup = j1.wallMs / j2.wallMs;
    figures.batch = { bundleBytes: batchSize, jobs1: { ...j1, mbps: mbps(j1.bytes, j1.wallMs) }, jobs2: { ...j2, mbps: mbps(j2.bytes, j2.wallMs) }, speedup };
    targets.push({ name: 'batch of 8: 2 workers vs 1', goal: '≥ 1.7×', value: `${speedup.toFixed(2)}× (${f1(mbps(j2.bytes, j2.wallMs))} vs ${f1(mbps(j1.bytes, j1.wallMs))} MB/s)`, pass: speedup >= 1.7, note: machine.nproc < 2 ? 'fewer than 2 cores' : undefined });
  }

  log('start-up: scan of a 10 KB file, median of 5…');
  const small = ensureSmallFile();
  const walls: number[] = [];
  for (let i = 0; i < 5; i++) walls.push((await scan([small])).wallMs);
  walls.sort((a, b) => a - b);
  const startup = walls[2];
  figures.startup = { file: small, wallsMs: walls, medianMs: startup };
  targets.push({ name: 'start-up (scan a 10 KB file)', goal: '≤ 0.5 s wall', value: `${(startup / 1000).toFixed(2)} s`, pass: startup <= 500 });

  // ---- print ----
  const out: string[] = [];
  const p = (s = '') => out.push(s);
  p(`machine: ${machine.nproc} × ${machine.cpu}, Node ${machine.node}, ${machine.memory} RAM`);
  p(`bundle:  ${main.file}`);
  p(`         ${formatBytes(bytes)} decompressed, ${formatBytes(main.meta.archiveBytes)} compressed, ${main.meta.members} members (3 cp + ${main.meta.workers} workers, ${main.meta.hours} h) + 3 attached issue snapshots`);
  p();
  p('kubesleuth scan --jobs 1, full catalog (CLI, wall time incl. start-up)');
  p(`  ${f1(ksMBps)} MB/s   ${Math.round(ks.events / (ks.wallMs / 1000)).toLocaleString('en-US')} events/s   ${ks.events.toLocaleString('en-US')} events   ${(ks.wallMs / 1000).toFixed(2)} s   peak RSS ${mib(ks.maxRssKiB)}`);
  p(`  confirmed: ${ks.findings.join(', ') || 'none'}`);
  p();
  p('baselines (same bundle, same run)                   wall s     MB/s   kubesleuth ÷ baseline   peak RSS');
  for (const b of base) p(`  ${b.name.padEnd(48)} ${(b.wallMs / 1000).toFixed(2).padStart(7)} ${f1(b.mbps).padStart(8)} ${`${(ksMBps / b.mbps).toFixed(2)}×`.padStart(12)}             ${b.rssKiB ? mib(b.rssKiB) : '-'}   (${b.result})`);
  if (!onPath('rg') && !flags.skipBaselines) p('  rg -z: not installed (Debian package ripgrep)');
  if (lits) p(`  literals: ${lits.literals} distinct from ${lits.clauses - lits.withoutLiterals} of ${lits.clauses} clauses (${lits.withoutLiterals} have none; searched case-sensitively)`);
  p();
  if (figures.batch) {
    const bt = figures.batch as { bundleBytes: number; jobs1: ScanResult; jobs2: ScanResult; speedup: number };
    p(`batch of ${BATCH_BUNDLES} × ${formatBytes(bt.bundleBytes)} (CLI, --format ndjson, best of 2 each)`);
    for (const [jobs, r] of [[1, bt.jobs1], [2, bt.jobs2]] as const) {
      p(`  --jobs ${jobs}   ${(BATCH_BUNDLES / (r.wallMs / 1000)).toFixed(2)} bundles/s   ${f1(mbps(r.bytes, r.wallMs))} MB/s   ${(r.wallMs / 1000).toFixed(2)} s   peak RSS ${mib(r.maxRssKiB)}`);
    }
    p();
  }
  p('profile (in-process work time, each stage adds one step; one process each)');
  const order: [ProbeMode, string][] = [['gunzip', 'gunzip (outer archive)'], ['tar', 'tar + nested archives'], ['split', 'line split'], ['parse', 'classify + parse + events'], ['analyze', 'match + rank']];
  const total = stages.analyze.ms + (stages.analyze.reportMs ?? 0);
  let prev = 0;
  for (const [m, label] of order) {
    const d = Math.max(0, stages[m].ms - prev);
    prev = Math.max(prev, stages[m].ms);
    p(`  ${label.padEnd(28)} ${String(d).padStart(7)} ms  ${f1((d / total) * 100).padStart(5)} %   (cumulative ${stages[m].ms} ms, ${f1(mbps(bytes, Math.max(1, stages[m].ms)))} MB/s)`);
  }
  p(`  ${'report (render JSON)'.padEnd(28)} ${String(stages.analyze.reportMs ?? 0).padStart(7)} ms  ${f1(((stages.analyze.reportMs ?? 0) / total) * 100).padStart(5)} %`);
  p(`  catalog load + compile ${stages.analyze.loadMs} ms; CLI process overhead (scan wall − probe work) ${Math.round(ks.wallMs - total - (stages.analyze.loadMs ?? 0))} ms`);
  p();
  p('targets');
  for (const t of targets) p(`  ${t.pass === undefined ? 'n/a ' : t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(44)} ${t.goal.padEnd(20)} ${t.value}${t.note ? ` (${t.note})` : ''}`);
  process.stdout.write(`${out.join('\n')}\n`);
  figures.targets = targets;
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(figures, null, 2)}\n`);
}

await main();
