/**
 * `kubesleuth scan <paths|globs|->`: analyze one or many bundles and report the known issues
 * that explain them. One bundle gives a full report; many give one record or report per
 * bundle, written as each finishes, and a summary (src/batch/).
 */
import { Command, Option } from 'commander';
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { BundleReport } from '../../analyze.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, handleError, KubesleuthError } from '../../errors.js';
import { REPORTERS, SCAN_FORMATS, type ScanFormat } from '../../report/index.js';
import { redactDeep } from '../../report/redact.js';
import { compileSignatures } from '../../match/compile.js';
import { loadCatalog } from '../signatures-loader.js';
import { collect, expandInputs, parseMinConfidence, parseSeverity, parseShard, parseTime, severityRank, shardOf } from '../options.js';
import { signatureHashes } from '../../batch/hash.js';
import { errorRecord, parseRecords, redactRecord, toRecord, type BundleRecord } from '../../batch/record.js';
import { runJobs, type Job } from '../../batch/pool.js';
import { renderSummary, summarize } from '../../batch/summary.js';
import { labelsFor, parseLabels } from '../../batch/labels.js';
import { Progress } from '../../batch/progress.js';
import { DEFAULT_LIMITS, type IngestLimits } from '../../ingest/walk.js';
import { DEFAULT_MAX_LINE_BYTES } from '../../ingest/lines.js';
import type { Confidence } from '../../model/finding.js';

interface ScanOptions {
  format: ScanFormat;
  signatures: string[];
  only: string[];
  minConfidence?: string;
  failOn?: string;
  shard?: string;
  node: string[];
  since?: string;
  until?: string;
  showRuledOut?: boolean;
  showBenign?: boolean;
  coverage?: boolean;
  strict?: boolean;
  redact: boolean;
  output?: string;
  resume?: string;
  labels?: string;
  debug?: boolean;
  quiet?: boolean;
  jobs?: string;
  maxDepth?: string;
  maxBytes?: string;
  maxRatio?: string;
  maxLineBytes?: string;
}

export const scanCommand = new Command('scan')
  .description('analyze support bundles and report the known issues that explain them')
  .argument('<inputs...>', 'bundles (.tar.gz, .tgz, .tar, .gz), folders, log files, globs (quoted), or - for stdin')
  .addOption(new Option('-f, --format <format>', 'output format (ndjson: one record per bundle)').choices(SCAN_FORMATS).default('table'))
  .option('-s, --signatures <dir>', 'add a folder of .sig files (repeatable; same id overrides a shipped one)', collect, [])
  .option('--only <id>', 'run only this signature (repeatable): retro-hunt one signature over an archive', collect, [])
  .option('--min-confidence <level>', 'hide findings below: confirmed, possible or advisory')
  .option('--fail-on <severity>', 'exit 1 when a confirmed or possible finding has at least this severity (critical, high, medium, low, info)')
  .option('--node <node>', 'only read events from this node (repeatable)', collect, [])
  .option('--since <time>', 'only read events at or after this time (ISO 8601, UTC if no zone)')
  .option('--until <time>', 'only read events at or before this time')
  .option('--show-ruled-out', 'also show findings ruled out by the bundle\'s versions, with the reason')
  .option('--show-benign', 'also show benign signatures (known harmless errors)')
  .option('--coverage', 'list every signature as evaluated, partial or skipped, with the missing inputs')
  .option('--strict', 'exit 2 when a signature file has errors (default: report and go on)')
  .option('--no-redact', 'print secrets found in the bundle as they are (local use only)')
  .option('-o, --output <file>', 'write to a file instead of stdout (ndjson: appended as each bundle finishes)')
  .option('--resume <file>', 'skip bundles already in this NDJSON output with the same content and signatures')
  .option('--labels <csv>', 'CSV of bundle path,root-cause-id: adds precision and recall per signature to the summary')
  .option('--shard <i/n>', 'scan only the i-th of n disjoint partitions of the inputs (0-based; e.g. $JOB_COMPLETION_INDEX/8)')
  .option('-j, --jobs <n>', 'bundles analyzed in parallel on worker threads (default: number of cores for several bundles)')
  .option('--max-depth <n>', `archives nested deeper than this are listed, not opened (default ${DEFAULT_LIMITS.maxDepth})`)
  .option('--max-bytes <size>', `decompressed bytes read per input, all members together (default ${DEFAULT_LIMITS.maxTotalBytes / 1024 ** 3}G; suffixes K, M, G)`)
  .option('--max-ratio <n>', `decompression ratio treated as a bomb past the first ${DEFAULT_LIMITS.ratioGraceBytes / 1024 ** 2} MiB (default ${DEFAULT_LIMITS.maxRatio})`)
  .option('--max-line-bytes <size>', `longer lines are cut to this, with a warning (default ${DEFAULT_MAX_LINE_BYTES / 1024 ** 2}M)`)
  .option('-q, --quiet', 'no progress bar or notices on stderr')
  .option('--debug', 'show stack traces for errors')
  .action(async (inputs: string[], opts: ScanOptions) => {
    try {
      process.exitCode = await runScan(inputs, opts);
    } catch (e) {
      handleError(e, opts.debug);
    }
  });

