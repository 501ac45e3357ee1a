/**
 * Kernel parameters: `sysctl -a` output, single `/proc/sys/…` files copied into a snapshot, and
 * `/etc/sysctl.conf` / `sysctl.d/*.conf` files.
 *
 * Sample input:
 *   net.ipv4.conf.all.rp_filter = 1                      (sysctl -a)
 *   net.ipv4.ip_local_port_range = 32768	60999
 *   262144                                               (proc/sys/net/netfilter/nf_conntrack_max)
 *   -net.ipv4.conf.all.rp_filter = 0                     (sysctl.d: `-` ignores a failed write)
 *   # Kubernetes
 *
 * Events: one `sysctl` event per key: `key` (dotted, `net.ipv4.conf.all.rp_filter`), `value`
 * (as printed, tabs kept), `number` (when the value is one number), `low`/`high` (when it is
 * two, as in `ip_local_port_range`), `origin` (`runtime` for sysctl output and /proc/sys files,
 * `config` for .conf files and `sysctl --system`), and `file` (the .conf file
 * `sysctl --system` says it applies). A /proc/sys file gives its key
 * through its path (`proc/sys/net/netfilter/nf_conntrack_max`) or its flattened name
 * (`_proc_sys_net_ipv4_conf_all_rp_filter`), where `_` is both separator and part of names:
 * the known layout of /proc/sys tells them apart.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule } from '../../src/model/parser.js';

const TOPS = new Set(['abi', 'crypto', 'debug', 'dev', 'fs', 'kernel', 'net', 'sunrpc', 'user', 'vm']);

/** Known sub-directories of /proc/sys per parent; what follows the deepest known one is the leaf name. */
const SUBDIRS: Record<string, readonly string[]> = {
  net: ['ipv4', 'ipv6', 'core', 'netfilter', 'bridge', 'unix', 'mptcp', 'sctp', 'vrf', 'xfrm', 'tipc'],
  fs: ['inotify', 'mqueue', 'epoll', 'fanotify', 'quota', 'binfmt_misc', 'verity'],
  kernel: ['keys', 'random', 'pty', 'yama', 'seccomp', 'usermodehelper'],
  dev: ['raid', 'cdrom', 'scsi', 'tty', 'hpet', 'parport', 'mac_hid'],
  'net.ipv4': ['conf', 'neigh', 'route'],
  'net.ipv6': ['conf', 'neigh', 'route', 'icmp'],
};
/** Directories with one entry per interface (`conf/<iface>/<leaf>`). */
const PER_INTERFACE = new Set(['net.ipv4.conf', 'net.ipv6.conf', 'net.ipv4.neigh', 'net.ipv6.neigh']);
/** Leaves of per-interface directories that hold `_`, so `cilium_host_rp_filter` splits right. */
const INTERFACE_LEAVES = new Set([
  'rp_filter', 'forwarding', 'mc_forwarding', 'bc_forwarding', 'accept_redirects', 'secure_redirects', 'send_redirects',
  'shared_media', 'accept_source_route', 'accept_local', 'route_localnet', 'proxy_arp', 'proxy_arp_pvlan', 'medium_id',
  'bootp_relay', 'log_martians', 'tag', 'arp_filter', 'arp_announce', 'arp_ignore', 'arp_accept', 'arp_notify',
  'arp_evict_nocarrier', 'disable_policy', 'disable_xfrm', 'ignore_routes_with_linkdown', 'drop_gratuitous_arp',
  'drop_unicast_in_l2_multicast', 'promote_secondaries', 'src_valid_mark', 'force_igmp_version', 'disable_ipv6',
  'accept_ra', 'accept_ra_defrtr', 'accept_ra_pinfo', 'accept_ra_rtr_pref', 'accept_dad', 'autoconf', 'hop_limit', 'mtu',
  'use_tempaddr', 'addr_gen_mode', 'keep_addr_on_down', 'dad_transmits', 'router_solicitations', 'proxy_ndp',
  'base_reachable_time_ms', 'base_reachable_time', 'gc_stale_time', 'delay_first_probe_time', 'mcast_solicit',
  'ucast_solicit', 'app_solicit', 'mcast_resolicit', 'retrans_time_ms', 'retrans_time', 'unres_qlen', 'unres_qlen_bytes',
  'proxy_qlen', 'anycast_delay', 'proxy_delay', 'locktime', 'gc_thresh1', 'gc_thresh2', 'gc_thresh3', 'gc_interval',
]);

