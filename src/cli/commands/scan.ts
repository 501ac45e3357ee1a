/**
 * `kubesleuth scan <paths|globs|->`: analyze one or many bundles and report the known issues
 * that explain them.
 */
import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { analyzeBundle, type BundleReport } from '../../analyze.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, handleError } from '../../errors.js';
import { REPORTERS, REPORTER_NAMES, type ReporterName } from '../../report/index.js';
import { redactDeep } from '../../report/redact.js';
import { compileSignatures } from '../../match/compile.js';
import { errorText } from '../../ingest/walk.js';
import { loadCatalog } from '../signatures-loader.js';
import { collect, expandInputs, parseMinConfidence, parseSeverity, parseShard, parseTime, severityRank, shardOf } from '../options.js';

interface ScanOptions {
  format: ReporterName;
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
  debug?: boolean;
  quiet?: boolean;
  jobs?: string;
}

export const scanCommand = new Command('scan')
  .description('analyze support bundles and report the known issues that explain them')
  .argument('<inputs...>', 'bundles (.tar.gz, .tgz, .tar, .gz), folders, log files, globs, or - for stdin')
  .addOption(new Option('-f, --format <format>', 'output format').choices(REPORTER_NAMES).default('table'))
  .option('-s, --signatures <dir>', 'add a folder of .sig files (repeatable; same id overrides a shipped one)', collect, [])
  .option('--only <id>', 'run only this signature (repeatable)', collect, [])
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
  .option('-o, --output <file>', 'write the report to a file instead of stdout')
  .option('--shard <i/n>', 'scan only the i-th of n disjoint partitions of the inputs (0-based)')
  .option('-j, --jobs <n>', 'bundles analyzed in parallel (default: 1)')
  .option('-q, --quiet', 'no notices on stderr')
  .option('--debug', 'show stack traces for errors')
  .action(async (inputs: string[], opts: ScanOptions) => {
    try {
      process.exitCode = await runScan(inputs, opts);
    } catch (e) {
      handleError(e, opts.debug);
    }
  });

async function runScan(args: string[], opts: ScanOptions): Promise<number> {
  const shard = parseShard(opts.shard);
  const minConfidence = parseMinConfidence(opts.minConfidence);
  const failOn = parseSeverity(opts.failOn, '--fail-on');
  const filter = { node: opts.node, since: parseTime(opts.since, '--since'), until: parseTime(opts.until, '--until') };
  let inputs = await expandInputs(args);
  if (shard) inputs = inputs.filter((p) => shardOf(p, shard.count) === shard.index);

  const catalog = loadCatalog(opts.signatures, { strict: opts.strict, quiet: opts.quiet });
  let signatures = catalog.signatures;
  if (opts.only.length) {
    const unknown = opts.only.filter((id) => !signatures.some((s) => s.id === id));
    if (unknown.length) { process.stderr.write(`kubesleuth: unknown signature id: ${unknown.join(', ')}\n`); return EXIT_USAGE; }
    signatures = signatures.filter((s) => opts.only.includes(s.id));
  }
  const compiled = compileSignatures(signatures);
  if (!opts.redact && !opts.quiet) process.stderr.write('notice: --no-redact: secrets found in the bundle are printed as they are\n');

  const render = REPORTERS[opts.format];
  const chunks: string[] = [];
  const reports: BundleReport[] = [];
  let failed = 0;
  for (const input of inputs) {
    let report: BundleReport;
    try {
      report = await analyzeBundle(input, { signatures, compiled, filter });
    } catch (e) {
      failed++;
      process.stderr.write(`kubesleuth: cannot read ${input}: ${errorText(e)}\n`);
      continue;
    }
    if (minConfidence) report.findings = report.findings.filter((f) => minConfidence.includes(f.confidence) || f.confidence === 'benign' || f.confidence === 'ruled-out');
    const shown = opts.redact ? redactDeep(report) : report;
    reports.push(report);
    if (opts.format === 'json' && inputs.length > 1) continue; // printed as one array below
    chunks.push(render(shown, { showRuledOut: opts.showRuledOut, showBenign: opts.showBenign, coverage: opts.coverage }));
  }
  if (opts.format === 'json' && inputs.length > 1) {
    const docs = reports.map((r) => JSON.parse(REPORTERS.json(opts.redact ? redactDeep(r) : r, { showRuledOut: opts.showRuledOut, showBenign: opts.showBenign })));
    chunks.push(`${JSON.stringify(docs, null, 2)}\n`);
  }
  const text = chunks.join(opts.format === 'table' || opts.format === 'markdown' ? '\n' : '');
  if (opts.output) writeFileSync(opts.output, text);
  else process.stdout.write(text);

  if (failed === inputs.length && inputs.length > 0) return EXIT_USAGE;
  if (failOn !== undefined) {
    const hit = reports.some((r) => r.findings.some((f) => (f.confidence === 'confirmed' || f.confidence === 'possible') && severityRank(f.severity) >= failOn));
    if (hit) return EXIT_FINDINGS;
  }
  return failed > 0 ? EXIT_USAGE : EXIT_OK;
}