/** A positive size: `1048576`, `512K`, `100M`, `2G` (binary units). */
export function parseSize(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([KMG]i?B?)?$/i.exec(text.trim());
  const n = m ? Number(m[1]) * 1024 ** ' KMG'.indexOf((m[2]?.[0] ?? ' ').toUpperCase()) : NaN;
  if (!Number.isFinite(n) || n < 1) throw new KubesleuthError(`${flag}: '${text}' is not a size (e.g. 1048576, 512K, 100M, 2G)`);
  return Math.floor(n);
}

function parseLimits(opts: ScanOptions): IngestLimits {
  const depth = opts.maxDepth === undefined ? DEFAULT_LIMITS.maxDepth : Number(opts.maxDepth);
  if (!Number.isInteger(depth) || depth < 0) throw new KubesleuthError(`--max-depth: '${opts.maxDepth}' must be a whole number ≥ 0`);
  const ratio = opts.maxRatio === undefined ? DEFAULT_LIMITS.maxRatio : Number(opts.maxRatio);
  if (!Number.isFinite(ratio) || ratio < 1) throw new KubesleuthError(`--max-ratio: '${opts.maxRatio}' must be a number ≥ 1`);
  return { ...DEFAULT_LIMITS, maxDepth: depth, maxRatio: ratio, maxTotalBytes: parseSize(opts.maxBytes, '--max-bytes') ?? DEFAULT_LIMITS.maxTotalBytes };
}

function parseJobs(text: string | undefined, inputs: number): number {
  if (text === undefined) return inputs > 1 ? availableParallelism() : 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new KubesleuthError(`--jobs: '${text}' must be a whole number ≥ 1`);
  return n;
}

