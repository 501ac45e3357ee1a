/**
 * `kubesleuth events <bundle>`: the parsed events as NDJSON (streamed as they are read) or as a
 * merged, time-ordered timeline across every node and source.
 */
import { Command, Option } from 'commander';
import { readBundle } from '../../ingest/read-bundle.js';
import { passesFilter } from '../../analyze.js';
import { handleError, KubesleuthError } from '../../errors.js';
import { redact, redactDeep } from '../../report/redact.js';
import type { Event } from '../../model/event.js';
import { NodeResolver } from '../../node-resolver.js';
import { BootClock, monotonicOf, type BootStamped } from '../../boot-clock.js';
import { collect, expandInputs, parseTime } from '../options.js';

/** Timeline output sorts in memory; past this many events, narrow with filters. */
const TIMELINE_CAP = 500_000;
/** NDJSON characters gathered before one write. */
const WRITE_BYTES = 64 * 1024;
/** Timeline rows rendered and written at a time. */
const WRITE_BLOCK = 5_000;
/** Characters of an event's first line kept for the timeline: rows stay small, memory bounded. */
const TIMELINE_TEXT = 400;

/** What the timeline keeps of an event: enough to place, order and print it. */
interface TimelineEntry extends BootStamped {
  pod?: string;
  file: string;
  line: number;
  text: string;
}

function timelineEntry(e: Event): TimelineEntry {
  const first = (e.message ?? e.text ?? JSON.stringify(e.fields)).split('\n', 1)[0];
  const shown = first.length > TIMELINE_TEXT ? `${first.slice(0, TIMELINE_TEXT)}…` : first;
  return {
    source: e.source, node: e.node, pod: e.pod, time: e.time, monotonic: monotonicOf(e), file: e.loc.file, line: e.loc.line,
    // A copy, not a slice: a slice would keep the whole line (or entry) it came from alive.
    text: (' ' + shown).slice(1),
  };
}

interface EventsOptions { node: string[]; source: string[]; kind: string[]; since?: string; until?: string; grep?: string; format: 'ndjson' | 'timeline'; redact: boolean; debug?: boolean }

/** Source names longer than this push the text right instead of widening every row. */
const SOURCE_WIDTH_MAX = 24;

/** A time read from the line, or `~` after one derived from seconds since boot. */
function timelineRow(e: TimelineEntry, when: { time: number; derived: boolean } | undefined, node: string | undefined, sourceWidth: number): string {
  const t = (when ? `${new Date(when.time).toISOString()}${when.derived ? '~' : ''}` : '-').padEnd(25);
  return `${t} ${(node ?? '-').padEnd(15)}  ${e.source.padEnd(sourceWidth)}  ${e.text}`;
}

export const eventsCommand = new Command('events')
  .description('print the parsed events: NDJSON, or a merged time-ordered timeline')
  .argument('<bundle>')
  .option('--node <node>', 'only this node (repeatable)', collect, [])
  .option('--source <source>', 'only this source, e.g. kubelet, kube-proxy, kernel (repeatable)', collect, [])
  .option('--kind <kind>', 'only this event kind, e.g. log, process, ipvs.service (repeatable)', collect, [])
  .option('--since <time>', 'only events at or after this time (ISO 8601)')
  .option('--until <time>', 'only events at or before this time')
  .option('--grep <regex>', 'only events whose text matches this regular expression')
  .addOption(new Option('-f, --format <format>', 'output format').choices(['ndjson', 'timeline']).default('ndjson'))
  .option('--no-redact', 'print secrets as they are (local use only)')
  .option('--debug', 'show stack traces for errors')
  .action(async (bundle: string, opts: EventsOptions) => {
    try {
      const [input] = await expandInputs([bundle]);
      if (!opts.redact) process.stderr.write('notice: --no-redact: secrets found in the bundle are printed as they are\n');
      let grep: RegExp | undefined;
      try { grep = opts.grep ? new RegExp(opts.grep) : undefined; } catch (e) { throw new KubesleuthError(`--grep: ${(e as Error).message}`); }
      const timelineFormat = opts.format === 'timeline';
      // The timeline places pod logs and kubectl node names on their node before filtering by
      // node; NDJSON streams, so it filters on each event's own node.
      const filter = { node: timelineFormat ? [] : opts.node, source: opts.source, since: parseTime(opts.since, '--since'), until: parseTime(opts.until, '--until') };
      const keep = (e: Event) => passesFilter(e, filter) && (!opts.kind.length || opts.kind.includes(e.kind)) && (!grep || grep.test(e.text ?? e.message ?? ''));
      const resolver = new NodeResolver();
      const clock = new BootClock();
      const timeline: TimelineEntry[] = [];
      let dropped = 0;
      let pending = '';
      const contents = await readBundle(input, {
        event(e) {
          if (timelineFormat) { resolver.learn(e); clock.learn(e); }
          if (!keep(e)) return;
          if (opts.format === 'ndjson') {
            // Lines go out in blocks: one write per event costs more than everything else.
            pending += `${JSON.stringify(opts.redact ? redactDeep(e) : e)}\n`;
            if (pending.length >= WRITE_BYTES) { process.stdout.write(pending); pending = ''; }
          }
          else if (timeline.length < TIMELINE_CAP) timeline.push(timelineEntry(e));
          else dropped++;
        },
      });
      if (pending) process.stdout.write(pending);
      if (timelineFormat) {
        const wanted = new Set(opts.node.map((n) => resolver.canonical(n)));
        const rows = timeline.map((e) => ({ e, node: resolver.nodeOf(e), when: clock.timeOf(e) })).filter((r) => !wanted.size || (r.node !== undefined && wanted.has(r.node)));
        // Stable order: time, then node, source and location; untimed events last.
        rows.sort((a, b) => (a.when?.time ?? Infinity) - (b.when?.time ?? Infinity) || (a.node ?? '').localeCompare(b.node ?? '') || a.e.source.localeCompare(b.e.source) || a.e.file.localeCompare(b.e.file) || a.e.line - b.e.line);
        // A loop, not Math.max(...rows): half a million arguments overflow the call stack.
        let sourceWidth = 6;
        for (const r of rows) if (r.e.source.length > sourceWidth) sourceWidth = Math.min(SOURCE_WIDTH_MAX, r.e.source.length);
        // Written a block at a time, waiting for the reader: the whole text at once would double
        // the memory the rows already take.
        for (let i = 0; i < rows.length; i += WRITE_BLOCK) {
          const block = rows.slice(i, i + WRITE_BLOCK).map(({ e, node, when }) => {
            const row = timelineRow(e, when, node, sourceWidth);
            return opts.redact ? redact(row) : row;
          });
          if (!process.stdout.write(`${block.join('\n')}\n`)) await new Promise((resume) => process.stdout.once('drain', resume));
        }
        if (dropped) process.stderr.write(`kubesleuth: timeline shows the first ${TIMELINE_CAP} events; ${dropped} more were left out — narrow with --node/--source/--since/--until/--grep\n`);
      }
      for (const w of contents.warnings) {
        const text = `warning: ${w.address}${w.line ? `:${w.line}` : ''}: ${w.message}`;
        process.stderr.write(`${opts.redact ? redact(text) : text}\n`);
      }
    } catch (e) { handleError(e, opts.debug); }
  });
