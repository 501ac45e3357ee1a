/**
 * The terminal report: the bundle's identity, a ranked table (cli-table3), one detail block
 * per finding (why, evidence with file:line and node, versions, fix, check, references), the
 * coverage line and the warnings.
 */
import Table from 'cli-table3';
import type { BundleReport } from '../analyze.js';
import type { Finding } from '../model/finding.js';
import { address, clauseSummary, coverageLine, excerpt, headline, versionLines } from './format.js';
import type { RenderOptions } from './index.js';

function indent(text: string, pad: string): string {
  return text.split('\n').map((l) => (l ? pad + l : l)).join('\n');
}

export function detailBlock(f: Finding, n: number, opts: RenderOptions): string {
  const out: string[] = [];
  const refs = f.references.length ? ` · ${f.references[0]}` : '';
  out.push(`[${n}] ${f.title}    ${f.confidence} · ${f.severity} · ${f.component}${refs}`);
  if (f.reason) out.push(`    Ruled out: ${f.reason}`);
  out.push('    Why');
  for (const c of f.clauses) {
    const good = c.satisfied !== c.negated;
    out.push(`      ${good ? '✔' : '✘'} ${clauseSummary(c)}`);
    if (c.satisfied && !c.negated) {
      for (const e of c.examples.slice(0, opts.examples ?? 3)) {
        out.push(`          ${address(e)}${e.node ? `  [${e.node}]` : ''}`);
        out.push(`            ${excerpt(e)}`);
      }
    }
  }
  for (const v of versionLines(f)) out.push(`      ${f.versions.find((x) => v.startsWith(x.component))?.verdict === 'affected' ? '✔' : '•'} ${v}`);
  if (f.missing.length) {
    out.push('    Missing');
    for (const m of f.missing) out.push(`      - ${m.description ?? m.clause}: ${m.inputPresent ? 'not seen in' : 'needs'} ${m.needs}${m.inputPresent ? '' : ' (not in this bundle)'}`);
  }
  out.push('    What it means');
  out.push(indent(f.explanation.trim(), '      '));
  out.push('    Fix');
  out.push(indent(f.remediation.trim(), '      '));
  if (f.check) { out.push('    Check'); out.push(indent(f.check.trim(), '      ')); }
  if (f.references.length) out.push(`    References  ${f.references.join(', ')}`);
  return out.join('\n');
}

export function visibleFindings(r: BundleReport, opts: RenderOptions): Finding[] {
  return r.findings.filter((f) => {
    if (f.confidence === 'ruled-out') return !!opts.showRuledOut;
    if (f.confidence === 'benign') return !!opts.showBenign;
    return true;
  });
}

export function renderTable(r: BundleReport, opts: RenderOptions): string {
  const out: string[] = [headline(r), ''];
  const shown = visibleFindings(r, opts);
  const benign = r.findings.filter((f) => f.confidence === 'benign');
  if (shown.length === 0) {
    const events = r.summary.filter ? `${r.summary.filter.eventsKept} of ${r.summary.events} events, filtered to ${r.summary.filter.description}` : `${r.summary.events} events`;
    out.push(`No known issue matched. Looked at ${r.summary.filesParsed} files (${events}) from ${r.summary.nodes.length || 'no'} node${r.summary.nodes.length === 1 ? '' : 's'}; this is not a clean bill of health — see coverage below.`);
  } else {
    const t = new Table({ head: ['#', 'CONFIDENCE', 'SCORE', 'ID', 'TITLE', 'NODES'], style: { head: [], border: [] }, wordWrap: true, colWidths: [4, 12, 7, 34, 46, 20] });
    shown.forEach((f, i) => t.push([String(i + 1), f.confidence, f.score.toFixed(2), f.id, f.title, f.nodes.join(', ') || '–']));
    out.push(t.toString());
    out.push('');
    shown.forEach((f, i) => { out.push(detailBlock(f, i + 1, opts)); out.push(''); });
  }
  if (benign.length && !opts.showBenign) {
    out.push(`known harmless: ${benign.map((b) => b.id).join(', ')} (${r.summary.benignEvents} lines set aside; --show-benign to list)`);
  }
  const ruledOut = r.findings.filter((f) => f.confidence === 'ruled-out');
  if (ruledOut.length && !opts.showRuledOut) out.push(`ruled out by version: ${ruledOut.map((f) => f.id).join(', ')} (--show-ruled-out for the reasons)`);
  out.push(coverageLine(r));
  if (opts.coverage) {
    for (const c of r.coverage) {
      const detail = [c.missingInputs.length ? `missing ${c.missingInputs.join('; ')}` : '', c.truncatedInputs.length ? `truncated ${c.truncatedInputs.join(', ')}` : ''].filter(Boolean).join(' · ');
      out.push(`  ${c.status.padEnd(9)} ${c.id}${detail ? `  ${detail}` : ''}`);
    }
  }
  const notUnderstood = r.inventory.filter((f) => !f.parser);
  if (notUnderstood.length) out.push(`not understood: ${notUnderstood.length} file${notUnderstood.length === 1 ? '' : 's'} (kubesleuth inventory lists them)`);
  if (r.warnings.length) {
    out.push(`warnings: ${r.warnings.length + r.warningsDropped}`);
    for (const w of r.warnings.slice(0, opts.maxWarnings ?? 10)) out.push(`  ${w.address}${w.line ? `:${w.line}` : ''}: ${w.message}`);
    if (r.warnings.length > (opts.maxWarnings ?? 10)) out.push(`  … ${r.warnings.length - (opts.maxWarnings ?? 10)} more (--format json lists all)`);
  }
  return `${out.join('\n')}\n`;
}
