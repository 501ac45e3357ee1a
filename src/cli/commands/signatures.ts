/** `kubesleuth signatures list | lint | test`. */
import { Command } from 'commander';
import Table from 'cli-table3';
import { relative } from 'node:path';
import { loadSignatureDirs } from '../../dsl/load.js';
import { formatDiagnostic } from '../../dsl/diagnostics.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, handleError } from '../../errors.js';
import { checkSamples, SAMPLES_DIR } from '../../sample-check.js';
import { loadCatalog } from '../signatures-loader.js';
import { collect } from '../options.js';

const list = new Command('list')
  .description('list the signatures, optionally filtered')
  .option('--component <name>', 'only this component')
  .option('--platform <name>', 'only signatures for this platform')
  .option('--kind <kind>', 'issue, benign or advisory')
  .option('-s, --signatures <dir>', 'also load this folder (repeatable)', collect, [])
  .option('--json', 'print as JSON')
  .action(async (opts: { component?: string; platform?: string; kind?: string; signatures: string[]; json?: boolean }) => {
    try {
      const sigs = (await loadCatalog(opts.signatures)).signatures.filter((s) =>
        (!opts.component || s.component === opts.component)
        && (!opts.platform || s.platforms.includes(opts.platform) || s.platforms.includes('any'))
        && (!opts.kind || s.kind === opts.kind));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(sigs.map((s) => ({ id: s.id, kind: s.kind, severity: s.severity, component: s.component, platforms: s.platforms, title: s.title })), null, 2)}\n`);
        return;
      }
      const t = new Table({ head: ['ID', 'KIND', 'SEVERITY', 'COMPONENT', 'PLATFORMS', 'TITLE'], style: { head: [], border: [] }, wordWrap: true, colWidths: [36, 10, 10, 18, 20, 50] });
      for (const s of sigs) t.push([s.id, s.kind, s.severity, s.component, s.platforms.join(', '), s.title]);
      process.stdout.write(`${t.toString()}\n${sigs.length} signature${sigs.length === 1 ? '' : 's'}\n`);
    } catch (e) { handleError(e); }
  });

const lint = new Command('lint')
  .description('check signature files; prints file:line:col diagnostics, exit 2 on errors')
  .argument('[dirs...]', 'folders of .sig files (default: the shipped catalog)')
  .action(async (dirs: string[]) => {
    try {
      const r = await loadSignatureDirs(dirs, { includeShipped: dirs.length === 0 });
      for (const d of r.diagnostics) process.stdout.write(`${formatDiagnostic(d, r.sources.get(d.file))}\n`);
      for (const n of r.notices) process.stdout.write(`notice: ${n}\n`);
      const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = r.diagnostics.length - errors;
      process.stdout.write(`${r.signatures.length} signature${r.signatures.length === 1 ? '' : 's'} loaded, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
      process.exitCode = errors ? EXIT_USAGE : EXIT_OK;
    } catch (e) { handleError(e); }
  });

const test = new Command('test')
  .description('run every signature against its positive and negative samples')
  .argument('[ids...]', 'only these signatures')
  .option('--samples <dir>', 'samples folder', SAMPLES_DIR)
  .action(async (ids: string[], opts: { samples: string }) => {
    try {
      const { signatures } = await loadCatalog();
      const selected = ids.length ? ids : signatures.map((s) => s.id);
      const results = await checkSamples(signatures, selected, opts.samples);
      for (const r of results) {
        process.stdout.write(`${r.pass ? 'PASS' : 'FAIL'}  ${r.id.padEnd(40)} ${r.expect.padEnd(6)} ${relative(process.cwd(), r.sample)}${r.pass ? '' : `  — ${r.message}${r.top && r.top !== r.id ? ` (top finding: ${r.top})` : ''}`}\n`);
      }
      const failed = results.filter((r) => !r.pass).length;
      process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
      process.exitCode = failed ? EXIT_FINDINGS : EXIT_OK;
    } catch (e) { handleError(e); }
  });

export const signaturesCommand = new Command('signatures')
  .description('list, lint and test the signature catalog')
  .addCommand(list)
  .addCommand(lint)
  .addCommand(test);
