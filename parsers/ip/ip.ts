/**
 * Interfaces and routes from iproute2: `ip addr`, `ip link`, `ip -d link` (also `-o` one-line
 * and `-br` brief forms) and `ip route` / `ip route list table all`.
 *
 * Sample input:
 *   2: ens192: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
 *       link/ether 00:50:56:a1:b2:c3 brd ff:ff:ff:ff:ff:ff
 *       inet 10.200.0.3/24 brd 10.200.0.255 scope global ens192
 *   9: lxc4f5e6d@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
 *   default via 10.200.0.1 dev ens192 proto static metric 100
 *
 * Events: one `netif` per interface block: `name`, `peer` (the `@if8` / `@ens192` part),
 * `index`, `flags` (as printed), `up` (UP flag), `lowerUp` (LOWER_UP flag), `state`, `mtu`,
 * `qdisc`, `master`, `linkType` (`ether`, `loopback`, `none` …), `mac`, `addresses` (CIDRs,
 * comma-joined) and, with `-d`, `kind` (`veth`, `bridge`, `vxlan`, `geneve` …). One `route`
 * per route: `destination`, `type` (unicast, local, blackhole …), `gateway`, `dev`, `table`
 * (`main` unless printed or named in the command), `proto`, `scope`, `src`, `metric`, `pref`
 * and `nexthops` for multipath routes (gateway and dev then come from the first hop).
 */
import type { FieldValue, LineParser, ParseContext, ParsedEvent, ParserModule } from '../../src/model/parser.js';

const HEADER = /^(\d+): ([^\s:@]+)(?:@([^\s:]+))?: <([^>]*)>(.*)$/;
const HEADER_CUT = /^\d+: [^\s:@]+(?:@[^\s:]+)?:(?: <[^>]*)?$/;
/** `ip -o addr`: `2: ens192    inet 10.200.0.3/24 brd … scope global ens192\       valid_lft forever …`. */
const ONELINE_ADDR = /^(\d+): ([^\s:@]+)(?:@(\S+))?\s+(inet6?) (\S+)/;
/** `ip -br addr` / `ip -br link`: `ens192   UP   10.200.0.3/24 fe80::1/64`. */
const BRIEF = /^([^\s@]+)(?:@(\S+))?\s+(UP|DOWN|UNKNOWN|DORMANT|LOWERLAYERDOWN|NOTPRESENT|TESTING)(?:\s+(.*))?$/;
const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5,19}$/i;
const DEST = /^(?:default|(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){1,7}(?:\/\d{1,3})?)$/i;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;
const NAME = /^ip (?:-\S+ )*(?:a|ad|addr|addre|address|l|li|lin|link|r|ro|rou|route)(?: |$)/;

const KINDS = new Set([
  'veth', 'bridge', 'vxlan', 'geneve', 'tun', 'dummy', 'ipip', 'ip6tnl', 'sit', 'gre', 'gretap', 'ip6gre', 'ip6gretap',
  'vlan', 'macvlan', 'macvtap', 'ipvlan', 'ipvtap', 'bond', 'team', 'wireguard', 'vrf', 'openvswitch', 'nlmon', 'ifb',
  'vti', 'vti6', 'xfrm', 'can', 'vcan', 'erspan', 'ip6erspan', 'bareudp', 'netdevsim', 'hsr', 'macsec', 'batadv',
]);
const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'anycast']);
/** Route attributes that take a value. */
const ROUTE_KEYS = new Set([
  'via', 'dev', 'table', 'proto', 'scope', 'src', 'metric', 'pref', 'mtu', 'advmss', 'expires', 'error', 'weight',
  'realm', 'realms', 'hoplimit', 'initcwnd', 'initrwnd', 'rto_min', 'congctl', 'features', 'ssthresh', 'rtt', 'rttvar',
  'window', 'cwnd', 'nhid', 'from', 'tos', 'dsfield', 'quickack', 'fastopen_no_cookie', 'ttl-propagate', 'priority',
]);
/** Route flags that stand alone. */
const ROUTE_FLAGS = new Set(['onlink', 'linkdown', 'dead', 'pervasive', 'offload', 'trap', 'rt_offload', 'rt_trap', 'notify', 'lock', 'cloned', 'cache']);
/** The map of printed route attributes to field names. */
const ROUTE_FIELDS: Record<string, string> = { via: 'gateway', dev: 'dev', table: 'table', proto: 'proto', scope: 'scope', src: 'src', metric: 'metric', pref: 'pref' };
const MAX_ADDRESSES = 64;

