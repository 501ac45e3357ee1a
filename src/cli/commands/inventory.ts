/** `kubesleuth inventory <bundle>`: what is in the bundle, and what is missing from it. */
import { Command } from 'commander';
import Table from 'cli-table3';
import { readBundle } from '../../ingest/read-bundle.js';
import { buildInventory } from '../../inventory.js';
import { nodeTable } from '../../node-table.js';
import { handleError } from '../../errors.js';
import { redactDeep } from '../../report/redact.js';
import { bytes } from '../../report/format.js';
import { expandInputs } from '../options.js';

export const inventoryCommand = new Command('inventory')
  .description('show what a bundle holds: cluster, versions, nodes, files per parser, files not understood, missing outputs')
  .argument('<bundle>')
  .option('--json', 'print as JSON')
  .option('--debug', 'show stack traces for errors')
  .action(async (bundle: string, opts: { json?: boolean; debug?: boolean }) => {
    try {
      const [input] = await expandInputs([bundle]);
      const contents = await readBundle(input, { event() { /* inventory only counts */ } });
      const nodes = [...new Set(contents.files.map((f) => f.node).filter((n): n is string => !!n))].sort();
      const inv = buildInventory(contents.files, nodes);
      const facts = contents.facts.toJSON();
      const kind = contents.facts.values('snapshot.kind')[0];
      const nodeRows = nodeTable(facts, nodes);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(redactDeep({ input, snapshotKind: kind, nodes, nodeTable: nodeRows, facts, ...inv, files: contents.files, warnings: contents.warnings }), null, 2)}\n`);
        return;
      }
      const cluster = contents.facts.values('cluster.name');
      const out: string[] = [
        `${input}: ${kind}${cluster.length ? ` · cluster ${cluster.join(', ')}` : ''}`,
        `${contents.files.length} files, ${bytes(contents.bytes)}, ${contents.events} events`, '',
      ];
      const factRows = Object.entries(facts).filter(([k]) => k !== 'node' && !k.startsWith('node.')); // shown in the node table
      if (factRows.length) {
        out.push('Facts');
        for (const [k, vs] of factRows) out.push(`  ${k.padEnd(20)} ${[...new Set(vs.map((v) => v.value))].join(', ')}`);
        out.push('');
      }
      out.push(`Nodes (${nodeRows.length})${nodeRows.length ? '' : ': none found in the layout or kubectl output'}`);
      if (nodeRows.length) {
        const nt = new Table({ head: ['NODE', 'FOLDER', 'ROLES', 'IP', 'OS', 'KERNEL', 'RUNTIME', 'KUBELET'], style: { head: [], border: [] } });
        for (const n of nodeRows) nt.push([n.name, n.folder ?? '-', n.roles.join(',') || '-', n.ip ?? '-', n.os ?? '-', n.kernel ?? '-', n.runtime ?? '-', n.kubelet ?? '-']);
        out.push(nt.toString());
      }
      out.push('');
      const t = new Table({ head: ['PARSER', 'FILES', 'LINES', 'EVENTS', 'BYTES'], style: { head: [], border: [] } });
      for (const p of inv.byParser) t.push([p.parser, p.files, p.lines, p.events, bytes(p.bytes)]);
      out.push(t.toString(), '');
      out.push(`Not understood (${inv.notUnderstood.length})`);
      for (const f of inv.notUnderstood) out.push(`  ${f.address}  (${f.reason}, ${bytes(f.bytes)})`);
      out.push('', `Missing from this bundle (${inv.missing.length})`);
      for (const m of inv.missing) out.push(`  ${m.node ? `${m.node}: ` : ''}${m.what}`);
      if (contents.warnings.length) {
        out.push('', `Warnings (${contents.warnings.length + contents.warningsDropped})`);
        for (const w of contents.warnings) out.push(`  ${w.address}${w.line ? `:${w.line}` : ''}: ${w.message}`);
      }
      process.stdout.write(`${redactDeep(out).join('\n')}\n`);
    } catch (e) { handleError(e, opts.debug); }
  });
