/** `--format markdown`: a report to paste into a support ticket. */
import type { BundleReport } from '../analyze.js';
import { address, clauseSummary, coverageLine, excerpt, headline, versionLines } from './format.js';
import type { RenderOptions } from './index.js';
import { visibleFindings } from './table.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(r: BundleReport, opts: RenderOptions): string {
  const out: string[] = [`## kubesleuth: ${cell(r.input)}`, '', headline(r).slice(r.input.length).trim(), ''];
  const shown = visibleFindings(r, opts);
  if (shown.length === 0) out.push('No known issue matched. This is not a clean bill of health: see coverage.', '');
  else {
    out.push('| # | Confidence | Score | Signature | Title | Nodes |', '|---|---|---|---|---|---|');
    shown.forEach((f, i) => out.push(`| ${i + 1} | ${f.confidence} | ${f.score.toFixed(2)} | \`${f.id}\` | ${cell(f.title)} | ${cell(f.nodes.join(', ') || '–')} |`));
    out.push('');
    shown.forEach((f, i) => {
      out.push(`### ${i + 1}. ${f.title} (\`${f.id}\`, ${f.confidence}, ${f.severity})`, '');
      if (f.reason) out.push(`**Ruled out:** ${f.reason}`, '');
      out.push('**Evidence**', '');
      for (const c of f.clauses) {
        out.push(`- ${c.satisfied !== c.negated ? '✔' : '✘'} ${clauseSummary(c)}`);
        if (c.satisfied && !c.negated) for (const e of c.examples.slice(0, opts.examples ?? 3)) out.push(`  - \`${address(e)}\`${e.node ? ` (${e.node})` : ''}: \`${excerpt(e, 140).replace(/`/g, "'")}\``);
      }
      for (const v of versionLines(f)) out.push(`- ${v}`);
      if (f.missing.length) { out.push('', '**Missing**', ''); for (const m of f.missing) out.push(`- ${m.description ?? m.clause}: ${m.needs}`); }
      out.push('', '**What it means**', '', f.explanation.trim(), '', '**Fix**', '', f.remediation.trim(), '');
      if (f.check) out.push('**Check by hand**', '', '```', f.check.trim(), '```', '');
      if (f.references.length) out.push(`**References:** ${f.references.join(', ')}`, '');
    });
  }
  out.push(`_${coverageLine(r)}_`, '');
  if (r.warnings.length) {
    out.push(`**Warnings (${r.warnings.length + r.warningsDropped})**`, '');
    for (const w of r.warnings.slice(0, 20)) out.push(`- \`${w.address}${w.line ? `:${w.line}` : ''}\`: ${w.message}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