/** Parse a route line; undefined when the line is not a route. */
export function parseRoute(line: string): Record<string, FieldValue> | undefined {
  const t = line.trim().split(/\s+/);
  let i = 0;
  let type = 'unicast';
  if (ROUTE_TYPES.has(t[0])) { type = t[0]; i = 1; }
  const dest = t[i++];
  if (dest === undefined || !DEST.test(dest)) return undefined;
  const fields: Record<string, FieldValue> = { destination: dest, type };
  while (i < t.length) {
    const k = t[i];
    if (k === 'encap') break; // lightweight tunnel parameters run to the end of the line
    if (ROUTE_FLAGS.has(k)) { i++; continue; }
    if (!ROUTE_KEYS.has(k) || i + 1 >= t.length) return undefined;
    let v = t[i + 1];
    i += 2;
    if (k === 'via' && (v === 'inet' || v === 'inet6') && i < t.length) v = t[i++];
    const name = ROUTE_FIELDS[k];
    if (name) fields[name] = name === 'metric' && /^\d+$/.test(v) ? Number(v) : v;
  }
  // A bare destination (no attributes) is a multipath head: its `nexthop` lines follow.
  return fields;
}

function newNetif(index: number | undefined, name: string, peer: string | undefined, line: number, text: string): ParsedEvent {
  const fields: Record<string, FieldValue> = { name };
  if (index !== undefined) fields.index = index;
  if (peer && peer !== 'NONE') fields.peer = peer;
  return { source: 'ip', kind: 'netif', fields, line, text };
}

function applyFlags(fields: Record<string, FieldValue>, flags: string): void {
  const list = flags.split(',');
  fields.flags = flags;
  fields.up = list.includes('UP');
  fields.lowerUp = list.includes('LOWER_UP');
}

/** `mtu 1500 qdisc mq master cbr0 state UP mode DEFAULT group default qlen 1000`. */
function applyHeaderRest(fields: Record<string, FieldValue>, rest: string): void {
  const t = rest.trim().split(/\s+/);
  for (let i = 0; i + 1 < t.length; i++) {
    const k = t[i];
    const v = t[i + 1];
    if (k === 'mtu' && /^\d+$/.test(v)) { fields.mtu = Number(v); i++; }
    else if (k === 'qdisc' || k === 'master' || k === 'state') { fields[k] = v; i++; }
    else if (k === 'mode' || k === 'group' || k === 'qlen' || k === 'link-netnsid' || k === 'link-netns') i++;
  }
}

