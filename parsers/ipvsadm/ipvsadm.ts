/**
 * `ipvsadm` listings: the IPVS virtual-service table with its real servers (`-Ln`, `-L`), the
 * per-service counters (`-Ln --stats`, `-Ln --rate`) and the connection table (`-Lnc`).
 *
 * Sample input:
 *   IP Virtual Server version 1.2.1 (size=4096)
 *   Prot LocalAddress:Port Scheduler Flags
 *     -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
 *   TCP  10.254.0.1:443 rr persistent 10800
 *     -> 172.16.16.81:6443            Masq    1      0          0
 *   TCP 133:35 ESTABLISHED 10.142.81.39:49715 10.40.25.43:18000  10.40.25.16:18000
 *
 * Events:
 * - `ipvs.header`: the `IP Virtual Server version … (size=…)` banner.
 * - `ipvs.service`: one per virtual service, emitted when its block ends, so it carries the
 *   count of its real servers; `line` is the service line, `endLine` its last real-server line.
 *   Its `ipvs.realserver` events are emitted as their lines are read, so they come before it.
 * - `ipvs.realserver`: one per `  -> ` line of a listing.
 * - `ipvs.stats`: one per service and real-server row of `--stats` / `--rate` (which emit no
 *   `ipvs.service` events: the same services appear in the plain listing).
 * - `ipvs.conn`: one per row of the connection table.
 * - `ipvs.error`: ipvsadm's own failure messages (`Can't initialize ipvs: …`, command not found).
 *
 * Without `-n` ipvsadm prints host and service names and cuts them to 28 characters, so such
 * addresses are marked `resolved` and a port that may have been cut is left out.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParserModule } from '../../src/model/parser.js';

const SOURCE = 'ipvsadm';
const MAX_WARNINGS = 1000;
/** Longest name ipvsadm prints without `-n`; a name this long may have been cut. */
const RESOLVED_NAME_MAX = 28;

