/**
 * klog / glog text lines, as written by every Kubernetes component.
 *
 * Sample input:
 *   I0517 23:42:46.043950       1 graceful_termination.go:160] Trying to delete rs: 10.233.0.1:443/TCP/172.17.8.102:6443
 *   E0610 02:55:28.384965   64201 kubelet.go:1870] "Skipping pod synchronization" err="[PLEG is not healthy: pleg has yet to be successful]"
 *   E0610 02:55:28.185750   64201 aws_credentials.go:77] while getting AWS credentials NoCredentialProviders …
 *   	For verbose messaging see aws.Config.CredentialsChainVerboseErrors
 *   {"ts":1631610094233.7605,"caller":"app/server.go:276","msg":"Failed to construct kubelet dependencies","err":"…"}
 *
 * Events: one `log` event per entry; continuation lines (no klog header) join the entry before
 * them. Structured (InfoS/ErrorS) entries put the quoted message in `message` and each
 * key="value" in `fields`. JSON lines (`--logging-format=json`) are accepted too, since a
 * component may mix them with text lines written before its flags were parsed.
 *
 * The helpers `parseKlogHeader` and `parseStructured` are shared with the journal and
 * container-log parsers, which find klog bodies behind their own prefixes.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule, Severity } from '../../src/model/parser.js';
import { yearlessToEpoch } from '../../src/model/time.js';
import { componentFromName } from '../../src/ingest/layout.js';

export interface KlogHeader {
  severity: Severity;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  thread: number;
  /** Source file and line of the log call: `graceful_termination.go`, 160. */
  caller: string;
  callerLine: number;
  body: string;
}

const KLOG_SEVERITY: Record<string, Severity> = { I: 'info', W: 'warning', E: 'error', F: 'fatal' };

/** Parse a klog header; undefined when the text does not start with one. */
/** `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`, read by position: every log line passes here. */
export function parseKlogHeader(text: string): KlogHeader | undefined {
  const severity = KLOG_SEVERITY[text[0]];
  if (severity === undefined || text.length < 23) return undefined;
  // Fixed part: digits and separators at known offsets.
  const digits = (from: number, count: number): number => {
    let v = 0;
    for (let i = from; i < from + count; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  };
  const month = digits(1, 2);
  const day = digits(3, 2);
  const hour = digits(6, 2);
  const minute = digits(9, 2);
  const second = digits(12, 2);
  const micros = digits(15, 6);
  if (month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || micros < 0) return undefined;
  if (text.charCodeAt(5) !== 32 || text.charCodeAt(8) !== 58 || text.charCodeAt(11) !== 58 || text.charCodeAt(14) !== 46) return undefined;
  // Then: spaces, thread id, one space, `file:line]`, an optional space, the body.
  let i = 21;
  if (text.charCodeAt(i) !== 32) return undefined;
  while (text.charCodeAt(i) === 32) i++;
  const threadStart = i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i === threadStart || text.charCodeAt(i) !== 32) return undefined;
  const thread = Number(text.slice(threadStart, i));
  const callerStart = ++i;
  // The caller ends at its last `:` before digits and `]` (`[^:\]\s]+` then `:\d+]`).
  for (;; i++) {
    const c = text.charCodeAt(i);
    if (c === 58 || c === 93 || c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || Number.isNaN(c)) break;
  }
  if (i === callerStart || text.charCodeAt(i) !== 58) return undefined;
  const caller = text.slice(callerStart, i);
  const lineStart = ++i;
  while (isDigit(text.charCodeAt(i))) i++;
  if (i === lineStart || text.charCodeAt(i) !== 93) return undefined;
  const callerLine = Number(text.slice(lineStart, i));
  i++;
  if (text.charCodeAt(i) === 32) i++;
  return { severity, month: month - 1, day, hour, minute, second, micros, thread, caller, callerLine, body: text.slice(i) };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A header without the `Lmmdd hh:mm:ss.uuuuuu thread ` prefix, as quoted in some issues: `server.go:136] "msg" k="v"`. */
const BARE_CALLER = /^([A-Za-z0-9_.-]+\.go):(\d+)\] (.*)$/s;

export interface Structured {
  message: string;
  fields: Record<string, string>;
}

