/**
 * journalctl output (systemd journal dumps) and syslog files written in the same line shape.
 *
 * Sample input:
 *   -- Logs begin at Sun 2020-08-30 16:57:38 UTC, end at Sun 2020-08-30 17:23:29 UTC. --
 *   Aug 30 16:59:57 minikube kubelet[3749]: I0830 16:59:57.230539    3749 server.go:417] Version: v1.18.3
 *   2020-08-30T16:59:57.231503+0000 minikube systemd[1]: Started kubelet: The Kubernetes Node Agent.
 *   [  102.345678] minikube kernel: nf_conntrack: table full, dropping packet
 *   {"__REALTIME_TIMESTAMP":"1598806797230539","_HOSTNAME":"minikube","SYSLOG_IDENTIFIER":"kubelet","PRIORITY":"6","MESSAGE":"…"}
 *   -- No entries --
 *
 * Formats, recognised line by line (a file may hold several outputs after shell prompts):
 * short and short-precise (`Mmm dd HH:MM:SS[.uuuuuu] host ident[pid]: msg`, host and pid
 * optional), short-full (`Sun 2020-08-30 16:59:57 UTC host …`), short-iso and short-iso-precise
 * (`Z`, `+0000` or `+00:00`), short-unix, short-monotonic, json and json-seq.
 *
 * Events:
 * - `log` per entry. `source` is the syslog identifier normalised to a component (`docker` →
 *   `dockerd`, `td-agent-bit` → `fluent-bit`, `kernel`, `kubelet` …). A klog body (kubelet,
 *   kube-proxy) is parsed as klog: severity from its letter, message and structured fields from
 *   its body, `caller` and `thread`; the journal's timestamp stays the event time. Otherwise the
 *   severity comes from a level written in the message (`level=error`, `[error]`, `"level":"warn"`)
 *   or from the json `PRIORITY`.
 * - `journal.boot` for `-- Reboot --`, `-- Boot <id> --` and, in json, a change of `_BOOT_ID`.
 * - `journal.marker` for `-- Logs begin at … --` (`logs-begin`), `-- No entries --`
 *   (`no-entries`), a `Hint:` block (`hint`) and journal access errors (`journal-error`).
 *
 * A line that matches no format continues the entry before it: an indented line is a further
 * line of a multi-line message (joined with `\n`), any other line is the rest of a
 * terminal-wrapped line (joined as is). A pager-cut line ends in `>`: the `>` is dropped and
 * `fields.cut` set; a line over `MAX_LINE` characters is cut the same way, with a warning. Shell
 * prompt lines and `journalctl -x` catalog text are skipped; a prompt naming `journalctl -u X`
 * gives the unit of the markers that follow (as the file name does).
 *
 * Yearless stamps take their year from the header's end time when there is one, else from the
 * file's mtime, else (stdin, an archive with zeroed times) from the first short line in the
 * file's first 4 KiB whose message carries a full date agreeing with the line's own stamp
 * (containerd and dockerd `time="2024-03-11T10:00:00Z"`, JSON `"ts"`, Go `2024/03/11 10:00:00`).
 * Following lines keep the year that puts them closest to the line before, so a log running
 * over New Year moves on to the next year. Times are read as written: without `--utc` they are
 * the node's local time.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule, Severity } from '../../src/model/parser.js';
import { yearlessToEpoch } from '../../src/model/time.js';
import { componentFromName } from '../../src/ingest/layout.js';
import { klogBody, parseKlogHeader, reportVersion } from '../klog/klog.js';

const MONTH_INDEX: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';

// `host ident[pid]: message`. A host never holds brackets and never ends in `:`, which tells
// `host ident:` from a host-less `ident: message` (syslog relays sometimes drop the host).
const HOST = String.raw`([^\s\[\]]*[^\s\[\]:])`;
const IDENT_PID_MSG = String.raw`([^\s\[\]:]+)(?:\[(\d+)\])?:(?: (.*))?$`;
const TAIL_HOST_OPTIONAL = `(?:${HOST} )?${IDENT_PID_MSG}`;
const TAIL_HOST = `${HOST} ${IDENT_PID_MSG}`;

/** short / short-precise. Groups: month, day, h, m, s, fraction, host, ident, pid, message. */
const SHORT = new RegExp(String.raw`^${MON} {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ${TAIL_HOST_OPTIONAL}`, 's');
/** short-full. Groups: Y, M, D, h, m, s, fraction, zone, host, ident, pid, message. */
const FULL = new RegExp(String.raw`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([A-Za-z][\w+-]*|[+-]\d{4}) ${TAIL_HOST_OPTIONAL}`, 's');
/** short-iso / short-iso-precise. Groups: Y, M, D, h, m, s, fraction, zone, host, ident, pid, message. */
const ISO = new RegExp(String.raw`^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)? ${TAIL_HOST_OPTIONAL}`, 's');
/** short-unix. Groups: seconds, fraction, host, ident, pid, message. */
const UNIX = new RegExp(String.raw`^(\d{9,11})(?:\.(\d{1,9}))? ${TAIL_HOST}`, 's');
/** short-monotonic. Groups: seconds since boot, host, ident, pid, message. */
const MONO = new RegExp(String.raw`^\[ *(\d+\.\d{1,9})\] ${TAIL_HOST}`, 's');