export const ip: ParserModule = {
  meta: {
    id: 'ip',
    title: 'Interfaces and routes (iproute2)',
    description: '`ip addr`, `ip link`, `ip -d link` (also -o and -br forms) interface blocks and `ip route` / `ip route list table all` routes.',
    emits: {
      netif: ['name', 'peer', 'index', 'flags', 'up', 'lowerUp', 'state', 'mtu', 'qdisc', 'master', 'linkType', 'mac', 'addresses', 'kind'],
      route: ['destination', 'type', 'gateway', 'dev', 'table', 'proto', 'scope', 'src', 'metric', 'pref', 'nexthops'],
    },
    sources: ['ip'],
    inputs: ['ip addr', 'ip -d link', 'ip -o link', 'ip -br addr', 'ip route', 'ip route list table all'],
  },
  detect(probe) {
    const cmd = probe.command;
    if (/^ip (?:-\S+ )*(?:n|ne|nei|neigh|neighbor|neighbour|rule|ru|maddr|monitor|netns|xfrm|tunnel)\b/.test(cmd)) return 0;
    const named = NAME.test(cmd);
    const lines = probe.head.split('\n', 40).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    let links = 0;
    let body = 0;
    let routes = 0;
    let brief = 0;
    for (const l of lines) {
      if (HEADER.test(l) || ONELINE_ADDR.test(l)) links++;
      else if (l[0] === ' ' || l[0] === '\t') body++;
      else if (parseRoute(l)) routes++;
      else if (BRIEF.test(l)) brief++;
    }
    const n = lines.length;
    if (links > 0 && (links + body) / n >= 0.7) return named ? 1 : 0.8;
    if (routes > 0 && (routes + body) / n >= 0.7 && lines.some((l) => / dev \S/.test(l))) return named ? 1 : 0.8;
    if (named && brief / n >= 0.7) return 1;
    return named ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    const tableFromCommand = /\btable (\S+)/.exec(ctx.file.command)?.[1];
    const defaultTable = tableFromCommand && tableFromCommand !== 'all' ? tableFromCommand : 'main';
    let iface: ParsedEvent | undefined;
    let addresses: string[] = [];
    let route: ParsedEvent | undefined;
    let hops = 0;
    const firstLine = ctx.file.head.split('\n', 5).find((l) => l.trim() !== '') ?? '';
    const brief = /(?:^| )-br(?:ief)?\b/.test(ctx.file.command) || (BRIEF.test(firstLine) && !HEADER.test(firstLine));

    const flushIface = () => {
      if (!iface) return;
      if (addresses.length > 0) iface.fields.addresses = addresses.join(',');
      ctx.emit(iface);
      iface = undefined;
      addresses = [];
    };
    const flushRoute = () => {
      if (!route) return;
      if (hops > 0) route.fields.nexthops = hops;
      ctx.emit(route);
      route = undefined;
      hops = 0;
    };
    const addAddress = (a: string) => { if (addresses.length < MAX_ADDRESSES) addresses.push(a); };

    /** One line of an interface block (`link/ether …`, `inet …`, a `-d` detail line). */
    const body = (s: string, lineNo: number) => {
      if (!iface) return false;
      const t = s.trim().split(/\s+/);
      const f = iface.fields;
      const w = t[0];
      if (w.startsWith('link/')) {
        f.linkType = w.slice(5);
        if (t[1] && MAC.test(t[1])) f.mac = t[1].toLowerCase();
      } else if (w === 'inet' || w === 'inet6') {
        if (t[1]) addAddress(t[1]);
      } else if (KINDS.has(w) && f.kind === undefined) {
        f.kind = w;
      }
      iface.endLine = lineNo;
      return true;
    };

    return {
      line(text, lineNo) {
        if (text.trim() === '') return;
        if (BINARY.test(text)) { ctx.warn('ip.binary', lineNo, 'binary bytes in ip output'); return; }
        const indented = text[0] === ' ' || text[0] === '\t';
        if (indented) {
          const s = text.trim();
          if (s.startsWith('nexthop ') && route) {
            hops++;
            const hop = parseRoute(`0.0.0.0 ${s.slice(8)}`);
            if (hop && hops === 1) {
              if (hop.gateway !== undefined) route.fields.gateway = hop.gateway;
              if (hop.dev !== undefined) route.fields.dev = hop.dev;
            }
            route.endLine = lineNo;
            return;
          }
          if (body(text, lineNo)) return;
          ctx.warn('ip.orphan-line', lineNo, 'indented line with no interface or route before it');
          return;
        }
        // `-o` output keeps a block on one line, with `\` where the newlines were.
        const parts = text.includes('\\') ? text.split(/\s*\\\s*/) : [text];
        const first = parts[0];
        const h = HEADER.exec(first);
        if (h) {
          flushRoute(); flushIface();
          iface = newNetif(Number(h[1]), h[2], h[3], lineNo, text);
          applyFlags(iface.fields, h[4]);
          applyHeaderRest(iface.fields, h[5]);
          for (const p of parts.slice(1)) if (p) body(p, lineNo);
          return;
        }
        const o = ONELINE_ADDR.exec(first);
        if (o) {
          // `ip -o addr` gives one line per address: group the lines of one interface.
          if (!iface || iface.fields.index !== Number(o[1])) {
            flushRoute(); flushIface();
            iface = newNetif(Number(o[1]), o[2], o[3], lineNo, text);
          }
          addAddress(o[5]);
          iface.endLine = lineNo;
          return;
        }
        const r = parseRoute(first);
        if (r) {
          flushIface(); flushRoute();
          if (r.table === undefined) r.table = defaultTable;
          route = { source: 'ip', kind: 'route', fields: r, line: lineNo, text };
          return;
        }
        const b = brief ? BRIEF.exec(first) : null;
        if (b) {
          flushRoute(); flushIface();
          iface = newNetif(undefined, b[1], b[2], lineNo, text);
          iface.fields.state = b[3];
          for (const tok of (b[4] ?? '').split(/\s+/)) {
            if (!tok) continue;
            if (MAC.test(tok)) iface.fields.mac = tok.toLowerCase();
            else if (tok.startsWith('<') && tok.endsWith('>')) applyFlags(iface.fields, tok.slice(1, -1));
            else if (tok.includes('/')) addAddress(tok);
          }
          return;
        }
        flushRoute(); flushIface();
        if (HEADER_CUT.test(text)) ctx.warn('ip.truncated', lineNo, 'interface header cut short');
        else ctx.warn('ip.bad-line', lineNo, 'line is neither an interface block nor a route');
      },
      end() { flushRoute(); flushIface(); },
    };
  },
};

export default ip;
