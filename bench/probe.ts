/**
 * One measurement stage, run in its own process so its peak RSS is its own:
 *
 *   node dist/bench/probe.js <mode> <bundle> [signature dirs…]
 *
 * modes, each a superset of the previous one:
 *   gunzip    read the file and inflate it (gzip framing + zlib), discard the bytes
 *   tar       … and walk the tar (nested archives opened), discard member bytes
 *   split     … and split every member into lines (the bare read floor: no parsing)
 *   parse     … and classify + parse every file into events, dropped by the sink
 *   analyze   … and match every event against the catalog, rank, render the JSON report
 *
 * Prints one JSON object: ms (work only, start-up excluded), bytes, lines, events, maxRssKiB,
 * and for `analyze` the time spent rendering (reportMs) and loading the catalog (loadMs).
 */
import { createReadStream } from 'node:fs';
import { gunzipStream } from '../src/ingest/gunzip.js';
import { ingest } from '../src/ingest/walk.js';
import { LineSplitter } from '../src/ingest/lines.js';
import { readBundle } from '../src/ingest/read-bundle.js';
import { analyzeBundle } from '../src/analyze.js';
import { compileSignatures } from '../src/match/compile.js';
import { loadCatalog } from '../src/cli/signatures-loader.js';
import { REPORTERS } from '../src/report/index.js';

export type ProbeMode = 'gunzip' | 'tar' | 'split' | 'parse' | 'analyze';

export interface ProbeResult {
  mode: ProbeMode;
  ms: number;
  bytes: number;
  lines: number;
  events: number;
  maxRssKiB: number;
  loadMs?: number;
  reportMs?: number;
  findings?: string[];
}

async function main(): Promise<void> {
  const [mode, input, ...sigDirs] = process.argv.slice(2) as [ProbeMode, string, ...string[]];
  if (!mode || !input) throw new Error('usage: probe <gunzip|tar|split|parse|analyze> <bundle> [signature dirs…]');
  const r: ProbeResult = { mode, ms: 0, bytes: 0, lines: 0, events: 0, maxRssKiB: 0 };
  let t0 = performance.now();
  switch (mode) {
    case 'gunzip': {
      const gz = gunzipStream(createReadStream(input, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>, { truncated() {}, trailing() {} });
      for await (const c of gz) r.bytes += c.length;
      break;
    }
    case 'tar':
    case 'split': {
      const noop = () => {};
      await ingest(input, {
        warn: noop,
        skipped: noop,
        async file(m) {
          if (mode === 'tar') { for await (const c of m.chunks) r.bytes += c.length; return; }
          const s = new LineSplitter({ line: noop, truncated: noop });
          for await (const c of m.chunks) { r.bytes += c.length; s.push(c); }
          s.end();
          r.lines += s.lines;
        },
      });
      break;
    }
    case 'parse': {
      const contents = await readBundle(input, { event() {} });
      r.bytes = contents.bytes;
      r.events = contents.events;
      r.lines = contents.files.reduce((n, f) => n + f.lines, 0);
      break;
    }
    case 'analyze': {
      const catalog = await loadCatalog(sigDirs, { quiet: true });
      const compiled = compileSignatures(catalog.signatures);
      r.loadMs = Math.round(performance.now() - t0);
      t0 = performance.now();
      const report = await analyzeBundle(input, { signatures: catalog.signatures, compiled });
      const t1 = performance.now();
      const text = REPORTERS.json(report, {});
      r.reportMs = Math.round(performance.now() - t1);
      if (text.length === 0) throw new Error('empty report');
      r.bytes = report.summary.bytes;
      r.events = report.summary.events;
      r.lines = report.summary.lines;
      r.findings = report.findings.map((f) => `${f.id} ${f.confidence}`);
      break;
    }
    default:
      throw new Error(`unknown mode: ${mode as string}`);
  }
  r.ms = Math.round(performance.now() - t0);
  r.maxRssKiB = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

await main();
