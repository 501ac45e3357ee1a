/**
 * Kernel ring buffer dumps: `dmesg` in its usual forms, and serial-console captures that carry
 * the same lines.
 *
 * Sample input:
 *   [1454500.910215] nf_conntrack: table full, dropping packet
 *   [Tue Mar  5 10:00:00 2024] nfs: server 10.0.0.5 not responding, still trying   (dmesg -T)
 *   kern  :warn  : [  871.222759] IPv6: ADDRCONF(NETDEV_CHANGE): lxc12ab: link becomes ready   (dmesg -x)
 *   <6>[    0.000000] Linux version 5.4.0-77-generic (buildd@lgw01-amd64-028)   (dmesg -r)
 *   6,339,5140900,-;NET: Registered protocol family 10   (/dev/kmsg)
 *
 * Events: one `log` event per line, source `kernel`. `monotonic` is seconds since boot, `time`
 * is set for `-T`/`--time-format iso` stamps (read as UTC: the node's zone is unknown),
 * `facility`/`level` and the severity come from `-x`/`-r`/kmsg prefixes, and `subsystem` is the
 * leading `nf_conntrack:` / `nfs:` / `IPv6:` / `EXT4-fs (sda1):` token. Lines without a stamp
 * (`dmesg -t`, console noise such as `[  OK  ] Started …`) are events without `monotonic`;
 * an indented line after a stamped one continues it. The stamp's leading `[` may be missing
 * (excerpts cut at the first character). `journalctl -k` output belongs to the journal parser.
 */
import type { FieldValue, LineParser, ParseContext, ParsedEvent, ParserModule, Severity } from '../../src/model/parser.js';
import { MONTHS } from '../../src/model/time.js';

const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'] as const;
const LEVEL_SEVERITY: Record<string, Severity> = {
  emerg: 'fatal', alert: 'critical', crit: 'critical', err: 'error', warn: 'warning', notice: 'notice', info: 'info', debug: 'debug',
};
const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'res0', 'res1', 'res2', 'res3', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