const BANNER = /^IP Virtual Server version (\S+) \(size=(\d+)\)/;
const LIST_HEADER = /^Prot\s+LocalAddress:Port\b(.*)$/;
const CONN_HEADER = /^pro\s+expire\s+state\b/;
const CONN_BANNER = /^IPVS connection entries\b/;
const RS_HEADER = /^\s*->\s*RemoteAddress:Port\b/;
/** `  -> 10.0.0.1:80   Masq   1   0   0` (list) or `  -> 10.0.0.1:80   0   0   0   0   0` (stats). */
const RS_LINE = /^\s+->\s+(\S+)\s*(.*)$/;
const RS_LIST = /^([A-Za-z][\w-]*)\s+(-?\d+)\s+(\d+)\s+(\d+)$/;
const SERVICE_LINE = /^(TCP|UDP|SCTP)\s+(\S+)(?:\s+(.*))?$/;
const FWM_LINE = /^FWM\s+(\d+)(?: (IPv6))?(?:\s+(.*))?$/;
/** `TCP 133:35 ESTABLISHED src vip dst` — expire is mm:ss and minutes can pass 99. */
const CONN_LINE = /^([A-Z][A-Z0-9]*)\s+(\d+):(\d\d)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/;
const PERSISTENT = /(?:^|\s)persistent (\d+)/;
const LARGE_NUMBER = /^(\d+)([KMGT]?)$/;
const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const NUMERIC_PORT = /^\d+$/;
const WHITESPACE = /\s+/;
/** dpvs prints SNAT services as `MATCH …` blocks; they are not IPVS services. */
const FOREIGN_BLOCK = /^(?:MATCH|SNAT)\b/;
/** Other lines ipvsadm prints with some options (`--timeout`, `--daemon`); nothing to model. */
const KNOWN_OTHER = /^(?:Timeout \(tcp tcpfin udp\):|(?:master|backup) sync daemon\b)/;
const ERROR_LINE = /^(?:Can't initialize ipvs\b|Are you sure that IP Virtual Server\b|Memory allocation problem\b|.*\bipvsadm: (?:command )?not found\b|.*\bipvsadm: No such file or directory\b)/;

const CONTENT_STRONG = /^(?:IP Virtual Server version |Prot\s+LocalAddress:Port|pro\s+expire\s+state|IPVS connection entries|Can't initialize ipvs)/m;
const CONTENT_SERVICE = /^(?:TCP|UDP|SCTP|FWM) {2}\S+/m;
const CONTENT_RS = /^ {2}-> \S+/m;
const NAME = /^ipvsadm\b/;
const NAME_SAVE = /^ipvsadm(?:-save\b| -s[n]*\b| --save\b)/;

const MULTIPLIER: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 };
const STATS_FIELDS = ['conns', 'inPkts', 'outPkts', 'inBytes', 'outBytes'] as const;
const RATE_FIELDS = ['cps', 'inPps', 'outPps', 'inBps', 'outBps'] as const;

type Mode = 'list' | 'stats' | 'rate' | 'thresholds' | 'pconn' | 'conn';

/** A `--stats` / `--rate` number: ipvsadm divides large values and appends K, M, G or T (×1000). */
export function parseLargeNumber(text: string): number | undefined {
  const m = LARGE_NUMBER.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * MULTIPLIER[m[2]];
}

export interface IpvsAddress {
  host: string;
  port?: number;
  /** The text after the last `:` (a port number or, without `-n`, a service name). */
  portText: string;
  /** Host or port printed as a name, not a number. */
  resolved: boolean;
  family?: 'ipv4' | 'ipv6';
}

/** Split `10.0.0.1:80`, `[fd00::1]:443` or a resolved `host.example:http` into its parts. */
export function splitAddress(address: string): IpvsAddress {
  let host: string;
  let portText: string;
  let family: 'ipv4' | 'ipv6' | undefined;
  if (address.charCodeAt(0) === 91 /* [ */) {
    const close = address.indexOf(']');
    host = close < 0 ? address.slice(1) : address.slice(1, close);
    portText = close < 0 ? '' : address.slice(close + 2);
    family = 'ipv6';
  } else {
    const colon = address.lastIndexOf(':');
    host = colon < 0 ? address : address.slice(0, colon);
    portText = colon < 0 ? '' : address.slice(colon + 1);
    if (IPV4.test(host)) family = 'ipv4';
  }
  const numericPort = NUMERIC_PORT.test(portText);
  const resolved = family === undefined || (portText !== '' && !numericPort);
  const out: IpvsAddress = { host, portText, resolved, family };
  // A resolved name cut at 28 characters may also have lost digits of its port.
  if (numericPort && !(resolved && address.length >= RESOLVED_NAME_MAX)) out.port = Number(portText);
  return out;
}

interface PendingService {
  fields: Record<string, FieldValue>;
  line: number;
  endLine?: number;
  text: string;
  realServers: number;
  activeRealServers: number;
  activeConn: number;
  inactConn: number;
}

function excerpt(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

export const ipvsadm: ParserModule = {
  meta: {
    id: 'ipvsadm',
    title: 'ipvsadm listing',
    description: 'IPVS virtual services and real servers (ipvsadm -Ln / -L), their --stats and --rate counters, and the -Lnc connection table.',
    emits: {
      'ipvs.header': ['version', 'size'],
      'ipvs.service': [
        'proto', 'address', 'vip', 'port', 'fwmark', 'family', 'scheduler', 'flags', 'persistent',
        'realServers', 'activeRealServers', 'activeConn', 'inactConn', 'resolved',
      ],
      'ipvs.realserver': [
        'service', 'address', 'ip', 'port', 'forward', 'weight', 'activeConn', 'inactConn', 'resolved',
        'upperThreshold', 'lowerThreshold', 'persistConn',
      ],
      'ipvs.stats': ['row', 'service', 'address', ...STATS_FIELDS, ...RATE_FIELDS],
      'ipvs.conn': ['proto', 'expire', 'state', 'source', 'virtual', 'destination'],
      'ipvs.error': [],
    },
    sources: [SOURCE],
    inputs: ['ipvsadm -Ln', 'ipvsadm -L', 'ipvsadm -Ln --stats', 'ipvsadm -Ln --rate', 'ipvsadm -Lnc'],
  },
  detect(probe: FileProbe): number {
    const name = NAME.test(probe.command) && !NAME_SAVE.test(probe.command);
    if (CONTENT_STRONG.test(probe.head)) return name ? 1 : 0.8;
    const shape = CONTENT_SERVICE.test(probe.head) && CONTENT_RS.test(probe.head);
    if (shape) return name ? 0.9 : 0.6;
    return name ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    let mode: Mode | undefined;
    let service: PendingService | undefined;
    /** Inside a block whose head is not an IPVS service (dpvs `MATCH`): its lines are skipped. */
    let foreignBlock = false;
    let warnings = 0;
    let lastLine = 0;

    const warn = (code: string, line: number, message: string): void => {
      if (warnings++ < MAX_WARNINGS) ctx.warn(code, line, message);
    };

    const closeService = (): void => {
      const s = service;
      service = undefined;
      // Counter listings report services as `ipvs.stats` rows only.
      if (!s || mode === 'stats' || mode === 'rate') return;
      const f = s.fields;
      f.realServers = s.realServers;
      // Weights are printed by the plain and --persistent-conn listings, not by --thresholds.
      if (mode !== 'thresholds') f.activeRealServers = s.activeRealServers;
      f.activeConn = s.activeConn;
      f.inactConn = s.inactConn;
      ctx.emit({ source: SOURCE, kind: 'ipvs.service', fields: f, line: s.line, endLine: s.endLine, text: s.text });
    };

    /** Fields of a virtual-service head (`TCP  10.0.0.1:80`, `FWM  7 IPv6`); rest is what follows. */
    const serviceHead = (text: string): { fields: Record<string, FieldValue>; rest: string } | undefined => {
      const m = SERVICE_LINE.exec(text);
      if (m) {
        const a = splitAddress(m[2]);
        const fields: Record<string, FieldValue> = { proto: m[1], address: m[2], vip: a.host };
        if (a.port !== undefined) fields.port = a.port;
        if (a.family) fields.family = a.family;
        fields.resolved = a.resolved;
        return { fields, rest: m[3] ?? '' };
      }
      const f = FWM_LINE.exec(text);
      if (f) {
        return {
          fields: { proto: 'FWM', address: f[1], fwmark: Number(f[1]), family: f[2] ? 'ipv6' : 'ipv4', resolved: false },
          rest: f[3] ?? '',
        };
      }
      return undefined;
    };

    const statsNumbers = (tokens: string[]): Record<string, number> | undefined => {
      const names = mode === 'rate' ? RATE_FIELDS : STATS_FIELDS;
      if (tokens.length !== names.length) return undefined;
      const out: Record<string, number> = {};
      for (let i = 0; i < names.length; i++) {
        const v = parseLargeNumber(tokens[i]);
        if (v === undefined) return undefined;
        out[names[i]] = v;
      }
      return out;
    };

    const onService = (head: { fields: Record<string, FieldValue>; rest: string }, raw: string, lineNo: number): void => {
      closeService();
      foreignBlock = false;
      const rest = head.rest;
      if (mode === 'stats' || mode === 'rate' || (mode === undefined && rest !== '' && parseLargeNumber(rest.split(WHITESPACE, 1)[0]) !== undefined)) {
        if (mode === undefined) mode = 'stats';
        const numbers = statsNumbers(rest === '' ? [] : rest.split(WHITESPACE));
        const address = String(head.fields.address);
        // The block still needs a current service so its real-server rows know their parent.
        service = { fields: head.fields, line: lineNo, text: raw, realServers: 0, activeRealServers: 0, activeConn: 0, inactConn: 0 };
        if (!numbers) { warn('ipvsadm.bad-stats-row', lineNo, `expected ${mode} counters: ${excerpt(raw)}`); return; }
        ctx.emit({ source: SOURCE, kind: 'ipvs.stats', fields: { row: 'service', service: address, address, ...numbers }, line: lineNo, text: raw });
        return;
      }
      if (rest !== '') {
        const space = rest.indexOf(' ');
        head.fields.scheduler = space < 0 ? rest : rest.slice(0, space);
        const flags = space < 0 ? '' : rest.slice(space + 1).trim();
        if (flags !== '') head.fields.flags = flags;
        const p = PERSISTENT.exec(flags);
        if (p) head.fields.persistent = Number(p[1]);
      }
      service = { fields: head.fields, line: lineNo, text: raw, realServers: 0, activeRealServers: 0, activeConn: 0, inactConn: 0 };
    };

    const onRealServer = (text: string, raw: string, lineNo: number): void => {
      const m = RS_LINE.exec(text);
      if (!m) { warn('ipvsadm.bad-realserver', lineNo, `unreadable real-server line: ${excerpt(text)}`); return; }
      if (foreignBlock) return;
      const s = service;
      if (!s) { warn('ipvsadm.orphan-realserver', lineNo, 'real-server line without a virtual service before it'); return; }
      const address = m[1];
      const a = splitAddress(address);
      const serviceAddress = String(s.fields.address);
      const rest = m[2];

      if (mode === 'stats' || mode === 'rate') {
        const numbers = statsNumbers(rest === '' ? [] : rest.split(WHITESPACE));
        if (!numbers) { warn('ipvsadm.bad-stats-row', lineNo, `expected ${mode} counters: ${excerpt(text)}`); return; }
        s.realServers++;
        s.endLine = lineNo;
        ctx.emit({ source: SOURCE, kind: 'ipvs.stats', fields: { row: 'realserver', service: serviceAddress, address, ...numbers }, line: lineNo, text: raw });
        return;
      }

      const fields: Record<string, FieldValue> = { service: serviceAddress, address, ip: a.host };
      if (a.port !== undefined) fields.port = a.port;
      fields.resolved = a.resolved;
      if (mode === 'thresholds' || mode === 'pconn') {
        const t = rest.split(WHITESPACE);
        if (t.length !== 4 || !t.every((x) => NUMERIC_PORT.test(x))) {
          warn('ipvsadm.bad-realserver', lineNo, `expected 4 numbers: ${excerpt(text)}`);
          return;
        }
        if (mode === 'thresholds') { fields.upperThreshold = Number(t[0]); fields.lowerThreshold = Number(t[1]); } else { fields.weight = Number(t[0]); fields.persistConn = Number(t[1]); }
        fields.activeConn = Number(t[2]);
        fields.inactConn = Number(t[3]);
      } else {
        const l = RS_LIST.exec(rest);
        if (!l) { warn('ipvsadm.bad-realserver', lineNo, `expected forward, weight, ActiveConn, InActConn: ${excerpt(text)}`); return; }
        fields.forward = l[1];
        fields.weight = Number(l[2]);
        fields.activeConn = Number(l[3]);
        fields.inactConn = Number(l[4]);
      }
      s.realServers++;
      if (typeof fields.weight === 'number' && fields.weight > 0) s.activeRealServers++;
      s.activeConn += fields.activeConn as number;
      s.inactConn += fields.inactConn as number;
      s.endLine = lineNo;
      ctx.emit({ source: SOURCE, kind: 'ipvs.realserver', fields, line: lineNo, text: raw });
    };

    const onListHeader = (columns: string): void => {
      closeService();
      foreignBlock = false;
      if (/\bConns\b/.test(columns)) mode = 'stats';
      else if (/\bCPS\b/.test(columns)) mode = 'rate';
      else if (/\bUthreshold\b/.test(columns)) mode = 'thresholds';
      else if (/\bPersistConn\b/.test(columns)) mode = 'pconn';
      else mode = 'list';
    };

    return {
      line(raw, lineNo) {
        lastLine = lineNo;
        // ipvsadm pads real-server lines with trailing spaces; events keep the line as read.
        const text = raw.trimEnd();
        if (text === '') return;
        const c = text.charCodeAt(0);

        if (c === 32 /* space */ || c === 9 /* tab */) {
          if (RS_HEADER.test(text)) return;
          onRealServer(text, raw, lineNo);
          return;
        }

        const conn = CONN_LINE.exec(text);
        if (conn) {
          closeService();
          ctx.emit({
            source: SOURCE, kind: 'ipvs.conn',
            fields: {
              proto: conn[1], expire: Number(conn[2]) * 60 + Number(conn[3]), state: conn[4],
              source: conn[5], virtual: conn[6], destination: conn[7],
            },
            line: lineNo, text: raw,
          });
          return;
        }

        const head = serviceHead(text);
        if (head) { onService(head, raw, lineNo); return; }

        const banner = BANNER.exec(text);
        if (banner) {
          closeService();
          foreignBlock = false;
          ctx.emit({ source: SOURCE, kind: 'ipvs.header', fields: { version: banner[1], size: Number(banner[2]) }, line: lineNo, text: raw });
          return;
        }
        const list = LIST_HEADER.exec(text);
        if (list) { onListHeader(list[1]); return; }
        if (CONN_HEADER.test(text) || CONN_BANNER.test(text)) {
          closeService();
          foreignBlock = false;
          mode = 'conn';
          return;
        }
        if (FOREIGN_BLOCK.test(text)) {
          closeService();
          foreignBlock = true;
          return;
        }
        if (KNOWN_OTHER.test(text)) return;
        if (ERROR_LINE.test(text)) {
          closeService();
          ctx.emit({ source: SOURCE, kind: 'ipvs.error', severity: 'error', message: text, fields: {}, line: lineNo, text: raw });
          return;
        }
        warn('ipvsadm.unrecognized', lineNo, `not an ipvsadm line: ${excerpt(text)}`);
      },
      end() {
        closeService();
        if (warnings > MAX_WARNINGS) ctx.warn('ipvsadm.more-warnings', lastLine, `${warnings - MAX_WARNINGS} more lines were not understood`);
      },
    };
  },
};

export default ipvsadm;
