/**
 * Pod and container logs: `kubectl logs <pod>`, `/var/log/pods/<ns>_<pod>_<uid>/<container>/0.log`,
 * `/var/log/containers/<pod>_<ns>_<container>-<id>.log`, snapshot `<ns>/<pod>/<container>.log`.
 *
 * Sample input:
 *   2024-03-05T10:00:00.123456789Z stderr F I0305 10:00:00.123456       1 server.go:650] Version: v1.20.2
 *   level=warning msg="In file included from /var/lib/cilium/bpf/bpf_overlay.c:39:" subsys=daemon
 *   {"level":"error","ts":1615470000.123,"msg":"Reconciler error","error":"connection refused"}
 *   [2021/05/25 08:01:10] [error] [input:storage_backlog:storage_backlog.7] chunk validation failed, data might be corrupted. …
 *   2021-06-15T10:00:00.000Z	ERROR	controller.cluster	Reconciler error	{"name": "c1"}
 *
 * Each line is first unwrapped from its container-runtime frame — the CRI prefix
 * (`<RFC3339Nano> <stream> <P|F> <msg>`, `P` partial lines joined to the next `F`), a Docker
 * json-file record (`{"log":…,"stream":…,"time":…}`) or a syslog prefix — and its body is then
 * read as klog text (and klogr `"msg"="…"` bodies), JSON, fluent-bit, logrus text, zap console,
 * logfmt or plain text.
 *
 * Events: one `log` per entry. `source` is the component the path names (`kube-proxy`, `anetd`,
 * `stackdriver-log-forwarder` …), else `fluent-bit` for fluent-bit lines, else `container`.
 * `fields.format` names the body format, `fields.stream` the CRI/Docker stream; logfmt and JSON
 * keys become fields. When a structured entry carries an error key (`error`, `err`), `message`
 * is `<msg>: <error>`, so one regex finds the error text whatever the format. A logfmt fragment
 * that does not start with a key (`kernel … but error="…" subsys=daemon`) keeps the whole body
 * as its message. Lines that start with white space (stack traces) and headerless lines after
 * a klog entry continue the entry before them.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule, Severity } from '../../src/model/parser.js';
import { componentFromName } from '../../src/ingest/layout.js';
import { klogEvent, parseKlogHeader, PendingEntry, reportVersion } from '../klog/klog.js';

/** Longest string value kept in a field; longer ones are cut. */
const MAX_VALUE = 4096;
/** Most key/value pairs taken from one structured line. */
const MAX_PAIRS = 64;
/** Most characters joined from CRI/Docker partial lines before the entry is cut. */
const MAX_PARTIAL = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Levels

const LEVELS: Record<string, Severity> = {
  trace: 'debug', trac: 'debug', debug: 'debug', debu: 'debug', dbg: 'debug',
  info: 'info', inf: 'info', information: 'info', notice: 'notice',
  warn: 'warning', warning: 'warning', wrn: 'warning',
  error: 'error', erro: 'error', err: 'error', eror: 'error',
  critical: 'critical', crit: 'critical', alert: 'critical', emergency: 'fatal',
  fatal: 'fatal', fata: 'fatal', panic: 'fatal', pani: 'fatal', dpanic: 'fatal',
};

/** Severity of a level word in any of the usual spellings (`ERRO`, `warning`, `Error`, `W`). */
export function severityOf(level: string | undefined): Severity | undefined {
  if (!level) return undefined;
  return LEVELS[level.toLowerCase()];
}

// ---------------------------------------------------------------------------------------------
// logfmt