async function runScan(args: string[], opts: ScanOptions): Promise<number> {
  const shard = parseShard(opts.shard);
  const minConfidence = parseMinConfidence(opts.minConfidence);
  const failOn = parseSeverity(opts.failOn, '--fail-on');
  const filter = { node: opts.node, since: parseTime(opts.since, '--since'), until: parseTime(opts.until, '--until') };
  const labels = opts.labels ? parseLabels(readFileSync(opts.labels, 'utf8')) : undefined;
  let inputs = await expandInputs(args);
  if (shard) inputs = inputs.filter((p) => shardOf(p, shard.count) === shard.index);
  const jobs = parseJobs(opts.jobs, inputs.length);
  const limits = parseLimits(opts);
  const maxLineBytes = parseSize(opts.maxLineBytes, '--max-line-bytes');

  const catalog = await loadCatalog(opts.signatures, { strict: opts.strict, quiet: opts.quiet });
  let signatures = catalog.signatures;
  if (opts.only.length) {
    const unknown = opts.only.filter((id) => !signatures.some((s) => s.id === id));
    if (unknown.length) throw new KubesleuthError(`unknown signature id: ${unknown.join(', ')}`, EXIT_USAGE, 'kubesleuth signatures list shows the ids');
    signatures = signatures.filter((s) => opts.only.includes(s.id));
  }
  const compiled = compileSignatures(signatures);
  const sigHashes = signatureHashes(signatures);
  if (!opts.redact && !opts.quiet) process.stderr.write('notice: --no-redact: secrets found in the bundle are printed as they are\n');

  // Resume: what an earlier run already knows, by path.
  const previous = new Map<string, BundleRecord>();
  if (opts.resume && existsSync(opts.resume)) {
    const { records, bad } = parseRecords(readFileSync(opts.resume, 'utf8'));
    for (const r of records) if (!r.error) previous.set(r.path, r);
    if (bad && !opts.quiet) process.stderr.write(`notice: ${opts.resume}: ${bad} incomplete line(s) ignored (an interrupted run)\n`);
  }
  const sameFile = opts.resume && opts.output && resolve(opts.resume) === resolve(opts.output);
  // Writing a table or a report over the NDJSON being resumed would destroy it.
  if (sameFile && opts.format !== 'ndjson') throw new KubesleuthError(`--output ${opts.output} is the file --resume reads: add --format ndjson, or write elsewhere`);
  if (opts.output && opts.format === 'ndjson' && !sameFile) writeFileSync(opts.output, '');
  // A killed run may have left half a line: start ours on a fresh one.
  if (sameFile && existsSync(opts.output!) && !/(^|\n)$/.test(readFileSync(opts.output!, 'utf8').slice(-1))) appendFileSync(opts.output!, '\n');

  const renderOpts = { showRuledOut: opts.showRuledOut, showBenign: opts.showBenign, coverage: opts.coverage };
  const single = inputs.length === 1 && opts.format !== 'ndjson';
  const records: BundleRecord[] = [];
  // Rendered per input, printed in input order whatever order the workers finish in.
  const byInput = new Map<string, string>();
  const write = (text: string) => {
    if (opts.output && opts.format === 'ndjson') appendFileSync(opts.output, text);
    else if (opts.format === 'ndjson') process.stdout.write(text);
  };
  const emitRecord = (r: BundleRecord, fresh: boolean) => {
    records.push(r);
    if (opts.format === 'ndjson' && (fresh || !sameFile)) write(`${JSON.stringify(opts.redact ? redactRecord(r) : r)}\n`);
  };

  // Each job hashes its bundle where it runs (records and --resume need the hash) and decides
  // there whether the earlier run's record stands.
  const needHash = opts.format === 'ndjson' || !!opts.resume || inputs.length > 1;
  const work: Job[] = inputs.map((input) => {
    const old = previous.get(input);
    return { input, hash: needHash, previous: old && { hash: old.hash, signatures: old.signatures } };
  });

  const progress = new Progress(inputs.length, inputs.reduce((n, input) => n + fileSize(input), 0), !!opts.quiet || single);
  let failedAll = 0;
  await runJobs(work, { jobs, signatures, compiled, signatureHashes: sigHashes, signatureDirs: opts.signatures, catalogOnly: opts.only, filter, limits, maxLineBytes }, (res) => {
    const input = res.job.input;
    const h = res.content;
    const meta = { path: input, hash: h?.hash, size: h?.size, durationMs: Math.round(res.durationMs), signatures: sigHashes };
    if ('unchanged' in res) {
      const reused = pruneRecord(previous.get(input)!, sigHashes);
      progress.tick(h?.size, false);
      emitRecord(reused, false);
      if (opts.format === 'table') byInput.set(input, `${briefLine(reused)} (unchanged since the resumed run)`);
      return;
    }
    if ('error' in res) {
      failedAll++;
      progress.tick(h?.size, true);
      if (!opts.quiet) progress.note(`kubesleuth: cannot read ${input}: ${res.error}`);
      const failed = errorRecord(meta, res.error);
      emitRecord(failed, true);
      if (opts.format === 'table' && !single) byInput.set(input, briefLine(opts.redact ? redactRecord(failed) : failed));
      return;
    }
    const report = res.report;
    if (minConfidence) report.findings = report.findings.filter((f) => keep(f.confidence, minConfidence));
    let record = toRecord(report, meta);
    if (res.only) record = mergeRecord(previous.get(input)!, record, res.only, sigHashes);
    progress.tick(h?.size, false);
    emitRecord(record, true);
    if (opts.format === 'table' || opts.format === 'markdown' || opts.format === 'json') {
      const shown: BundleReport = opts.redact ? redactDeep(report) : report;
      byInput.set(input, opts.format === 'table' && !single ? briefLine(opts.redact ? redactRecord(record) : record) : REPORTERS[opts.format](shown, renderOpts));
    }
  });
  progress.stop();

  const matchedLabels = () => {
    if (!labels) return undefined;
    const { byPath, notice } = labelsFor(opts.labels!, labels, records.map((r) => r.path));
    // A shard holds only part of the inputs: the other shards' labels are expected to miss.
    if (notice && !opts.quiet) process.stderr.write(`${notice}${shard ? ' (this run scans one shard only)' : ''}\n`);
    return byPath;
  };
  const docs = inputs.filter((i) => byInput.has(i)).map((i) => byInput.get(i)!);
  if (opts.format === 'json' && !single) docs.splice(0, docs.length, `[\n${docs.map((d) => d.trimEnd()).join(',\n')}\n]\n`);
  const summary = () => renderSummary(summarize(opts.redact ? records.map(redactRecord) : records, matchedLabels()));
  if (opts.format === 'table' && !single) docs.push('', summary());
  else if (labels && opts.format !== 'ndjson') docs.push(summary());
  if (opts.format !== 'ndjson') {
    const text = opts.format === 'table' && !single ? `${docs.join('\n')}` : docs.join(opts.format === 'markdown' ? '\n' : '');
    if (opts.output) writeFileSync(opts.output, text);
    else process.stdout.write(text);
  }

  if (inputs.length > 0 && failedAll === inputs.length) return EXIT_USAGE;
  if (failOn !== undefined) {
    const hit = records.some((r) => r.findings.some((f) => (f.confidence === 'confirmed' || f.confidence === 'possible') && severityRank(f.severity) >= failOn));
    if (hit) return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/** Bytes of an input for the progress bar (a folder or stdin counts as 0). */
function fileSize(input: string): number {
  try {
    const st = statSync(input);
    return st.isFile() ? st.size : 0;
  } catch {
    return 0;
  }
}

function keep(c: Confidence, allowed: Confidence[]): boolean {
  return allowed.includes(c) || c === 'benign' || c === 'ruled-out';
}

/** One line per bundle in a table-format batch. */
function briefLine(r: BundleRecord): string {
  if (r.error) return `${r.path}: failed: ${r.error}`;
  const damaged = r.warnings ? ` (${r.warnings} warning${r.warnings === 1 ? '' : 's'})` : '';
  const top = r.findings.find((f) => f.confidence === 'confirmed' || f.confidence === 'possible' || f.confidence === 'advisory');
  const what = top ? `${top.confidence} ${top.id} (${top.score.toFixed(2)})${r.findings.length > 1 ? ` +${r.findings.filter((f) => f !== top && f.confidence !== 'benign' && f.confidence !== 'ruled-out').length} more` : ''}` : 'no known issue matched';
  return `${r.path}: ${what}${damaged}`;
}

/** A resumed record keeps only findings of signatures still in the catalog. */
function pruneRecord(old: BundleRecord, sigHashes: Record<string, string>): BundleRecord {
  return { ...old, signatures: sigHashes, findings: old.findings.filter((f) => f.id in sigHashes) };
}

/** Fold the findings of re-run (changed or new) signatures into a resumed record. */
function mergeRecord(old: BundleRecord, fresh: BundleRecord, rerun: string[], sigHashes: Record<string, string>): BundleRecord {
  const kept = old.findings.filter((f) => f.id in sigHashes && !rerun.includes(f.id));
  const order = { confirmed: 0, possible: 1, advisory: 2, 'ruled-out': 3, benign: 4 } as const;
  const findings = [...kept, ...fresh.findings].sort((a, b) => order[a.confidence] - order[b.confidence] || b.score - a.score || (a.id < b.id ? -1 : 1));
  return { ...fresh, durationMs: old.durationMs + fresh.durationMs, signatures: sigHashes, facts: old.facts, findings };
}
