/**
 * Connection tracking: `conntrack --count` / `conntrack -C`, `conntrack -S` and `conntrack -L`.
 *
 * Sample input:
 *   262144                                                                      (conntrack --count)
 *   cpu=0   	found=0 invalid=1532 ignore=0 insert=0 insert_failed=0 drop=0 early_drop=0 error=12 search_restart=4
 *   tcp      6 86396 ESTABLISHED src=10.244.1.5 dst=10.96.0.1 sport=40312 dport=443 src=10.200.0.3 dst=10.244.1.5 sport=6443 dport=40312 [ASSURED] mark=0 use=1
 *   conntrack v1.4.5 (conntrack-tools): 4711 flow entries have been shown.
 *
 * Events: `conntrack.count` (`count`) from `--count` (a bare number, taken only when the file
 * name says `conntrack --count`/`-C`: a number alone could be anything) or from the `-L` summary
 * line; `conntrack.stats` per CPU line of `-S` with `cpu` and every `name=number` as a number
 * field (names as printed: `insert_failed`, `early_drop` …); `conntrack.entry` per `-L` row:
 * `proto`, `protonum`, `timeout`, `state`, `src`, `dst`, `sport`, `dport`, `replySrc`,
 * `replyDst`, `replySport`, `replyDport`, `assured`, `unreplied`, `mark`, `zone`.
 */
import type { FieldValue, LineParser, ParseContext, ParserModule } from '../../src/model/parser.js';

const COUNT = /^\s*(\d+)\s*$/;
const STATS = /^cpu=(\d+)\s+((?:[a-z_]+=\d+\s*)+)$/;
const STAT_PAIR = /([a-z_]+)=(\d+)/g;
/** A `-L` row; `/proc/net/nf_conntrack` rows start with `ipv4     2 ` more. */
const ENTRY = /^(?:ipv[46]\s+\d+\s+)?([a-z0-9]+)\s+(\d+)\s+(\d+)\s+(?:([A-Z_]+)\s+)?(src=.*)$/;
const SUMMARY = /^conntrack v[\d.]+ \(conntrack-tools\): (\d+) flow entries have been shown\.$/;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;
const COUNT_NAME = /^conntrack (?:-c|--count)\b/;
const NAME = /^conntrack(?: |$)/;

/** Stats fields a `-S` line may hold (they vary by kernel). */
export const STAT_FIELDS = [
  'cpu', 'found', 'invalid', 'ignore', 'insert', 'insert_failed', 'drop', 'early_drop', 'error', 'search_restart',
  'searched', 'new', 'delete', 'delete_list', 'icmp_error', 'expect_new', 'expect_create', 'expect_delete',
  'clash_resolve', 'chaintoolong',
] as const;

export const conntrack: ParserModule = {
  meta: {
    id: 'conntrack',
    title: 'Connection tracking (conntrack)',
    description: '`conntrack --count` totals, `conntrack -S` per-CPU statistics and `conntrack -L` entries with their summary line.',
    emits: {
      'conntrack.count': ['count'],
      'conntrack.stats': STAT_FIELDS,
      'conntrack.entry': ['proto', 'protonum', 'timeout', 'state', 'src', 'dst', 'sport', 'dport', 'replySrc', 'replyDst', 'replySport', 'replyDport', 'assured', 'unreplied', 'mark', 'zone'],
    },
    sources: ['conntrack'],
    inputs: ['conntrack --count', 'conntrack -C', 'conntrack -S', 'conntrack -L'],
  },
  detect(probe) {
    const cmd = probe.command;
    const lines = probe.head.split('\n', 20).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    if (COUNT_NAME.test(cmd)) return lines.length === 1 && COUNT.test(lines[0]) ? 1 : 0.5;
    const named = NAME.test(cmd);
    const stats = lines.filter((l) => STATS.test(l)).length;
    const entries = lines.filter((l) => ENTRY.test(l) || SUMMARY.test(l)).length;
    if (stats / lines.length >= 0.8 || entries / lines.length >= 0.8) return named ? 1 : 0.8;
    return named ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    const countFile = COUNT_NAME.test(ctx.file.command);
    return {
      line(text, lineNo) {
        if (text.trim() === '') return;
        if (BINARY.test(text)) { ctx.warn('conntrack.binary', lineNo, 'binary bytes in conntrack output'); return; }
        const c = countFile ? COUNT.exec(text) : null;
        if (c) {
          ctx.emit({ source: 'conntrack', kind: 'conntrack.count', fields: { count: Number(c[1]) }, line: lineNo, text });
          return;
        }
        const s = STATS.exec(text.trimEnd());
        if (s) {
          const fields: Record<string, FieldValue> = { cpu: Number(s[1]) };
          for (const m of s[2].matchAll(STAT_PAIR)) fields[m[1]] = Number(m[2]);
          ctx.emit({ source: 'conntrack', kind: 'conntrack.stats', fields, line: lineNo, text });
          return;
        }
        const e = ENTRY.exec(text.trimEnd());
        if (e) {
          ctx.emit({ source: 'conntrack', kind: 'conntrack.entry', fields: entryFields(e), line: lineNo, text });
          return;
        }
        const sum = SUMMARY.exec(text.trim());
        if (sum) {
          ctx.emit({ source: 'conntrack', kind: 'conntrack.count', fields: { count: Number(sum[1]) }, line: lineNo, text });
          return;
        }
        ctx.warn('conntrack.bad-line', lineNo, countFile ? 'a conntrack count file holds one number' : 'line is not conntrack output');
      },
      end() {},
    };
  },
};

function entryFields(e: RegExpExecArray): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = { proto: e[1], protonum: Number(e[2]), timeout: Number(e[3]) };
  if (e[4]) fields.state = e[4];
  // The first src/dst/sport/dport are the original direction, the second the reply.
  let tuple = 0;
  for (const tok of e[5].split(/\s+/)) {
    if (tok === '[ASSURED]') { fields.assured = true; continue; }
    if (tok === '[UNREPLIED]') { fields.unreplied = true; continue; }
    const eq = tok.indexOf('=');
    if (eq < 0) continue;
    const k = tok.slice(0, eq);
    const v = tok.slice(eq + 1);
    if (k === 'src' && fields.src !== undefined) tuple = 1;
    if (k === 'src' || k === 'dst' || k === 'sport' || k === 'dport') {
      const name = tuple === 0 ? k : `reply${k[0].toUpperCase()}${k.slice(1)}`;
      if (fields[name] === undefined) fields[name] = k.endsWith('port') && /^\d+$/.test(v) ? Number(v) : v;
    } else if (k === 'mark' || k === 'zone') {
      fields[k] = /^\d+$/.test(v) ? Number(v) : v;
    }
  }
  if (fields.assured === undefined) fields.assured = false;
  if (fields.unreplied === undefined) fields.unreplied = false;
  return fields;
}

export default conntrack;