/** Starts like an entry of some format but did not match it: a cut or damaged line. */
const SHORT_PREFIX = /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} \d\d:/;
const ISO_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:/;
const UNIX_PREFIX = /^\d{9,11}\.\d+ /;
const MONO_PREFIX = /^\[ *\d+\.\d+\] /;

/**
 * The date a logger wrote at the start of a message (`2024/03/11 10:00:00`, `[2024-03-11 …`)
 * or as its `time=` / `"ts":` / `"timestamp":` field; a date further into the text is what the
 * message talks about. Groups: Y, separator, M, D, h, m, s.
 */
const BODY_STAMP = /(?:^\[?|\b(?:time|ts|timestamp)"?[=:] ?"?)(\d{4})([-/])(\d\d)\2(\d\d)[T ](\d\d):(\d\d):(\d\d)/;
const LOGS_BEGIN = /^-- (?:Logs begin|Journal begins) at (.*?)(?:, ends? at (.*?))?\.? --$/;
const BOOT = /^-- (?:Reboot|Boot ([0-9a-f]{32})) --$/;
const STAMP = /(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)/;
const JOURNAL_ERROR = /^(?:An error was encountered while opening journal|Journal file \S+ (?:is truncated|corrupted|uses an unsupported)|Warning: Journal has been rotated|No journal files were (?:found|opened)|Failed to (?:open|get|iterate|read|seek in) journal)/;
/** `user@host:~$ cmd`, `[root@host dir]# cmd`, `$ cmd`, `# journalctl …`. Group: the command. */
const PROMPT = /^(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?\s?[$#]|\[[\w.-]+@[\w.-]+[^\]]*\]\s?[$#]|\$(?= )|#(?= (?:sudo )?journalctl\b))(?: (.*))?$/;
const UNIT_ARG = /(?:^|\s)(?:-u\s*|--unit[=\s]\s*)["']?([^\s"'-][^\s"']*)/g;
const UNIT_SUFFIX = /\.(?:service|socket|target|timer|mount|slice|scope|path|device|swap|automount)$/;

/** A kernel message may keep its own `[ seconds.micros]` stamp. Group: the seconds. */
const KERNEL_STAMP = /^\[ *(\d+\.\d+)\] ?/;
/** A line that begins a record of its own (bracketed stamp, JSON, klog header, date), not wrapped text. */
const RECORD_START = /^(?:[[{]|[IWEF]\d{4} |\d{4}[-/]\d\d[-/]\d\d)/;
/** Control characters (ESC excepted: terminal colours are text) or U+FFFD from undecodable bytes. */
const BINARY = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f\ufffd]/;

const LOGRUS_LEVEL = /(?:^|\s)level="?([A-Za-z]+)/;
const JSON_LEVEL = /"level":"([A-Za-z]+)"/;
const BRACKET_LEVEL = /^\[\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\] \[ *([a-z]+)\]/;
const LEVELS = new Map<string, Severity>([
  ['trace', 'debug'], ['debug', 'debug'], ['info', 'info'], ['notice', 'notice'],
  ['warn', 'warning'], ['warning', 'warning'], ['err', 'error'], ['error', 'error'],
  ['crit', 'critical'], ['critical', 'critical'], ['alert', 'critical'], ['emerg', 'critical'],
  ['fatal', 'fatal'], ['panic', 'fatal'],
]);
const PRIORITY_SEVERITY: readonly Severity[] = ['critical', 'critical', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];

const CONTAINERD_VERSION = /msg="starting containerd".* version=([^\s"]+)/;
const DOCKER_VERSION = /msg="Docker daemon".* version=([^\s"]+)/;
const KERNEL_VERSION = /^Linux version (\S+)/;

const IDENT_ALIASES = new Map<string, string>([
  ['docker', 'dockerd'], ['docker-current', 'dockerd'], ['dockerd-current', 'dockerd'],
  ['td-agent-bit', 'fluent-bit'], ['cri-o', 'crio'], ['kube-proxy', 'kube-proxy'],
]);

/** One journal line rarely exceeds journald's 48 KiB LineMax; anything longer is cut here. */
export const MAX_LINE = 65_536;
const MAX_EXTRA_LINES = 200;
const HALF_YEAR = 183 * 86_400_000;
const DAY = 86_400_000;

/** Component name for a syslog identifier: `/usr/bin/dockerd` → `dockerd`, `docker` → `dockerd`. */
export function sourceFromIdent(ident: string): string {
  const slash = ident.lastIndexOf('/');
  const lower = (slash >= 0 ? ident.slice(slash + 1) : ident).toLowerCase();
  return IDENT_ALIASES.get(lower) ?? componentFromName(lower) ?? lower;
}

/** Microseconds from a fraction of a second written with 1–9 digits. */
function fractionMicros(frac: string | undefined): number {
  if (frac === undefined) return 0;
  const n = Number(frac);
  const len = frac.length;
  return len === 6 ? n : len < 6 ? n * 10 ** (6 - len) : Math.floor(n / 10 ** (len - 6));
}

/** Zone offset in minutes from `Z`, `+0000`, `+05:30`; 0 when absent. */
function zoneMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.charCodeAt(0) === 45 ? -1 : 1;
  const hh = Number(zone.slice(1, 3));
  const mm = Number(zone.slice(zone.length - 2));
  return sign * (hh * 60 + mm);
}

/** Epoch ms of the first `YYYY-MM-DD hh:mm:ss` in a header stamp, read as written. */
function headerStamp(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = STAMP.exec(text);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/**
 * Reference time for yearless stamps read from message bodies: the logger's date in the first
 * short line of `head` that has one within a day of the line's own stamp (a date further off is
 * a replayed record, not this line's time). Only for files without a usable mtime, so it runs
 * rarely, over 4 KiB at most, and stops at the first hit.
 */
export function bodyReference(head: string): number | undefined {
  for (const line of head.split('\n')) {
    if (!SHORT_PREFIX.test(line)) continue;
    const m = SHORT.exec(line);
    const b = m && m[10] !== undefined ? BODY_STAMP.exec(m[10]) : null;
    if (!m || !b) continue;
    const body = Date.UTC(+b[1], +b[3] - 1, +b[4], +b[5], +b[6], +b[7]);
    const own = yearlessToEpoch(MONTH_INDEX[m[1]], +m[2], +m[3], +m[4], +m[5], 0, body);
    if (Math.abs(own - body) <= DAY) return body;
  }
  return undefined;
}

/** `kubelet` → `kubelet.service`, as journalctl reads a `-u` argument. */
function unitName(arg: string): string {
  return UNIT_SUFFIX.test(arg) ? arg : `${arg}.service`;
}

/** The unit a `journalctl … -u X` command reads, when it names exactly one. */
export function unitFromCommand(command: string): string | undefined {
  if (!/(?:^|\s)journalctl(?:\s|$)/.test(command)) return undefined;
  let unit: string | undefined;
  let count = 0;
  for (const m of command.matchAll(UNIT_ARG)) { unit = m[1]; count++; }
  return count === 1 && unit ? unitName(unit) : undefined;
}

/**
 * A `>` the pager put where it chopped a line, told from a message that ends in `>` itself
 * (`<nil>`, `->`): the last word must not hold a `<`.
 */
function pagerCut(msg: string): boolean {
  const n = msg.length;
  if (n < 2 || msg.charCodeAt(n - 1) !== 62 /* > */) return false;
  const prev = msg.charCodeAt(n - 2);
  if (prev === 45 /* - */ || prev === 61 /* = */ || prev === 62 /* > */) return false;
  for (let i = n - 2; i >= 0 && i >= n - 256; i--) {
    const c = msg.charCodeAt(i);
    if (c === 60 /* < */) return false;
    if (c === 32) break;
  }
  return true;
}

/** Severity written in a non-klog message: logrus/logfmt `level=`, fluent-bit `[error]`, JSON `"level"`. */
function levelOf(msg: string): Severity | undefined {
  const c = msg.charCodeAt(0);
  let m: RegExpExecArray | null = null;
  if (c === 91 /* [ */) m = BRACKET_LEVEL.exec(msg);
  else if (c === 123 /* { */) m = JSON_LEVEL.exec(msg);
  if (!m) {
    const i = msg.indexOf('level=');
    if (i >= 0 && i < 120) m = LOGRUS_LEVEL.exec(msg);
  }
  return m ? LEVELS.get(m[1].toLowerCase()) : undefined;
}

function jsonString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A json `MESSAGE`: a string, or an array of bytes when it is not valid UTF-8. */
function jsonMessage(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v as number[]).toString('utf8');
  return '';
}

type SniffResult = 'entry' | 'marker' | 'neutral' | 'other';

/** What one line of a file head is, for `detect`; `host` receives the host of an entry. */
function sniffLine(l: string, hosts: Map<string, number>): SniffResult {
  const c = l.charCodeAt(0);
  if (l.trim() === '' || c === 32 || c === 9) return 'neutral';
  let host: string | undefined;
  let m: RegExpExecArray | null = null;
  if (c >= 65 && c <= 90) {
    m = SHORT.exec(l);
    if (m) host = m[7];
    else if ((m = FULL.exec(l))) host = m[9];
  } else if (c >= 48 && c <= 57) {
    if (l.charCodeAt(4) === 45) { m = ISO.exec(l); if (m) host = m[9]; } else { m = UNIX.exec(l); if (m) host = m[3]; }
  } else if (c === 91) {
    // Raw dmesg lines (`[ 5.1] usb 1-1: …`) can take this shape; a journal's carry a pid or ident `kernel`.
    m = MONO.exec(l);
    if (m && m[4] === undefined && m[3] !== 'kernel') m = null;
    if (m) host = m[2];
  } else if (c === 123 || c === 30) {
    return l.includes('"__REALTIME_TIMESTAMP"') || l.includes('"__CURSOR"') ? 'entry' : 'other';
  }
  if (m) {
    const key = host ?? '';
    hosts.set(key, (hosts.get(key) ?? 0) + 1);
    return 'entry';
  }
  if (l === '-- No entries --' || LOGS_BEGIN.test(l) || BOOT.test(l) || l.startsWith('Hint: ') || JOURNAL_ERROR.test(l)) return 'marker';
  if (PROMPT.test(l) || (c === 45 && l.startsWith('-- '))) return 'neutral';
  return 'other';
}

/**
 * Journal content in a file head: `strong` when journal lines make up at least half of the
 * lines that are not neutral and the entries agree on a host (raw dmesg lines such as
 * `[ 5.1] usb 1-1: …` can look like short-monotonic, but their "hosts" scatter).
 */
function sniffHead(head: string): 'strong' | 'weak' | 'none' {
  const lines = head.split('\n', 40);
  if (head.length >= 4096 && lines.length > 1) lines.pop(); // the last line may be cut
  const hosts = new Map<string, number>();
  let entries = 0;
  let markers = 0;
  let other = 0;
  for (const raw of lines) {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const r = sniffLine(l, hosts);
    if (r === 'entry') entries++;
    else if (r === 'marker') markers++;
    else if (r === 'other') other++;
  }
  const hits = entries + markers;
  if (hits === 0) return 'none';
  let top = 0;
  for (const n of hosts.values()) top = Math.max(top, n);
  const hostsAgree = hosts.size === 0 || top * 2 >= [...hosts.values()].reduce((a, b) => a + b, 0);
  return hits >= other && hostsAgree ? 'strong' : 'weak';
}

const JOURNAL_NAME = /(?:^|\s)journalctl(?:\s|$)/;
const SYSLOG_NAME = /^(?:syslog|messages|kern|daemon|journal|journald|kubelet|kube-proxy|containerd|docker|dockerd|crio)(?:[.-]\d[\w.-]*)?$/;

interface Pending {
  event: ParsedEvent;
  /** A `log` entry (parsed for klog and levels when complete) rather than a marker. */
  log: boolean;
  /** The journal stamp has whole seconds only: a klog stamp of the same second refines it. */
  coarse: boolean;
  extra: number;
}

class JournalReader implements LineParser {
  private pending: Pending | undefined;
  private readonly sources = new Map<string, string>();
  private readonly hosts = new Set<string>();
  /** The file's reference for yearless stamps: its mtime, else a date from a message body. */
  private readonly fileRef: number | undefined;
  /** Reference for yearless stamps: the header's end time, else `fileRef`. */
  private refEnd: number | undefined;
  private refBegin: number | undefined;
  /** Year and time of the last yearless stamp, for New Year roll-over. */
  private chainYear: number | undefined;
  private chainPrev = 0;
  private unit: string | undefined;
  private lastBoot: string | undefined;

  constructor(private readonly ctx: ParseContext) {
    // An mtime at or before 1970 is an archive written with zeroed times, not a date.
    const mtime = ctx.file.mtime !== undefined && ctx.file.mtime > 0 ? ctx.file.mtime : undefined;
    this.fileRef = mtime ?? bodyReference(ctx.file.head);
    this.refEnd = this.fileRef;
    this.unit = unitFromCommand(ctx.file.command);
  }

  line(raw: string, lineNo: number): void {
    const c0 = raw.charCodeAt(0);
    // json / json-seq: parsed whole (a cut object is no object); a long MESSAGE is cut after.
    if (c0 === 123 || c0 === 30) { this.json(c0 === 30 ? raw.slice(1) : raw, lineNo); return; }
    let text = raw;
    let cut = false;
    if (text.length > MAX_LINE) {
      this.ctx.warn('journal.long-line', lineNo, `line of ${text.length} characters cut to ${MAX_LINE}`);
      text = text.slice(0, MAX_LINE);
      cut = true;
    }
    const c = text.charCodeAt(0);
    if (c >= 65 && c <= 90) { // A–Z: short, short-full, Hint, journal errors
      const m = SHORT.exec(text);
      if (m) {
        const time = this.yearless(MONTH_INDEX[m[1]], +m[2], +m[3], +m[4], +m[5], fractionMicros(m[6]));
        this.entry(lineNo, text, time, m[7], m[8], m[9], m[10], undefined, cut, m[6] === undefined);
        return;
      }
      if (c === 72 && text.startsWith('Hint: ')) { this.marker(lineNo, text, 'hint', text.slice(6), true); return; }
      const f = FULL.exec(text);
      if (f) {
        // A numeric offset is applied; a zone name (`UTC`, `CEST`) is read as written.
        const z = f[8].charCodeAt(0);
        const offset = z === 43 || z === 45 ? zoneMinutes(f[8]) : 0;
        const time = Date.UTC(+f[1], +f[2] - 1, +f[3], +f[4], +f[5], +f[6], Math.floor(fractionMicros(f[7]) / 1000)) - offset * 60_000;
        this.entry(lineNo, text, time, f[9], f[10], f[11], f[12], undefined, cut, f[7] === undefined);
        return;
      }
      if (JOURNAL_ERROR.test(text)) { this.marker(lineNo, text, 'journal-error', text, false); return; }
    } else if (c >= 48 && c <= 57) { // digit: short-iso, short-unix
      if (text.charCodeAt(4) === 45) {
        const m = ISO.exec(text);
        if (m) {
          const time = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], Math.floor(fractionMicros(m[7]) / 1000)) - zoneMinutes(m[8]) * 60_000;
          this.entry(lineNo, text, time, m[9], m[10], m[11], m[12], undefined, cut, m[7] === undefined);
          return;
        }
      } else {
        const m = UNIX.exec(text);
        if (m) {
          this.entry(lineNo, text, +m[1] * 1000 + Math.floor(fractionMicros(m[2]) / 1000), m[3], m[4], m[5], m[6], undefined, cut, m[2] === undefined);
          return;
        }
      }
    } else if (c === 45) { // -: header and separator lines
      if (text.startsWith('-- ') || text === '--') { this.separator(text, lineNo); return; }
    } else if (c === 91) { // [: short-monotonic
      const m = MONO.exec(text);
      if (m) { this.entry(lineNo, text, undefined, m[2], m[3], m[4], m[5], Number(m[1]), cut, false); return; }
    } else if (Number.isNaN(c)) { // empty line
      return;
    } else if (c === 0x2591) { // `░░ Subject: …`: journalctl -x catalog text
      return;
    }
    if (c !== 32 && c !== 9) {
      const p = PROMPT.exec(text);
      if (p) { this.prompt(p[1]); return; }
    }
    this.other(text, lineNo, cut);
  }

  end(): void {
    this.flush();
  }

  // ---- entries ---------------------------------------------------------------------------

  private entry(
    lineNo: number, text: string, time: number | undefined, host: string | undefined, ident: string,
    pid: string | undefined, msg: string | undefined, monotonic: number | undefined, cut: boolean, coarse: boolean,
  ): void {
    this.flush();
    let source = this.sources.get(ident);
    if (source === undefined) {
      source = sourceFromIdent(ident);
      if (this.sources.size < 4096) this.sources.set(ident, source);
    }
    const fields: Record<string, FieldValue> = {};
    if (host !== undefined) fields.host = host;
    fields.ident = ident;
    if (pid !== undefined) fields.pid = Number(pid);
    let message = msg ?? '';
    if (monotonic !== undefined) fields.monotonic = monotonic;
    if (source === 'kernel' && message.charCodeAt(0) === 91) {
      const k = KERNEL_STAMP.exec(message);
      if (k) {
        if (monotonic === undefined) fields.monotonic = Number(k[1]);
        message = message.slice(k[0].length);
      }
    }
    if (cut) fields.cut = true;
    else if (pagerCut(message)) { message = message.slice(0, -1); fields.cut = true; }
    this.noteHost(host, lineNo);
    this.pending = { event: { source, kind: 'log', node: host, time, message, fields, line: lineNo, text }, log: true, coarse, extra: 0 };
  }

  private json(text: string, lineNo: number): void {
    let o: unknown;
    try { o = JSON.parse(text); } catch {
      this.flush();
      this.ctx.warn('journal.bad-json', lineNo, 'line starts with `{` but is not valid JSON (cut or damaged)');
      return;
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o) || !('MESSAGE' in o || '__REALTIME_TIMESTAMP' in o)) {
      this.flush();
      this.ctx.warn('journal.bad-json', lineNo, 'JSON line without MESSAGE or __REALTIME_TIMESTAMP: not a journal entry');
      return;
    }
    const r = o as Record<string, unknown>;
    this.flush();
    const bootId = jsonString(r._BOOT_ID);
    if (bootId !== undefined) {
      if (this.lastBoot !== undefined && bootId !== this.lastBoot) {
        this.ctx.emit({ source: 'journalctl', kind: 'journal.boot', fields: { bootId }, line: lineNo, text });
      }
      this.lastBoot = bootId;
    }
    const ts = jsonString(r.__REALTIME_TIMESTAMP);
    const time = ts !== undefined && /^\d+$/.test(ts) ? Math.floor(Number(ts) / 1000) : undefined;
    const host = jsonString(r._HOSTNAME);
    const unit = jsonString(r._SYSTEMD_UNIT);
    const ident = jsonString(r.SYSLOG_IDENTIFIER)
      ?? (r._TRANSPORT === 'kernel' ? 'kernel' : jsonString(r._COMM))
      ?? (unit !== undefined ? unit.replace(UNIT_SUFFIX, '') : 'unknown');
    const pid = jsonString(r._PID) ?? jsonString(r.SYSLOG_PID);
    let message = jsonMessage(r.MESSAGE);
    const long = message.length > MAX_LINE;
    if (long) {
      this.ctx.warn('journal.long-line', lineNo, `MESSAGE of ${message.length} characters cut to ${MAX_LINE}`);
      message = message.slice(0, MAX_LINE);
    }
    const evidence = text.length > MAX_LINE ? text.slice(0, MAX_LINE) : text;
    this.entry(lineNo, evidence, time, host, ident, pid !== undefined && /^\d+$/.test(pid) ? pid : undefined, message, undefined, long, false);
    const e = this.pending!.event;
    if (unit !== undefined) e.fields.unit = unit;
    const prio = jsonString(r.PRIORITY);
    if (prio !== undefined && /^[0-7]$/.test(prio)) {
      e.fields.priority = Number(prio);
      e.severity = PRIORITY_SEVERITY[Number(prio)];
    }
    this.flush();
  }

  /** Complete the pending entry (klog body, level, versions) and emit it. */
  private flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const e = p.event;
    if (p.log) {
      const msg = e.message ?? '';
      const h = e.source === 'kernel' ? undefined : parseKlogHeader(msg);
      if (h) {
        const body = klogBody(h.body);
        e.message = body.message;
        for (const k in body.fields) if (!Object.hasOwn(e.fields, k)) e.fields[k] = body.fields[k];
        e.fields.caller = `${h.caller}:${h.callerLine}`;
        e.fields.thread = h.thread;
        e.severity = h.severity;
        if (e.time === undefined) e.time = this.yearless(h.month, h.day, h.hour, h.minute, h.second, h.micros);
        else if (p.coarse && Math.floor(e.time / 1000) % 86_400 === h.hour * 3600 + h.minute * 60 + h.second) {
          e.time += Math.floor(h.micros / 1000);
        }
        reportVersion(this.ctx, e);
      } else {
        const level = levelOf(msg);
        if (level) e.severity = level;
        this.otherVersions(e, msg);
      }
    }
    this.ctx.emit(e);
  }

  /** Versions containerd, dockerd and the kernel state at start-up. */
  private otherVersions(e: ParsedEvent, msg: string): void {
    let m: RegExpExecArray | null = null;
    let name: string | undefined;
    if (e.source === 'containerd') { m = CONTAINERD_VERSION.exec(msg); name = 'containerd'; }
    else if (e.source === 'dockerd') { m = DOCKER_VERSION.exec(msg); name = 'docker'; }
    else if (e.source === 'kernel') { m = KERNEL_VERSION.exec(msg); name = 'kernel'; }
    if (m && name) this.ctx.fact(name, m[1], e.line);
  }

  private noteHost(host: string | undefined, lineNo: number): void {
    if (host === undefined || this.hosts.has(host) || this.hosts.size >= 256) return;
    this.hosts.add(host);
    if (host !== 'localhost' && host !== '(none)') this.ctx.fact('node', host, lineNo);
  }

  // ---- headers, markers, prompts ---------------------------------------------------------

  private separator(text: string, lineNo: number): void {
    if (text === '-- No entries --') { this.marker(lineNo, text, 'no-entries', undefined, false); return; }
    const b = BOOT.exec(text);
    if (b) {
      this.flush();
      const fields: Record<string, FieldValue> = {};
      if (b[1] !== undefined) { fields.bootId = b[1]; this.lastBoot = b[1]; }
      this.ctx.emit({ source: 'journalctl', kind: 'journal.boot', fields, line: lineNo, text });
      return;
    }
    const l = LOGS_BEGIN.exec(text);
    if (l) {
      this.flush();
      const begin = headerStamp(l[1]);
      const end = headerStamp(l[2]);
      // A new journalctl output: its end time is the best reference for the year.
      this.refEnd = end ?? (begin === undefined ? this.fileRef : undefined);
      this.refBegin = begin;
      this.chainYear = undefined;
      const fields: Record<string, FieldValue> = { marker: 'logs-begin' };
      if (this.unit !== undefined) fields.unit = this.unit;
      if (l[1]) fields.begin = l[1];
      if (l[2]) fields.end = l[2];
      this.ctx.emit({ source: 'journalctl', kind: 'journal.marker', time: begin, fields, line: lineNo, text });
      return;
    }
    // Anything else after `-- ` is `journalctl -x` catalog text (Subject:, Defined-By: …).
  }

  private marker(lineNo: number, text: string, marker: string, message: string | undefined, open: boolean): void {
    this.flush();
    const fields: Record<string, FieldValue> = { marker };
    if (this.unit !== undefined) fields.unit = this.unit;
    const event: ParsedEvent = { source: 'journalctl', kind: 'journal.marker', message, fields, line: lineNo, text };
    // A Hint block continues on indented lines: keep it open like an entry.
    if (open) this.pending = { event, log: false, coarse: false, extra: 0 };
    else this.ctx.emit(event);
  }

  private prompt(command: string | undefined): void {
    this.flush();
    this.chainYear = undefined;
    this.refEnd = this.fileRef;
    this.refBegin = undefined;
    if (command !== undefined && JOURNAL_NAME.test(command)) this.unit = unitFromCommand(command);
  }

  // ---- continuations and bad lines -------------------------------------------------------

  private other(text: string, lineNo: number, cut: boolean): void {
    if (BINARY.test(text)) {
      this.flush();
      this.ctx.warn('journal.binary', lineNo, 'binary bytes where a journal line was expected');
      return;
    }
    if (SHORT_PREFIX.test(text) || ISO_PREFIX.test(text) || UNIX_PREFIX.test(text) || MONO_PREFIX.test(text)) {
      this.flush();
      this.ctx.warn('journal.bad-line', lineNo, 'line starts with a journal timestamp but has no `host ident[pid]:` after it (cut or damaged)');
      return;
    }
    const p = this.pending;
    if (!p) {
      this.ctx.warn('journal.orphan-line', lineNo, 'line without a journal prefix and no entry to continue');
      return;
    }
    const e = p.event;
    if (p.extra++ < MAX_EXTRA_LINES) {
      const msg = e.message ?? '';
      const c = text.charCodeAt(0);
      let joined = c === 32 || c === 9 ? `${msg}\n${text.trimStart()}`
        : RECORD_START.test(text) ? `${msg}\n${text}`
        : msg + text; // terminal wrap: the line goes on where it broke
      if (joined.length > MAX_LINE) { joined = joined.slice(0, MAX_LINE); cut = true; }
      if (cut && p.log) e.fields.cut = true;
      e.message = joined;
      e.text = `${e.text ?? ''}\n${text}`;
    }
    e.endLine = lineNo;
  }

  // ---- time ------------------------------------------------------------------------------

  /**
   * Epoch ms of a yearless stamp. The first takes its year from the reference (header end,
   * else mtime; or the first year not before the header's begin); each later one keeps the
   * year that puts it within half a year of the stamp before it.
   */
  private yearless(month: number, day: number, hour: number, minute: number, second: number, micros: number): number {
    const ms = Math.floor(micros / 1000);
    let year = this.chainYear;
    let t: number;
    if (year === undefined) {
      if (this.refEnd === undefined && this.refBegin !== undefined) {
        year = new Date(this.refBegin).getUTCFullYear();
        t = Date.UTC(year, month, day, hour, minute, second, ms);
        if (t < this.refBegin - DAY) t = Date.UTC(++year, month, day, hour, minute, second, ms);
      } else {
        t = yearlessToEpoch(month, day, hour, minute, second, micros, this.refEnd);
        year = new Date(t).getUTCFullYear();
      }
    } else {
      t = Date.UTC(year, month, day, hour, minute, second, ms);
      if (t < this.chainPrev - HALF_YEAR) t = Date.UTC(++year, month, day, hour, minute, second, ms);
      else if (t > this.chainPrev + HALF_YEAR) t = Date.UTC(--year, month, day, hour, minute, second, ms);
    }
    this.chainYear = year;
    this.chainPrev = t;
    return t;
  }
}

export const journal: ParserModule = {
  meta: {
    id: 'journal',
    title: 'journalctl output / syslog',
    description: 'systemd journal dumps in every text output mode journalctl has (short, -precise, -iso, -unix, -monotonic, -full) and json/json-seq, plus syslog files in the same shape; klog bodies inside are parsed as klog.',
    emits: {
      log: ['host', 'ident', 'pid', 'unit', 'priority', 'monotonic', 'cut', 'caller', 'thread', 'err', '*'],
      'journal.boot': ['bootId'],
      'journal.marker': ['marker', 'unit', 'begin', 'end'],
    },
    sources: ['*'],
    inputs: [
      'journalctl --utc -u kubelet', 'journalctl -u containerd', 'journalctl --utc --boot --dmesg', 'journalctl -k',
      'journalctl -o json', '/var/log/syslog', '/var/log/messages',
    ],
  },
  detect(probe: FileProbe) {
    const named = JOURNAL_NAME.test(probe.command) || SYSLOG_NAME.test(probe.command);
    const sniff = sniffHead(probe.head);
    if (sniff === 'strong') return named ? 1 : 0.8;
    if (JOURNAL_NAME.test(probe.command)) return 0.5;
    return sniff === 'weak' ? 0.2 : 0;
  },
  create(ctx: ParseContext): LineParser {
    return new JournalReader(ctx);
  },
};

export default journal;
