/**
 * `kubesleuth merge <ndjson…>`: fold the NDJSON outputs of sharded or resumed runs into one
 * summary — the same summary a single run over all bundles prints.
 */
import { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { handleError } from '../../errors.js';
import { parseRecords, type BundleRecord } from '../../batch/record.js';
import { latestByPath, renderSummary, summarize } from '../../batch/summary.js';
import { labelsFor, parseLabels } from '../../batch/labels.js';

export const mergeCommand = new Command('merge')
  .description('merge NDJSON outputs of sharded or resumed scans into one summary')
  .argument('<ndjson...>', 'NDJSON files written by scan --format ndjson')
  .option('--labels <csv>', 'CSV of bundle path,root-cause-id: adds precision and recall per signature')
  .option('--json', 'print the summary as JSON')
  .option('-o, --output <file>', 'also write the merged records (one per bundle) to this NDJSON file')
  .action((files: string[], opts: { labels?: string; json?: boolean; output?: string }) => {
    try {
      const records: BundleRecord[] = [];
      for (const f of files) {
        const { records: rs, bad } = parseRecords(readFileSync(f, 'utf8'));
        if (bad) process.stderr.write(`notice: ${f}: ${bad} incomplete line(s) ignored\n`);
        records.push(...rs);
      }
      let labels: Map<string, string[]> | undefined;
      if (opts.labels) {
        const { byPath, notice } = labelsFor(opts.labels, parseLabels(readFileSync(opts.labels, 'utf8')), records.map((r) => r.path));
        if (notice) process.stderr.write(`${notice}\n`);
        labels = byPath;
      }
      const summary = summarize(records, labels);
      if (opts.output) writeFileSync(opts.output, latestByPath(records).map((r) => `${JSON.stringify(r)}\n`).join(''));
      process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : renderSummary(summary));
    } catch (e) { handleError(e); }
  });