/**
 * Parse a structured klog body: `"<msg>" k1="v" k2=123 k3={...}`. Returns undefined when the
 * body does not start with a quoted message. Values are quoted strings (with `\"`, `\n`
 * escapes) or bare text up to the next ` key=`; bare values may hold spaces and brackets.
 */
export function parseStructured(body: string): Structured | undefined {
  if (body.charCodeAt(0) !== 34 /* " */) return undefined;
  const first = readQuoted(body, 0);
  if (!first) return undefined;
  const fields: Record<string, string> = {};
  let i = first.end;
  while (i < body.length) {
    while (body[i] === ' ') i++;
    const keyMatch = /^([A-Za-z_][A-Za-z0-9_.\-/]*)=/.exec(body.slice(i, i + 128));
    if (!keyMatch) break; // trailing text that is not key=value: leave it in the message
    const key = keyMatch[1];
    i += keyMatch[0].length;
    let value: string;
    if (body[i] === '"') {
      const q = readQuoted(body, i);
      if (!q) { value = body.slice(i + 1); i = body.length; } else { value = q.value; i = q.end; }
    } else {
      // Bare %+v value: runs to the next ` key=` outside brackets, or the end.
      const start = i;
      let depth = 0;
      for (; i < body.length; i++) {
        const ch = body[i];
        if (ch === '{' || ch === '[' || ch === '(') depth++;
        else if (ch === '}' || ch === ']' || ch === ')') depth = Math.max(0, depth - 1);
        else if (ch === ' ' && depth === 0 && /^ [A-Za-z_][A-Za-z0-9_.\-/]*=/.test(body.slice(i, i + 64))) break;
      }
      value = body.slice(start, i);
    }
    // Repeated keys (`duration=` twice) keep the first, as klog's own readers do.
    if (!(key in fields)) fields[key] = value;
  }
  return { message: first.value, fields };
}

function readQuoted(s: string, start: number): { value: string; end: number } | undefined {
  let out = '';
  for (let i = start + 1; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length) {
      const n = s[++i];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else if (ch === '"') {
      return { value: out, end: i + 1 };
    } else {
      out += ch;
    }
  }
  return undefined;
}

/** Turn a klog body into a message and fields (structured or plain). */
export function klogBody(body: string): { message: string; fields: Record<string, FieldValue> } {
  const st = parseStructured(body);
  if (st) return { message: st.message, fields: st.fields };
  return { message: body, fields: {} };
}

/**
 * Build the `log` event of a klog line. `source` names the component, `reference` is the
 * epoch ms used to infer the year (or the journal's own timestamp when wrapped in a journal line).
 */
export function klogEvent(h: KlogHeader, source: string, line: number, text: string, reference?: number): ParsedEvent {
  const { message, fields } = klogBody(h.body);
  fields.caller = `${h.caller}:${h.callerLine}`;
  fields.thread = h.thread;
  return {
    source,
    kind: 'log',
    time: yearlessToEpoch(h.month, h.day, h.hour, h.minute, h.second, h.micros, reference),
    severity: h.severity,
    message,
    fields,
    line,
    text,
  };
}

const JSON_SEVERITY = (o: Record<string, unknown>): Severity => (o.err !== undefined || o.level === 'error' ? 'error' : 'info');

/** A `--logging-format=json` line; `ts` is seconds in the docs but milliseconds in 2021 builds. */
export function klogJsonEvent(text: string, source: string, line: number): ParsedEvent | undefined {
  if (text.charCodeAt(0) !== 123 /* { */ || !text.includes('"msg"')) return undefined;
  let o: Record<string, unknown>;
  try { o = JSON.parse(text) as Record<string, unknown>; } catch { return undefined; }
  if (typeof o.msg !== 'string') return undefined;
  const ts = typeof o.ts === 'number' ? o.ts : undefined;
  const fields: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'msg' || k === 'ts') continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
    else if (v !== null && v !== undefined) fields[k] = JSON.stringify(v);
  }
  return {
    source, kind: 'log',
    // Anything above 1e11 cannot be seconds (year 5138): it is milliseconds.
    time: ts === undefined ? undefined : Math.round(ts > 1e11 ? ts : ts * 1000),
    severity: JSON_SEVERITY(o),
    message: o.msg.replace(/\n$/, ''),
    fields, line, text,
  };
}

