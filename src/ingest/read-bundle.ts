/**
 * Reads one bundle end to end — ingest, classify, parse — and pushes every event to a sink.
 * It also keeps the bundle's inventory (each file, its parser, its counts, or why it was not
 * understood), its facts and its warnings. Nothing here holds more than one line of a file.
 */
import type { Event } from '../model/event.js';
import { FactStore } from '../model/facts.js';
import type { FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule } from '../model/parser.js';
import { PARSER_LIST } from '../../parsers/index.js';
import { classify, makeProbe, SNIFF_BYTES } from './classify.js';
import { snapshotKind } from '../snapshot-kind.js';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from './lines.js';
import { DEFAULT_LIMITS, errorText, ingest, type IngestLimits, type Member, peek } from './walk.js';

export interface FileRecord {
  address: string;
  node?: string;
  component?: string;
  parser?: string;
  /** Why no parser took it (binary, empty, unrecognised) or why it was skipped (symlink). */
  reason?: string;
  bytes: number;
  lines: number;
  events: number;
  /** Lines the parser could not use (counted warnings). */
  badLines: number;
  /** Reading stopped early: corrupt member, line cut, limit hit. */
  truncated: boolean;
}

export interface Warning {
  code: string;
  address: string;
  line?: number;
  message: string;
}

export interface EventSink {
  event(e: Event): void;
}

export interface ReadOptions {
  parsers?: readonly ParserModule[];
  limits?: IngestLimits;
  maxLineBytes?: number;
  /** Cap on warnings kept per file; the rest are counted only. */
  maxWarningsPerFile?: number;
}

export interface BundleContents {
  input: string;
  files: FileRecord[];
  facts: FactStore;
  warnings: Warning[];
  /** Warnings beyond the per-file cap, counted but not listed. */
  warningsDropped: number;
  bytes: number;
  events: number;
}

const KUBERNETES_VERSION_FACTS = new Set(['kubernetes', 'kubelet', 'kube-proxy']);
const GKE_BUILD = /\d+\.\d+\.\d+-gke\.\d+/;

export async function readBundle(input: string, sink: EventSink, opts: ReadOptions = {}): Promise<BundleContents> {
  const parsers = opts.parsers ?? PARSER_LIST;
  const maxWarnings = opts.maxWarningsPerFile ?? 20;
  const out: BundleContents = { input, files: [], facts: new FactStore(), warnings: [], warningsDropped: 0, bytes: 0, events: 0 };

  const handler = {
    warn: (w: { code: string; address: string; message: string }) => {
      out.warnings.push(w);
      const rec = out.files.find((f) => f.address === w.address);
      if (rec) rec.truncated = true;
    },
    skipped: (address: string, reason: string) => {
      out.files.push({ address, reason, bytes: 0, lines: 0, events: 0, badLines: 0, truncated: false });
    },
    file: (m: Member) => readFile(m),
  };

  async function readFile(m: Member): Promise<void> {
    const { head, rest } = await peek(m.chunks, SNIFF_BYTES);
    const probe = makeProbe({ address: m.address, path: m.path, name: m.name, mtime: m.mtime, head });
    const choice = classify(probe, head, parsers);
    const rec: FileRecord = {
      address: m.address, node: probe.node, component: probe.component, parser: choice.parser?.meta.id,
      reason: choice.reason, bytes: 0, lines: 0, events: 0, badLines: 0, truncated: false,
    };
    out.files.push(rec);
    let fileWarnings = 0;
    const warn = (code: string, line: number | undefined, message: string) => {
      if (fileWarnings++ < maxWarnings) out.warnings.push({ code, address: m.address, line, message });
      else out.warningsDropped++;
    };

    if (!choice.parser) {
      for await (const c of rest) rec.bytes += c.length;
      out.bytes += rec.bytes;
      return;
    }
    const parser = choice.parser;
    const lp = parser.create(contextFor(probe, rec, warn));
    const safeLine = guardLine(lp, parser, warn);
    let nulLines = 0;
    const splitter = new LineSplitter({
      // NUL runs (a log zeroed by a crash) are dropped so the text around them still parses.
      line: (text, lineNo) => {
        if (text.includes('\0')) {
          if (nulLines++ === 0) warn('nul-bytes', lineNo, 'NUL bytes removed from this line (and any later ones)');
          text = text.replace(/\0+/g, '');
        }
        safeLine(text, lineNo);
      },
      truncated: (line, bytes) => { rec.truncated = true; warn('line-truncated', line, `line of ${bytes} bytes cut to ${opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES}`); },
    }, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    try {
      for await (const c of rest) { rec.bytes += c.length; splitter.push(c); }
    } catch (e) {
      rec.truncated = true;
      throw e; // ingest names the member in its warning; the lines read so far still count
    } finally {
      splitter.end();
      try { lp.end(); } catch (e) { warn('parser-error', rec.lines, `${parser.meta.id} failed at end of file: ${errorText(e)}`); }
      rec.lines = splitter.lines;
      out.bytes += rec.bytes;
    }
  }

  function contextFor(probe: FileProbe, rec: FileRecord, warn: (code: string, line: number | undefined, message: string) => void): ParseContext {
    return {
      file: probe,
      emit(p: ParsedEvent) {
        const e: Event = {
          source: p.source,
          kind: p.kind,
          node: probe.node ?? p.node,
          pod: probe.pod,
          time: p.time,
          severity: p.severity,
          message: p.message,
          fields: p.fields,
          loc: p.endLine && p.endLine !== p.line ? { file: probe.address, line: p.line, endLine: p.endLine } : { file: probe.address, line: p.line },
          text: p.text,
        };
        rec.events++;
        out.events++;
        sink.event(e);
      },
      fact(name, value, line, node) {
        const where = node ?? probe.node;
        const record = (n: string, v: string) => {
          // Facts are events too, so signatures can test them like any other evidence.
          if (out.facts.add(n, v, { file: probe.address, line }, where)) {
            sink.event({ source: 'facts', kind: 'fact', node: where, fields: { name: n, value: v }, loc: { file: probe.address, line }, text: `${n} = ${v}` });
          }
        };
        record(name, value);
        // A Kubernetes build with a `-gke.N` suffix is also the cluster's GKE version.
        const gke = GKE_BUILD.exec(value);
        if (gke && KUBERNETES_VERSION_FACTS.has(name)) record('gke', gke[0]);
      },
      warn(code, line, message) {
        rec.badLines++;
        warn(code, line, message);
      },
    };
  }

  await ingest(input, handler, opts.limits ?? DEFAULT_LIMITS);
  // What the bundle is follows from its whole layout, so it is known only now. It is a fact of
  // the report, not an event: a fact event would make every bundle look as if it had inputs
  // for the clauses that read other facts.
  out.facts.add('snapshot.kind', snapshotKind(out.files), { file: input, line: 0 });
  return out;
}

/** A parser bug on one line is a warning for that line, never a lost file. */
function guardLine(lp: LineParser, parser: ParserModule, warn: (code: string, line: number, message: string) => void) {
  let failures = 0;
  return (text: string, lineNo: number) => {
    try {
      lp.line(text, lineNo);
    } catch (e) {
      if (failures++ < 5) warn('parser-error', lineNo, `${parser.meta.id}: ${errorText(e)}`);
    }
  };
}