/** `dmesg -x`: `kern  :warn  : ` (facility and level padded to width 6). */
const DECODED = /^([a-z][a-z0-9]{1,8}) *:([a-z]{3,6}) *: ?/;
/** `dmesg -r`: `<6>` or `<14>` (facility × 8 + level). */
const RAW = /^<(\d{1,3})>/;
/** `/dev/kmsg`: `level,seq,usec,flags;message`. */
const KMSG = /^(\d{1,3}),(\d+),(\d+),[^;]{0,16};/;
/** `[ 1234.567890]`, `[1234.567890 <    0.000123>]` (dmesg -d); the `[` may be cut. */
const MONO = /^\[? *(\d{1,10}\.\d{1,9})(?: *< *[\d.]+>)?\] ?/;
/** `[Tue Mar  5 10:00:00 2024]` (dmesg -T / --ctime). */
const CTIME = /^\[(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (\d{4})\] ?/;
/** `2024-03-05T10:00:00,123456+00:00` (dmesg --time-format iso). */
const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:[,.](\d{1,9}))?(Z|[+-]\d\d:?\d\d) /;
/** A leading subsystem token: `nf_conntrack: `, `EXT4-fs (vdb): `, `vmxnet3 0000:0b:00.0 ens192: `, `systemd[1]: `. */
const SUBSYSTEM = /^([A-Za-z][\w./-]{0,39})(?:\[\d+\]| \([^()]{1,40}\)| [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7](?: [\w.-]{1,15})?)?:(?: |$)/;
/** A line that starts like a stamp but is not one (cut, or corrupt). */
const BROKEN_STAMP = /^\[ *\d/;
/** Journal lines (`-- Boot …`, short-monotonic `[ 1.2] host ident[pid]: `), which are not ours. */
const JOURNAL_MARKER = /^-- (?:Logs begin at|Journal begins at|Boot [0-9a-f]{32}|Reboot|No entries) /;
/** A journal or syslog entry: a stamp (short, short-iso, short-unix, short-monotonic), a host, then `kernel:` or `ident[pid]:`. */
const JOURNAL_LINE = /^(?:\[ *\d+\.\d+\]|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT[\d:.,]+(?:Z|[+-]\d\d:?\d\d)?|\d{9,}\.\d+) \S+ (?:kernel|[\w.@/-]+\[\d+\]): /;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;
const NAME = /(?:^|[^a-z])(?:dmesg|kmsg)(?:$|[^a-z])|serial[ -]?(?:console|port|output)|console[ .-]?output/;

interface KernelLine {
  monotonic?: number;
  time?: number;
  facility?: string;
  level?: string;
  message: string;
  stamped: boolean;
}

/** Strip the prefixes of one dmesg line; `stamped` is true when a time or level prefix was read. */
export function parseKernelLine(raw: string): KernelLine {
  let s = raw;
  let facility: string | undefined;
  let level: string | undefined;
  let monotonic: number | undefined;
  let time: number | undefined;
  let stamped = false;

  let m = DECODED.exec(s);
  if (m && (LEVELS as readonly string[]).includes(m[2]) && FACILITIES.includes(m[1])) {
    facility = m[1]; level = m[2]; stamped = true; s = s.slice(m[0].length);
  } else if ((m = KMSG.exec(s))) {
    const n = Number(m[1]);
    facility = FACILITIES[n >> 3]; level = LEVELS[n & 7]; monotonic = Number(m[3]) / 1e6; stamped = true;
    return { monotonic, facility, level, message: s.slice(m[0].length), stamped };
  } else if ((m = RAW.exec(s))) {
    const n = Number(m[1]);
    if (n < 192) { facility = FACILITIES[n >> 3]; level = LEVELS[n & 7]; stamped = true; s = s.slice(m[0].length); }
  }

  if ((m = MONO.exec(s))) {
    monotonic = Number(m[1]); stamped = true; s = s.slice(m[0].length);
  } else if ((m = CTIME.exec(s))) {
    const month = MONTHS[m[1].toLowerCase()];
    if (month !== undefined) {
      time = Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
      stamped = true; s = s.slice(m[0].length);
    }
  } else if ((m = ISO.exec(s))) {
    const ms = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
    const zone = m[3] === 'Z' ? 'Z' : `${m[3].slice(0, 3)}:${m[3].slice(-2)}`;
    const t = Date.parse(`${m[1]}.${ms}${zone}`);
    if (!Number.isNaN(t)) { time = t; stamped = true; s = s.slice(m[0].length); }
  }
  return { monotonic, time, facility, level, message: s, stamped };
}

/** The leading `subsystem:` token of a kernel message, if it has one. */
export function subsystemOf(message: string): string | undefined {
  return SUBSYSTEM.exec(message)?.[1];
}

/** Drop terminal colour codes (`dmesg --color=always`, serial consoles). */
function cleanLine(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}

export const dmesg: ParserModule = {
  meta: {
    id: 'dmesg',
    title: 'Kernel ring buffer (dmesg)',
    description: 'dmesg output with `[seconds]`, `-T` ctime, ISO or no stamps, `-x` facility:level and `-r`/kmsg level prefixes, and serial-console captures of the same lines.',
    emits: { log: ['monotonic', 'facility', 'level', 'subsystem'] },
    sources: ['kernel'],
    inputs: ['dmesg', 'dmesg -T', 'dmesg -x', 'dmesg -r', 'serial console output'],
  },
  detect(probe) {
    const cmd = probe.command;
    if (cmd.startsWith('journalctl')) return 0;
    const named = NAME.test(cmd);
    const lines = probe.head.split('\n', 40).map(cleanLine).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    let stamped = 0;
    let journal = 0;
    for (const l of lines) {
      if (JOURNAL_MARKER.test(l)) return 0;
      if (JOURNAL_LINE.test(l)) journal++;
      if (parseKernelLine(l).stamped) stamped++;
    }
    // `journalctl -k` keeps the kernel's lines behind journal prefixes: the journal parser's.
    if (journal * 3 >= lines.length || (journal > 0 && journal * 2 >= stamped)) return 0;
    const ratio = stamped / lines.length;
    if (ratio >= 0.5) return named ? 1 : 0.8;
    if (named) {
      // `dmesg -t` has no stamps: accept plain text, not another tool's table or binary.
      return lines.some((l) => BINARY.test(l)) ? 0.2 : 0.9;
    }
    return stamped > 0 ? 0.2 : 0;
  },
  create(ctx: ParseContext): LineParser {
    let pending: ParsedEvent | undefined;
    let extra = 0;
    const flush = () => { if (pending) ctx.emit(pending); pending = undefined; };
    return {
      line(rawText, lineNo) {
        const text = cleanLine(rawText);
        if (text.trim() === '') return;
        if (BINARY.test(text)) { ctx.warn('dmesg.binary', lineNo, 'binary bytes in a kernel log line'); return; }
        const k = parseKernelLine(text);
        if (!k.stamped) {
          if (BROKEN_STAMP.test(text) && !text.includes(']')) {
            ctx.warn('dmesg.bad-stamp', lineNo, 'line starts like a `[seconds]` stamp but the stamp is cut');
            return;
          }
          // An indented line right after an entry continues it (multi-line printk records).
          if (pending && (text[0] === ' ' || text[0] === '\t')) {
            if (extra++ < 100) {
              pending.message = `${pending.message ?? ''}\n${text.trim()}`;
              pending.text = `${pending.text ?? ''}\n${rawText}`;
            }
            pending.endLine = lineNo;
            return;
          }
        }
        flush();
        extra = 0;
        const message = k.message.trimEnd();
        const fields: Record<string, FieldValue> = {};
        if (k.monotonic !== undefined) fields.monotonic = k.monotonic;
        if (k.facility) fields.facility = k.facility;
        if (k.level) fields.level = k.level;
        const sub = subsystemOf(message);
        if (sub) fields.subsystem = sub;
        pending = {
          source: 'kernel', kind: 'log', time: k.time,
          severity: k.level ? LEVEL_SEVERITY[k.level] : undefined,
          message, fields, line: lineNo, text: rawText,
        };
      },
      end() { flush(); },
    };
  },
};

export default dmesg;