/**
 * Accumulates one multi-line entry: continuation lines are appended to the pending event
 * until the next header arrives. Shared by every parser that reads klog bodies.
 */
export class PendingEntry {
  private pending: ParsedEvent | undefined;
  private extraLines = 0;
  constructor(private readonly emit: (e: ParsedEvent) => void, private readonly maxExtraLines = 200) {}

  start(event: ParsedEvent): void {
    this.flush();
    this.pending = event;
    this.extraLines = 0;
  }

  /** Append a continuation; false when there is no entry to continue. */
  continue(text: string, lineNo: number): boolean {
    const p = this.pending;
    if (!p) return false;
    // A runaway continuation (a binary blob) stops growing the entry but still advances endLine.
    if (this.extraLines++ < this.maxExtraLines) {
      p.message = `${p.message ?? ''}\n${text}`;
      p.text = `${p.text ?? ''}\n${text}`;
    }
    p.endLine = lineNo;
    return true;
  }

  flush(): void {
    if (this.pending) this.emit(this.pending);
    this.pending = undefined;
  }
}

const VERSION_LINE = /^(?:Version|Kubelet version|kube-proxy version):? *(v?\d+\.\d+\.\d+[\w.+-]*)/;

/**
 * Components log their own version at start-up (`server.go:650] Version: v1.20.2`, structured
 * `"Kubelet version" kubeletVersion="v1.26.1"`); that is often the only place a bundle states it.
 */
export function reportVersion(ctx: ParseContext, e: ParsedEvent): void {
  if (e.source === 'unknown' || !e.message) return;
  const m = VERSION_LINE.exec(e.message);
  const v = m?.[1] ?? (typeof e.fields.kubeletVersion === 'string' ? e.fields.kubeletVersion : undefined);
  if (v) ctx.fact(e.source, v, e.line);
}

function sourceFor(probe: FileProbe): string {
  // A pod's log file is named after its container (`logs/<ns>/<pod>/istio-proxy.log`).
  const container = probe.pod ? /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.log$/.exec(probe.name)?.[1] : undefined;
  return probe.component ?? componentFromName(probe.name) ?? container ?? 'unknown';
}

export const klog: ParserModule = {
  meta: {
    id: 'klog',
    title: 'klog / glog component log',
    description: 'Kubernetes component logs in klog text form (plain and structured key="value"), with multi-line continuations and JSON lines.',
    emits: { log: ['caller', 'thread', 'err', '*'] },
    sources: ['*'],
    inputs: ['kube-proxy.log', 'kubectl logs kube-proxy-xxxxx', '/var/log/kube-apiserver.log'],
  },
  detect(probe) {
    const lines = probe.head.split('\n', 20).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    const hits = lines.filter((l) => parseKlogHeader(l) !== undefined || klogJsonEvent(l, '', 0) !== undefined).length;
    const ratio = hits / lines.length;
    if (ratio >= 0.5) return probe.component ? 0.9 : 0.7;
    if (hits > 0) return 0.3;
    // Issue excerpts sometimes drop the header prefix and keep `file.go:NN] …`.
    return lines.filter((l) => BARE_CALLER.test(l)).length / lines.length >= 0.5 ? 0.4 : 0;
  },
  create(ctx: ParseContext): LineParser {
    const source = sourceFor(ctx.file);
    const entry = new PendingEntry((e) => { reportVersion(ctx, e); ctx.emit(e); });
    return {
      line(text, lineNo) {
        const h = parseKlogHeader(text);
        if (h) { entry.start(klogEvent(h, source, lineNo, text, ctx.file.mtime)); return; }
        const j = klogJsonEvent(text, source, lineNo);
        if (j) { entry.start(j); return; }
        const bare = BARE_CALLER.exec(text);
        if (bare) {
          const { message, fields } = klogBody(bare[3]);
          fields.caller = `${bare[1]}:${bare[2]}`;
          entry.start({ source, kind: 'log', message, fields, line: lineNo, text });
          return;
        }
        if (text === '') return;
        if (!entry.continue(text, lineNo)) ctx.warn('klog.orphan-line', lineNo, 'line without a klog header and no entry to continue');
      },
      end() { entry.flush(); },
    };
  },
};

export default klog;
