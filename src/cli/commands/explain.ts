/** `kubesleuth explain <id>`: the known issue, the evidence it looks for, versions and fix. */
import { Command } from 'commander';
import type { Signature } from '../../dsl/ast.js';
import { printCondition, printEvidence } from '../../dsl/print.js';
import { handleError, KubesleuthError } from '../../errors.js';
import { loadCatalog } from '../signatures-loader.js';
import { collect } from '../options.js';
import { needsOf } from '../../match/rank.js';
import { compileSignatures } from '../../match/compile.js';

/** Template references read better as placeholders than as `{stuck.count}`. */
const placeholders = (t: string) => t.replace(/\{([\w-]+)\.([\w.-]+)\}/g, (_m, a: string, b: string) => `<${a} ${b}>`);

export function explainText(s: Signature): string {
  const out: string[] = [];
  out.push(`${s.title}`, `${'='.repeat(Math.min(100, s.title.length))}`, '');
  out.push(`id          ${s.id}`);
  out.push(`kind        ${s.kind}`);
  out.push(`severity    ${s.severity}`);
  out.push(`component   ${s.component}`);
  out.push(`platforms   ${s.platforms.join(', ')}`);
  for (const a of s.affects) out.push(`affects     ${a.component} ${a.ranges.map((r) => r.text || 'any').join(', ')}`);
  for (const f of s.fixed) out.push(`fixed in    ${f.component} ${f.versions.join(', ')}`);
  // Without this line, "no version rule" would read the same as "versions unknown".
  if (s.affects.length === 0 && s.fixed.length === 0) out.push('versions    any release: no version rule');
  out.push('', 'What happens', placeholders(s.explanation).split('\n').map((l) => `  ${l}`).join('\n'));
  if (s.evidence.length) {
    out.push('', `Evidence${s.perNode ? ' (all on the same node)' : ''}`);
    const compiled = compileSignatures([s]);
    for (const e of s.evidence) {
      const c = compiled.find((x) => x.evidence === e)!;
      out.push(`  ${e.name}${e.description ? ` — ${e.description}` : ''}${e.weight !== 1 ? ` (weight ${e.weight})` : ''}`);
      out.push(`    ${printEvidence(e)}`);
      out.push(`    read from: ${needsOf(c)}`);
    }
    out.push(`  condition: ${printCondition(s.condition)}`);
  }
  out.push('', 'Fix', placeholders(s.remediation).split('\n').map((l) => `  ${l}`).join('\n'));
  if (s.check) out.push('', 'Check by hand', s.check.split('\n').map((l) => `  ${l}`).join('\n'));
  if (s.references.length) out.push('', 'References', ...s.references.map((r) => `  ${r}`));
  out.push('', `Defined in ${s.file}`);
  return `${out.join('\n')}\n`;
}

export const explainCommand = new Command('explain')
  .description('explain a known issue: what happens, the evidence kubesleuth looks for, versions and fix')
  .argument('<signature-id>')
  .option('-s, --signatures <dir>', 'also load this folder of .sig files (repeatable)', collect, [])
  .option('--json', 'print the signature as JSON')
  .action(async (id: string, opts: { signatures: string[]; json?: boolean }) => {
    try {
      const { signatures } = await loadCatalog(opts.signatures, { quiet: true });
      const s = signatures.find((x) => x.id === id);
      if (!s) {
        const close = signatures.filter((x) => x.id.includes(id) || id.includes(x.id.split('-')[0])).map((x) => x.id).slice(0, 5);
        throw new KubesleuthError(`no signature '${id}'`, 2, close.length ? `did you mean: ${close.join(', ')}?` : 'kubesleuth signatures list shows them all');
      }
      process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : explainText(s));
    } catch (e) {
      handleError(e);
    }
  });