const LOGFMT_PAIR = /(?:^|[ \t])([A-Za-z_][\w.\-/]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
const LOGFMT_START = /^[A-Za-z_][\w.\-/]*=/;
const LOGFMT_KEYS = new Set(['level', 'msg', 'time', 'ts', 'lvl', 'subsys', 'error', 'err']);

export interface Logfmt {
  /** Key/value pairs in order of appearance (first of repeated keys kept). */
  pairs: Record<string, string>;
  /** Text before the first pair, when the line does not start with one. */
  prefix: string;
  count: number;
}

/**
 * Read `key=value key2="quoted \"value\""` pairs. Accepted when the line starts with a pair and
 * holds a well-known key (`level`, `msg`, `time` …) or two pairs, or when a text prefix is
 * followed by at least two pairs of which one is well known (a fragment cut from a longer line).
 */
export function parseLogfmt(text: string): Logfmt | undefined {
  if (text.indexOf('=') === -1) return undefined;
  const body = text.trim();
  const pairs: Record<string, string> = Object.create(null) as Record<string, string>;
  let count = 0;
  let known = 0;
  let first = -1;
  LOGFMT_PAIR.lastIndex = 0;
  for (let m = LOGFMT_PAIR.exec(body); m; m = LOGFMT_PAIR.exec(body)) {
    if (first === -1) first = m.index;
    const key = m[1];
    if (count < MAX_PAIRS && !(key in pairs)) {
      pairs[key] = unquote(m[2]);
      count++;
      if (LOGFMT_KEYS.has(key)) known++;
    }
    if (m[0].length === 0) LOGFMT_PAIR.lastIndex++;
  }
  if (count === 0) return undefined;
  const prefix = first <= 0 ? '' : body.slice(0, first).trim();
  if (prefix === '' && LOGFMT_START.test(body)) {
    if (known === 0 && count < 2) return undefined;
    return { pairs, prefix, count };
  }
  return known > 0 && count >= 2 ? { pairs, prefix, count } : undefined;
}

function unquote(v: string): string {
  if (v.length < 2 || v.charCodeAt(0) !== 34 || v.charCodeAt(v.length - 1) !== 34) return v;
  const inner = v.slice(1, -1);
  if (inner.indexOf('\\') === -1) return inner;
  return inner.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

// ---------------------------------------------------------------------------------------------
// Runtime frames

const CRI = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (stdout|stderr) ([FP])(?: (.*))?$/s;
const SYSLOG = /^([A-Z][a-z]{2}) {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)? (?:(\S+) )?([\w.@/-]+?)(?:\[(\d+)\])?: (.*)$/s;

interface Frame {
  body: string;
  /** First line of a frame joined from partial lines. */
  line?: number;
  time?: number;
  stream?: string;
  ident?: string;
  pid?: number;
}

/** A Docker json-file record: `{"log":"…\n","stream":"stderr","time":"…"}`. */
function dockerJson(text: string): { log: string; stream?: string; time?: number } | undefined {
  if (!text.startsWith('{"log":')) return undefined;
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (typeof o.log !== 'string') return undefined;
    const t = typeof o.time === 'string' ? Date.parse(o.time) : NaN;
    return { log: o.log, stream: typeof o.stream === 'string' ? o.stream : undefined, time: Number.isNaN(t) ? undefined : t };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Body formats

const FLUENT_BIT = /^\[(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?\] \[ *([a-z]+)\] (?:\[([^\]]+)\] )?(.*)$/s;
const LOGRUS_TTY = /^(INFO|WARN|ERRO|DEBU|FATA|PANI|TRAC)\[([^\]]*)\] (.*)$/s;
const ZAP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)|\d+\.\d+(?:e[+-]?\d+)?)\t([A-Za-z]+)\t(.*)$/s;
const KLOGR = /^(?:(\S+) )?"msg"="/;
const KLOGR_PAIR = /"([^"]+)"=("(?:[^"\\]|\\.)*"?|[^\s"]\S*)/g;
const PLAIN_TIME = /^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s+(.*)$/s;
const PLAIN_LEVEL = /^\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|CRITICAL|FATAL|PANIC)\]?(?::|\s|$)/i;
const GO_PANIC = /^panic: /;
const AUDIT_LINE = /^(?:node=\S+ )?type=\w+ msg=audit\(/;

export type BodyFormat = 'klog' | 'json' | 'fluent-bit' | 'logrus' | 'zap' | 'logfmt' | 'text';

interface Body {
  format: BodyFormat;
  message: string;
  severity?: Severity;
  time?: number;
  fields: Record<string, FieldValue>;
  /** A klog entry (headerless lines after it are continuations). */
  klog?: boolean;
}

function cap(v: string): string {
  return v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE)}…` : v;
}

/** A timestamp as epoch ms: ISO text, or seconds / milliseconds since the epoch. */
function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v > 1e11 ? v : v * 1000) : undefined;
  if (typeof v !== 'string' || v.length < 10) return undefined;
  if (/^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/.test(v)) return timeOf(Number(v));
  const t = Date.parse(v.replace(',', '.'));
  return Number.isNaN(t) ? undefined : t;
}

/** `msg: error` when a structured entry carries an error next to its message. */
function withError(msg: string, fields: Record<string, FieldValue>): string {
  const e = fields.error ?? fields.err;
  if (typeof e !== 'string' || e === '') return msg;
  return msg === '' ? e : `${msg}: ${e}`;
}

function jsonBody(text: string): Body | undefined {
  if (text.charCodeAt(text.length - 1) !== 125 /* } */) return undefined;
  let o: unknown;
  try { o = JSON.parse(text); } catch { return undefined; }
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const obj = o as Record<string, unknown>;
  const msgKey = ['msg', 'message', 'MESSAGE', 'log'].find((k) => typeof obj[k] === 'string');
  const levelKey = ['level', 'severity', 'lvl', 'levelname', 'LEVEL'].find((k) => typeof obj[k] === 'string');
  if (!msgKey && !levelKey) return undefined;
  const fields: Record<string, FieldValue> = {};
  let n = 0;
  for (const [k, v] of Object.entries(obj)) {
    if (k === msgKey || n >= MAX_PAIRS) continue;
    n++;
    if (typeof v === 'string') fields[k] = cap(v);
    else if (typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
    else if (v !== null && v !== undefined) fields[k] = cap(JSON.stringify(v));
  }
  const level = levelKey ? (obj[levelKey] as string) : undefined;
  if (level !== undefined) fields.level = level.toLowerCase();
  const timeKey = ['ts', 'time', 'timestamp', '@timestamp'].find((k) => obj[k] !== undefined);
  const message = msgKey ? (obj[msgKey] as string).replace(/\n$/, '') : '';
  return {
    format: 'json', message: withError(message, fields), severity: severityOf(level) ?? (fields.error !== undefined ? 'error' : undefined),
    time: timeKey ? timeOf(obj[timeKey]) : undefined, fields,
  };
}

function logfmtBody(text: string): Body | undefined {
  if (AUDIT_LINE.test(text)) return undefined;
  const lf = parseLogfmt(text);
  if (!lf) return undefined;
  const fields: Record<string, FieldValue> = {};
  for (const k in lf.pairs) if (k !== 'msg') fields[k] = cap(lf.pairs[k]);
  const level = lf.pairs.level ?? lf.pairs.lvl;
  if (level !== undefined) fields.level = level.toLowerCase();
  const time = timeOf(lf.pairs.time ?? lf.pairs.ts);
  const message = lf.prefix !== '' ? text.trim() : withError(lf.pairs.msg ?? '', fields);
  const severity = severityOf(level) ?? (lf.pairs.error !== undefined || lf.pairs.err !== undefined ? 'error' : undefined);
  return { format: 'logfmt', message, severity, time, fields };
}

/** A klogr body: `controllers/Cluster "msg"="error during …" "error"="1 error occurred: …"`. */
function klogrBody(body: string): { message: string; fields: Record<string, FieldValue> } | undefined {
  const head = KLOGR.exec(body);
  if (!head) return undefined;
  const fields: Record<string, FieldValue> = {};
  if (head[1]) fields.logger = head[1];
  let msg = '';
  let n = 0;
  KLOGR_PAIR.lastIndex = 0;
  for (let m = KLOGR_PAIR.exec(body); m && n < MAX_PAIRS; m = KLOGR_PAIR.exec(body), n++) {
    // An unterminated quote is a value that runs over the next lines: keep what this line has.
    const raw = m[2];
    const v = raw.startsWith('"') && (raw.length === 1 || !raw.endsWith('"')) ? raw.slice(1) : unquote(raw);
    if (m[1] === 'msg') msg = v;
    else if (!(m[1] in fields)) fields[m[1]] = cap(v);
  }
  return { message: withError(msg, fields), fields };
}

/** Read a body that is not klog: JSON, fluent-bit, logrus text, zap console, logfmt, else text. */
function otherBody(text: string): Body {
  const c = text.charCodeAt(0);
  if (c === 123 /* { */) {
    const j = jsonBody(text);
    if (j) return j;
  }
  if (c === 91 /* [ */) {
    const m = FLUENT_BIT.exec(text);
    if (m) {
      const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
      const fields: Record<string, FieldValue> = { level: m[8] };
      if (m[9]) fields.plugin = m[9];
      return {
        format: 'fluent-bit', message: m[10], severity: severityOf(m[8]), fields,
        time: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms),
      };
    }
  }
  if (c >= 65 && c <= 90) {
    const m = LOGRUS_TTY.exec(text);
    if (m) {
      // Message, then padded `key=value` pairs: the message ends at the first run of spaces before a key.
      const rest = m[3];
      const cut = /\s{2,}[A-Za-z_][\w.\-/]*=/.exec(rest);
      const message = (cut ? rest.slice(0, cut.index) : rest).trim();
      const fields: Record<string, FieldValue> = {};
      if (cut) { const lf = parseLogfmt(rest.slice(cut.index)); if (lf) for (const k in lf.pairs) fields[k] = cap(lf.pairs[k]); }
      fields.level = m[1].toLowerCase();
      return { format: 'logrus', message: withError(message, fields), severity: severityOf(m[1]), fields };
    }
  }
  if (c >= 48 && c <= 57) {
    const z = ZAP.exec(text);
    if (z && severityOf(z[2])) {
      const parts = z[3].split('\t');
      const fields: Record<string, FieldValue> = { level: z[2].toLowerCase() };
      let json: string | undefined;
      if (parts.length > 1 && parts[parts.length - 1].startsWith('{')) json = parts.pop();
      const message = parts.pop() ?? '';
      for (const p of parts) {
        if (/\.go:\d+$/.test(p)) fields.caller = p;
        else if (fields.logger === undefined) fields.logger = p;
      }
      if (json) {
        try {
          const o = JSON.parse(json) as Record<string, unknown>;
          let n = 0;
          for (const [k, v] of Object.entries(o)) {
            if (n++ >= MAX_PAIRS) break;
            if (typeof v === 'string') fields[k] = cap(v);
            else if (typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
            else if (v !== null && v !== undefined) fields[k] = cap(JSON.stringify(v));
          }
        } catch { fields.extra = cap(json); }
      }
      return { format: 'zap', message: withError(message, fields), severity: severityOf(z[2]), time: timeOf(z[1]), fields };
    }
  }
  const lf = logfmtBody(text);
  if (lf) return lf;
  return plainBody(text);
}

function plainBody(text: string): Body {
  let rest = text;
  let time: number | undefined;
  const t = PLAIN_TIME.exec(text);
  if (t) { time = timeOf(t[1]); rest = t[2]; }
  const lv = PLAIN_LEVEL.exec(rest);
  const fields: Record<string, FieldValue> = {};
  let severity: Severity | undefined;
  if (lv) { severity = severityOf(lv[1]); fields.level = lv[1].toLowerCase(); }
  else if (GO_PANIC.test(rest)) { severity = 'fatal'; fields.level = 'panic'; }
  return { format: 'text', message: text, severity, time, fields };
}

// ---------------------------------------------------------------------------------------------
// Path

/** kubelet's log folders, and snapshot layouts `logs/<namespace>/<pod>/<container>.log`. */
const POD_LOG_PATH = /(?:^|\/)(?:var\/log\/(?:pods|containers)\/|logs\/[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9.-]*\/[^/]+\.log(?:\.\d+)?$)/;
/** `/var/log/pods/<ns>_<pod>_<uid>/<container>/0.log` */
const PODS_DIR = /(?:^|\/)var\/log\/pods\/([^_/]+)_([^_/]+)_[^/]+\/([^/]+)\/[^/]+$/;
/** `/var/log/containers/<pod>_<ns>_<container>-<id>.log` */
const CONTAINERS_FILE = /(?:^|\/)([a-z0-9.-]+)_([a-z0-9-]+)_([a-z0-9-]+)-[0-9a-f]{64}\.log$/;

/** Namespace, pod and container named by a kubelet log path, when it is one. */
export function kubeletLogPath(path: string): { namespace?: string; pod?: string; container?: string } {
  const a = PODS_DIR.exec(path);
  if (a) return { namespace: a[1], pod: a[2], container: a[3] };
  const b = CONTAINERS_FILE.exec(path);
  if (b) return { pod: b[1], namespace: b[2], container: b[3] };
  return {};
}

/** The file is a pod/container log by its path or name. */
function isPodLog(probe: FileProbe): boolean {
  if (POD_LOG_PATH.test(probe.path) || probe.command.startsWith('kubectl logs')) return true;
  return probe.component !== undefined && /\.log(?:\.\d+)?$/i.test(probe.name);
}

// ---------------------------------------------------------------------------------------------
// Detection

type Sniff = 'cri' | 'docker' | 'klog' | 'json' | 'fluent-bit' | 'logfmt' | 'logrus' | 'zap' | 'audit' | 'other';

function sniffLine(l: string): Sniff {
  if (CRI.test(l)) return 'cri';
  if (l.startsWith('{"log":')) return 'docker';
  if (parseKlogHeader(l)) return 'klog';
  if (AUDIT_LINE.test(l)) return 'audit';
  const c = l.charCodeAt(0);
  if (c === 123) return /"(?:level|severity|msg|message)"\s*:/.test(l) ? 'json' : 'other';
  if (c === 91) return FLUENT_BIT.test(l) ? 'fluent-bit' : 'other';
  if (LOGRUS_TTY.test(l)) return 'logrus';
  if (ZAP.test(l)) return 'zap';
  const t = l.trimStart();
  if (LOGFMT_START.test(t) && /(?:^|\s)(?:level|msg)=/.test(t) && parseLogfmt(t)) return 'logfmt';
  return 'other';
}

function detect(probe: FileProbe): number {
  const lines = probe.head.split('\n', 40).filter((l) => l.trim() !== '').slice(0, 20);
  const named = isPodLog(probe);
  if (lines.length === 0) return named ? 0.6 : 0;
  const counts = new Map<Sniff, number>();
  for (const l of lines) { const s = sniffLine(l); counts.set(s, (counts.get(s) ?? 0) + 1); }
  const share = (s: Sniff) => (counts.get(s) ?? 0) / lines.length;
  if (share('cri') >= 0.5 || share('docker') >= 0.5) return 0.95;
  const structured: Sniff[] = ['logfmt', 'fluent-bit', 'zap', 'logrus'];
  const kinds = ([...structured, 'klog', 'json'] as Sniff[]).filter((s) => (counts.get(s) ?? 0) > 0);
  const known = kinds.reduce((n, s) => n + share(s), 0);
  // Several formats in one file (klog start-up lines, then logfmt or JSON): a container log.
  if (kinds.length >= 2 && known >= 0.5 && kinds.some((s) => structured.includes(s))) return 0.92;
  if (structured.some((s) => share(s) >= 0.5)) return 0.85;
  return named ? 0.6 : 0;
}

// ---------------------------------------------------------------------------------------------
// Parser

const CILIUM_VERSION = /^Cilium (v?\d+\.\d+\.\d+[\w.+-]*)/;

interface PartialLine { text: string; time?: number; line: number; raw: string }

class ContainerLogReader implements LineParser {
  private readonly component: string | undefined;
  private readonly pathFields: Record<string, FieldValue>;
  private readonly entry: PendingEntry;
  private pendingKlog = false;
  /** CRI/Docker partial lines waiting for their final part, one per stream. */
  private readonly partial = new Map<string, PartialLine>();

  constructor(private readonly ctx: ParseContext) {
    this.component = ctx.file.component ?? componentFromName(ctx.file.name);
    const p = kubeletLogPath(ctx.file.path);
    this.pathFields = {};
    if (p.namespace) this.pathFields.namespace = p.namespace;
    const pod = p.pod ?? ctx.file.pod;
    if (pod) this.pathFields.pod = pod;
    if (p.container) this.pathFields.container = p.container;
    this.entry = new PendingEntry((e) => this.publish(e));
  }

  line(text: string, lineNo: number): void {
    const frame = this.unwrap(text, lineNo);
    if (!frame) return;
    this.body(frame, frame.line ?? lineNo, frame.raw, lineNo);
  }

  end(): void {
    for (const [stream, p] of this.partial) {
      this.body({ body: p.text, time: p.time, stream }, p.line, p.raw, p.line);
    }
    this.partial.clear();
    this.entry.flush();
  }

  /** Strip the runtime frame; undefined while a partial line waits for its end. */
  private unwrap(text: string, lineNo: number): (Frame & { raw: string }) | undefined {
    const c = text.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const m = CRI.exec(text);
      if (m) {
        const time = Date.parse(m[1]);
        return this.join(m[2], m[4] ?? '', m[3] === 'P', Number.isNaN(time) ? undefined : time, lineNo, text);
      }
    }
    if (c === 123) {
      const d = dockerJson(text);
      if (d) {
        const stream = d.stream ?? 'stdout';
        const done = d.log.endsWith('\n');
        return this.join(stream, done ? d.log.slice(0, -1).replace(/\r$/, '') : d.log, !done, d.time, lineNo, text);
      }
    }
    if (c >= 65 && c <= 90) {
      const s = SYSLOG.exec(text);
      if (s && s[1] in MONTH_ABBR) {
        return { body: s[5], ident: s[3], pid: s[4] ? Number(s[4]) : undefined, raw: text };
      }
    }
    return { body: text, raw: text };
  }

  private join(stream: string, part: string, more: boolean, time: number | undefined, lineNo: number, raw: string): (Frame & { raw: string }) | undefined {
    const prev = this.partial.get(stream);
    if (more) {
      if (!prev) this.partial.set(stream, { text: part, time, line: lineNo, raw });
      else if (prev.text.length < MAX_PARTIAL) prev.text += part;
      return undefined;
    }
    if (!prev) return { body: part, time, stream, raw };
    this.partial.delete(stream);
    const body = prev.text.length < MAX_PARTIAL ? prev.text + part : prev.text;
    return { body, time: prev.time ?? time, stream, raw: prev.raw, line: prev.line };
  }

  private body(frame: Frame, lineNo: number, raw: string, lastLine: number): void {
    const text = frame.body;
    if (text.trim() === '') return;
    const source = this.component ?? 'container';
    const h = parseKlogHeader(text);
    if (h) {
      const e = klogEvent(h, source, lineNo, raw, frame.time ?? this.ctx.file.mtime);
      const r = klogrBody(h.body);
      if (r) { e.message = r.message; Object.assign(e.fields, r.fields); }
      if (frame.time !== undefined) e.time = frame.time;
      if (lastLine > lineNo) e.endLine = lastLine;
      e.fields.format = 'klog';
      this.decorate(e, frame);
      this.entry.start(e);
      this.pendingKlog = true;
      return;
    }
    const c = text.charCodeAt(0);
    const indented = c === 32 || c === 9;
    const body = indented ? text.trimStart() : text;
    // Stack traces and wrapped values continue the entry before them; so does any headerless
    // line after a klog entry, as klog itself writes them.
    if ((indented || this.pendingKlog) && !looksLikeEntry(body) && this.entry.continue(text, lineNo)) return;
    const b = otherBody(body);
    const e: ParsedEvent = {
      source: this.component ?? (b.format === 'fluent-bit' ? 'fluent-bit' : 'container'),
      kind: 'log',
      time: frame.time ?? b.time,
      severity: b.severity,
      message: b.message,
      fields: b.fields,
      line: lineNo,
      text: raw,
    };
    if (lastLine > lineNo) e.endLine = lastLine;
    e.fields.format = b.format;
    this.decorate(e, frame);
    this.entry.start(e);
    this.pendingKlog = false;
  }

  private decorate(e: ParsedEvent, frame: Frame): void {
    if (frame.stream) e.fields.stream = frame.stream;
    if (frame.ident) e.fields.ident = frame.ident;
    if (frame.pid !== undefined) e.fields.pid = frame.pid;
    for (const k in this.pathFields) e.fields[k] = this.pathFields[k];
  }

  private publish(e: ParsedEvent): void {
    if (e.fields.format === 'klog') reportVersion(this.ctx, e);
    else if ((e.source === 'cilium' || e.source === 'anetd') && e.message) {
      const v = CILIUM_VERSION.exec(e.message);
      if (v) this.ctx.fact('cilium', v[1], e.line);
    }
    this.ctx.emit(e);
  }
}

const MONTH_ABBR: Record<string, true> = {
  Jan: true, Feb: true, Mar: true, Apr: true, May: true, Jun: true, Jul: true, Aug: true, Sep: true, Oct: true, Nov: true, Dec: true,
};

/** A line that starts an entry of its own in some known format (so it never continues klog). */
function looksLikeEntry(text: string): boolean {
  const s = sniffLine(text);
  return s !== 'other' || PLAIN_TIME.test(text) || PLAIN_LEVEL.test(text);
}

export const containerLog: ParserModule = {
  meta: {
    id: 'container-log',
    title: 'Pod / container log',
    description: 'Container logs with or without the CRI or Docker json-file frame; bodies in klog, klogr, JSON, fluent-bit, logrus, zap console, logfmt (cilium/anetd) or plain text.',
    emits: {
      log: ['stream', 'format', 'level', 'subsys', 'error', 'err', 'caller', 'thread', 'logger', 'plugin', 'ident', 'pid', 'namespace', 'pod', 'container', '*'],
    },
    sources: ['*'],
    inputs: [
      'kubectl logs anetd-5x2lq', '/var/log/pods/kube-system_anetd-5x2lq_<uid>/cilium-agent/0.log',
      '/var/log/containers/<pod>_<ns>_<container>-<id>.log', 'logs/kube-system/stackdriver-log-forwarder-x/stackdriver-log-forwarder.log',
    ],
  },
  detect,
  create(ctx: ParseContext): LineParser {
    return new ContainerLogReader(ctx);
  },
};

export default containerLog;