/** `key = value` (sysctl -a), `key=value` and `-key = value` (sysctl.d). */
const ASSIGN = /^\s*(-?)\s*([A-Za-z0-9_][\w\-*@]*(?:[./][\w\-*@]+)+)\s*=(.*)$/;
const COMMENT = /^\s*(?:[#;]|$)/;
/** `* Applying /etc/sysctl.d/10-network-security.conf ...` from `sysctl --system`. */
const APPLYING = /^\* Applying (\S+) \.\.\.$/;
/** Messages sysctl mixes into its output (`sysctl: permission denied on key …`). */
const SYSCTL_MESSAGE = /^sysctl: /;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
/** Two numbers, as in `ip_local_port_range` (`32768\t60999`). */
const PAIR = /^(-?\d+)\s+(-?\d+)$/;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;
const PROC_PATH = /(?:^|\/)proc\/sys\/(.+)$/;
const PROC_NAME = /(?:^|[_\s])proc[_\s]sys[_\s](.+)$/i;
const CONF_PATH = /(?:^|[/_])sysctl\.(?:conf|d[/_].+\.conf)$|(?:^|\/)sysctl\.d\/[^/]+$|\.conf$/;
const NAME = /^sysctl(?: |$)/;
const MAX_VALUE_LINES = 32;

/** `net/ipv4/conf/eth0.100/rp_filter` → `net.ipv4.conf.eth0/100.rp_filter` (dots in names become `/`, as sysctl prints them). */
export function keyFromSegments(segments: readonly string[]): string {
  return segments.map((s) => s.replace(/\./g, '/')).join('.');
}

/** Key of a flattened /proc/sys name: `net_ipv4_conf_cilium_host_rp_filter` → `net.ipv4.conf.cilium_host.rp_filter`. */
export function keyFromFlatName(flat: string): string | undefined {
  const tokens = flat.split(/[_\s]+/).filter(Boolean);
  if (tokens.length < 2 || !TOPS.has(tokens[0])) return undefined;
  const out: string[] = [tokens[0]];
  let i = 1;
  // Walk known directories: each step takes the longest sub-directory name that fits.
  for (;;) {
    const dir = out.join('.');
    const subs = SUBDIRS[dir];
    if (PER_INTERFACE.has(dir)) {
      const rest = tokens.slice(i);
      if (rest.length < 2) break;
      let cut = 1;
      for (let j = 1; j < rest.length; j++) {
        if (INTERFACE_LEAVES.has(rest.slice(j).join('_'))) { cut = j; break; }
      }
      return keyFromSegments([...out, rest.slice(0, cut).join('_'), rest.slice(cut).join('_')]);
    }
    if (!subs || i >= tokens.length - 1) break;
    let step = 0;
    for (const s of subs) {
      const n = s.split('_').length;
      if (n > step && i + n < tokens.length && tokens.slice(i, i + n).join('_') === s) step = n;
    }
    if (step === 0) break;
    out.push(tokens.slice(i, i + step).join('_'));
    i += step;
  }
  if (i >= tokens.length) return undefined;
  return keyFromSegments([...out, tokens.slice(i).join('_')]);
}

/** The sysctl key a file stands for, from its path or its flattened name; undefined otherwise. */
export function keyFromFile(probe: Pick<FileProbe, 'path' | 'name'>): string | undefined {
  const path = probe.path.replace(/\.(?:txt|out)$/, '');
  const p = PROC_PATH.exec(path);
  if (p) {
    const segs = p[1].split('/').filter(Boolean);
    if (segs.length >= 2 && TOPS.has(segs[0])) {
      // The rest may itself be flattened below a top directory (`proc/sys/net/ipv4_ip_forward`).
      return segs.length === 2 && segs[1].includes('_') && SUBDIRS[segs[0]] ? keyFromFlatName(segs.join('_')) ?? keyFromSegments(segs) : keyFromSegments(segs);
    }
    if (segs.length === 1) return keyFromFlatName(segs[0]);
  }
  const name = probe.name.replace(/\.(?:txt|out)$/, '');
  const n = PROC_NAME.exec(name);
  return n ? keyFromFlatName(n[1]) : undefined;
}

/** Normalise a sysctl.d key: `net/ipv4/ip_forward` → `net.ipv4.ip_forward` (sysctl.d(5) separator rules). */
export function normaliseKey(key: string): string {
  const slash = key.indexOf('/');
  const dot = key.indexOf('.');
  if (slash >= 0 && (dot < 0 || slash < dot)) return keyFromSegments(key.split('/'));
  return key;
}

function sysctlEvent(key: string, value: string, origin: 'runtime' | 'config', line: number, text: string, file?: string): ParsedEvent {
  const fields: Record<string, FieldValue> = { key, value, origin };
  if (NUMBER.test(value)) fields.number = Number(value);
  else {
    const pair = PAIR.exec(value);
    if (pair) { fields.low = Number(pair[1]); fields.high = Number(pair[2]); }
  }
  if (file) fields.file = file;
  return { source: 'sysctl', kind: 'sysctl', message: `${key} = ${value}`, fields, line, text };
}

function isConfig(probe: Pick<FileProbe, 'path' | 'name'>): boolean {
  return CONF_PATH.test(probe.path) || CONF_PATH.test(probe.name);
}

function contentLines(head: string): string[] {
  return head.split('\n', 60).filter((l) => !COMMENT.test(l));
}

function assignRatio(lines: readonly string[]): { hits: number; ratio: number } {
  let hits = 0;
  for (const l of lines) {
    const m = ASSIGN.exec(l);
    if (m && TOPS.has(m[2].split(/[./]/, 1)[0])) hits++;
    else if (SYSCTL_MESSAGE.test(l) || APPLYING.test(l)) hits += 0.5;
  }
  return { hits, ratio: lines.length ? hits / lines.length : 0 };
}

export const sysctl: ParserModule = {
  meta: {
    id: 'sysctl',
    title: 'Kernel parameters (sysctl)',
    description: '`sysctl -a` output, single /proc/sys files (key from the path or the flattened name), and sysctl.conf / sysctl.d files.',
    emits: { sysctl: ['key', 'value', 'number', 'low', 'high', 'origin', 'file'] },
    sources: ['sysctl'],
    inputs: ['sysctl -a', '/proc/sys/net/netfilter/nf_conntrack_max', '_proc_sys_net_ipv4_conf_all_rp_filter', '/etc/sysctl.d/99-kubernetes.conf'],
  },
  detect(probe) {
    const lines = contentLines(probe.head);
    const { hits, ratio } = assignRatio(lines);
    const listing = hits >= 1 && ratio >= 0.6;
    const named = NAME.test(probe.command) || /(?:^|[/_])sysctl\.(?:conf|d)\b/.test(probe.path) || /(?:^|[_ ])sysctl\.(?:conf|d)\b/.test(probe.name);
    if (listing) return named ? 1 : 0.8;
    const key = keyFromFile(probe);
    if (key) {
      // A /proc/sys value: a few short lines that are not `key = value`.
      const values = probe.head.split('\n').filter((l) => l.trim() !== '');
      if (values.length === 0) return 0;
      const plain = values.length <= MAX_VALUE_LINES && !values.some((l) => BINARY.test(l) || ASSIGN.test(l));
      return plain ? 1 : 0.3;
    }
    return named && lines.length > 0 ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    const probe = ctx.file;
    const { hits, ratio } = assignRatio(contentLines(probe.head));
    const key = hits >= 1 && ratio >= 0.6 ? undefined : keyFromFile(probe);
    if (key) return procFileParser(ctx, key);
    const origin = isConfig(probe) ? 'config' : 'runtime';
    let applying: string | undefined;
    return {
      line(text, lineNo) {
        if (COMMENT.test(text)) return;
        if (BINARY.test(text)) { ctx.warn('sysctl.binary', lineNo, 'binary bytes in sysctl output'); return; }
        const m = ASSIGN.exec(text);
        if (m) {
          const value = m[3].trim();
          ctx.emit(sysctlEvent(normaliseKey(m[2]), value, applying ? 'config' : origin, lineNo, text, applying));
          return;
        }
        const a = APPLYING.exec(text);
        if (a) { applying = a[1]; return; }
        if (SYSCTL_MESSAGE.test(text)) return; // `sysctl: permission denied on key …` is stderr noise, not a value
        ctx.warn('sysctl.bad-line', lineNo, 'line is neither `key = value` nor a comment');
      },
      end() {},
    };
  },
};

/** A single /proc/sys file: its lines are the value; one event at the end. */
function procFileParser(ctx: ParseContext, key: string): LineParser {
  const values: string[] = [];
  let first = 0;
  let last = 0;
  return {
    line(text, lineNo) {
      if (BINARY.test(text)) { ctx.warn('sysctl.binary', lineNo, 'binary bytes in a /proc/sys value'); return; }
      if (values.length >= MAX_VALUE_LINES) {
        if (values.length === MAX_VALUE_LINES) ctx.warn('sysctl.long-value', lineNo, `/proc/sys value longer than ${MAX_VALUE_LINES} lines; the rest is ignored`);
        values.push('');
        return;
      }
      if (first === 0) { if (text.trim() === '') return; first = lineNo; }
      values.push(text.trimEnd());
      last = lineNo;
    },
    end() {
      if (first === 0) return;
      const kept = values.slice(0, MAX_VALUE_LINES);
      while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
      const value = kept.join('\n');
      const e = sysctlEvent(key, value, 'runtime', first, value);
      if (last > first) e.endLine = last;
      ctx.emit(e);
    },
  };
}

export default sysctl;
