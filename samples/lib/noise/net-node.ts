/**
 * Network outputs of a node that the default snapshot does not carry, for the networking
 * scenarios: `sysctl -a`, `/etc/sysctl.d` files, `ethtool -k` / `ethtool -i`, a bridge-based
 * (kubenet `cbr0`) `ip addr`, `conntrack -S`, the firewalld unit journal, and the Service
 * objects as `kubectl get svc -A -o yaml` prints them. Plus `withFiles`, which adds such files
 * to a snapshot where the snapshot layout would put them.
 *
 * Sample output (`sysctl -a`, `ethtool -k ens192`, bridge `ip addr`):
 *   net.ipv4.conf.all.rp_filter = 0
 *   net.ipv4.ip_local_port_range = 32768	60999
 *   tx-udp_tnl-segmentation: on
 *   3: cbr0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1460 qdisc htb state UP group default qlen 1000
 */
import type { BundleSpec, LineGenerator } from '../bundle.js';
import { type Cluster, type Node, type Service, podsOn } from '../cluster.js';
import { Rng } from '../rng.js';
import { isoSeconds, journalHeaderStamp } from '../time.js';
import { type Rec, type RecSource, fixed, journalLine, merge } from '../timeline.js';
import { conntrackMax } from './host.js';
import { vethName } from './kernel.js';

// ---------------------------------------------------------------------------------------------
// Placing extra files in a snapshot

import { type ExtraFile, addFiles } from '../edit.js';

export { type ExtraFile, nodeCommandPath, nodeCopyPath } from '../edit.js';

/** The snapshot with extra files added below its top folder, members kept in path order. */
export function withFiles(c: Cluster, spec: BundleSpec, files: readonly ExtraFile[]): BundleSpec {
  return addFiles(spec, c, files);
}

// ---------------------------------------------------------------------------------------------
// sysctl

/** Interfaces of a node as the default `ip addr` names them (pods' lxc devices included). */
export function nodeInterfaces(c: Cluster, node: Node): string[] {
  const out = ['lo', c.os.iface, 'cilium_net', 'cilium_host', 'cilium_geneve', 'lxc_health'];
  if (c.kubeProxy.mode === 'ipvs') out.push('kube-ipvs0');
  for (const p of podsOn(c, node)) if (!p.hostNetwork && p.phase === 'Running') out.push(vethName(p.sandboxId));
  return out;
}

export interface SysctlOptions {
  /** Keys set to other values (or added), e.g. `{ 'net.ipv4.conf.all.rp_filter': '1' }`. */
  set?: Record<string, string>;
  /** Interfaces listed under net.ipv4.conf / net.ipv6.conf; those of the default `ip addr` when absent. */
  interfaces?: string[];
  /** `net.netfilter.nf_conntrack_count`; a plausible number when absent. */
  conntrackCount?: number;
}

/** Per-interface IPv4 settings: the value an ABM node shows for each, given the interface. */
function ipv4Conf(c: Cluster, iface: string): [string, string][] {
  const ubuntu = c.os.id === 'ubuntu-20.04';
  const cilium = iface.startsWith('cilium_') || iface.startsWith('lxc');
  // anetd turns source validation off on `all` and on its own devices; the distribution's
  // default (2 on Ubuntu, 1 on RHEL) stays on the others.
  const rp = iface === 'all' || iface === 'lo' || cilium ? '0' : ubuntu ? '2' : '1';
  return [
    ['accept_local', '0'], ['accept_redirects', iface === 'all' ? '0' : '1'], ['accept_source_route', iface === 'all' ? '0' : '1'],
    ['arp_accept', '0'], ['arp_announce', '0'], ['arp_filter', '0'], ['arp_ignore', '0'], ['arp_notify', '0'],
    ['bc_forwarding', '0'], ['bootp_relay', '0'], ['disable_policy', iface === 'lo' ? '1' : '0'], ['disable_xfrm', iface === 'lo' ? '1' : '0'],
    ['drop_gratuitous_arp', '0'], ['drop_unicast_in_l2_multicast', '0'], ['force_igmp_version', '0'], ['forwarding', '1'],
    ['igmpv2_unsolicited_report_interval', '10000'], ['igmpv3_unsolicited_report_interval', '1000'], ['ignore_routes_with_linkdown', '0'],
    ['log_martians', '0'], ['mc_forwarding', '0'], ['medium_id', '0'], ['promote_secondaries', '1'], ['proxy_arp', '0'],
    ['proxy_arp_pvlan', '0'], ['route_localnet', '0'], ['rp_filter', rp], ['secure_redirects', '1'], ['send_redirects', '1'],
    ['shared_media', '1'], ['src_valid_mark', '0'], ['tag', '0'],
  ];
}

/** `sysctl -a` of a node (a representative part of it: kernel, vm, fs, net.core, net.ipv4, netfilter), sorted as sysctl prints it. */
export function sysctlAll(c: Cluster, node: Node, o: SysctlOptions = {}): LineGenerator {
  return () => {
    const rng = new Rng(`${c.seed}/sysctl/${node.name}`);
    const ubuntu = c.os.id === 'ubuntu-20.04';
    const max = conntrackMax(node);
    const values = new Map<string, string>([
      ['abi.vsyscall32', '1'],
      ['fs.aio-max-nr', '65536'], ['fs.file-max', '9223372036854775807'], ['fs.file-nr', `${rng.int(9000, 30000)}\t0\t9223372036854775807`],
      ['fs.inotify.max_queued_events', '16384'], ['fs.inotify.max_user_instances', '8192'], ['fs.inotify.max_user_watches', '524288'],
      ['fs.nr_open', '1048576'], ['fs.protected_hardlinks', '1'], ['fs.protected_symlinks', '1'], ['fs.suid_dumpable', ubuntu ? '2' : '0'],
      ['kernel.core_pattern', ubuntu ? '|/usr/share/apport/apport %p %s %c %d %P %E' : '|/usr/lib/systemd/systemd-coredump %P %u %g %s %t %c %h %e'],
      ['kernel.hostname', node.name], ['kernel.keys.root_maxkeys', '1000000'], ['kernel.keys.root_maxbytes', '25000000'],
      ['kernel.osrelease', c.os.kernel], ['kernel.ostype', 'Linux'], ['kernel.panic', '10'], ['kernel.panic_on_oops', '1'],
      ['kernel.pid_max', String(c.os.pidMax)], ['kernel.printk', '4\t4\t1\t7'], ['kernel.randomize_va_space', '2'],
      ['kernel.sched_child_runs_first', '0'], ['kernel.sysrq', ubuntu ? '176' : '16'], ['kernel.threads-max', String(Math.floor(node.memKiB / 64))],
      ['kernel.unprivileged_bpf_disabled', ubuntu ? '2' : '0'], ['kernel.version', c.os.kernelBuild],
      ['net.bridge.bridge-nf-call-arptables', '1'], ['net.bridge.bridge-nf-call-ip6tables', '1'], ['net.bridge.bridge-nf-call-iptables', '1'],
      ['net.core.busy_poll', '0'], ['net.core.default_qdisc', ubuntu ? 'fq_codel' : 'fq_codel'], ['net.core.netdev_max_backlog', '1000'],
      ['net.core.optmem_max', '20480'], ['net.core.rmem_default', '212992'], ['net.core.rmem_max', '212992'],
      ['net.core.somaxconn', ubuntu ? '4096' : '128'], ['net.core.wmem_default', '212992'], ['net.core.wmem_max', '212992'],
      ['net.ipv4.icmp_echo_ignore_broadcasts', '1'], ['net.ipv4.icmp_ratelimit', '1000'], ['net.ipv4.ip_default_ttl', '64'],
      ['net.ipv4.ip_forward', '1'], ['net.ipv4.ip_local_port_range', '32768\t60999'], ['net.ipv4.ip_local_reserved_ports', ''],
      ['net.ipv4.ip_nonlocal_bind', '0'], ['net.ipv4.ip_unprivileged_port_start', '1024'], ['net.ipv4.neigh.default.gc_thresh1', '128'],
      ['net.ipv4.neigh.default.gc_thresh2', '512'], ['net.ipv4.neigh.default.gc_thresh3', '1024'], ['net.ipv4.ping_group_range', '1\t0'],
      ['net.ipv4.tcp_congestion_control', 'cubic'], ['net.ipv4.tcp_fin_timeout', '60'], ['net.ipv4.tcp_keepalive_intvl', '75'],
      ['net.ipv4.tcp_keepalive_probes', '9'], ['net.ipv4.tcp_keepalive_time', '7200'], ['net.ipv4.tcp_max_syn_backlog', '1024'],
      ['net.ipv4.tcp_mtu_probing', '0'], ['net.ipv4.tcp_rmem', '4096\t131072\t6291456'], ['net.ipv4.tcp_syncookies', '1'],
      ['net.ipv4.tcp_tw_reuse', '2'], ['net.ipv4.tcp_wmem', '4096\t16384\t4194304'], ['net.ipv4.udp_mem', '382599\t510132\t765198'],
      ['net.ipv6.conf.all.disable_ipv6', '0'], ['net.ipv6.conf.all.forwarding', '1'], ['net.ipv6.conf.default.disable_ipv6', '0'],
      ['net.netfilter.nf_conntrack_acct', '0'], ['net.netfilter.nf_conntrack_buckets', String(max / 4)],
      ['net.netfilter.nf_conntrack_checksum', '1'], ['net.netfilter.nf_conntrack_count', String(o.conntrackCount ?? rng.int(900, 9000))],
      ['net.netfilter.nf_conntrack_expect_max', String(max / 256)], ['net.netfilter.nf_conntrack_generic_timeout', '600'],
      ['net.netfilter.nf_conntrack_helper', '0'], ['net.netfilter.nf_conntrack_log_invalid', '0'], ['net.netfilter.nf_conntrack_max', String(max)],
      ['net.netfilter.nf_conntrack_tcp_be_liberal', '0'], ['net.netfilter.nf_conntrack_tcp_loose', '1'],
      ['net.netfilter.nf_conntrack_tcp_timeout_close_wait', '3600'], ['net.netfilter.nf_conntrack_tcp_timeout_established', '86400'],
      ['net.netfilter.nf_conntrack_tcp_timeout_time_wait', '120'], ['net.netfilter.nf_conntrack_udp_timeout', '30'],
      ['net.netfilter.nf_conntrack_udp_timeout_stream', '120'], ['net.nf_conntrack_max', String(max)],
      ['user.max_user_namespaces', String(Math.floor(node.memKiB / 128))],
      ['vm.dirty_background_ratio', '10'], ['vm.dirty_ratio', '20'], ['vm.max_map_count', '262144'], ['vm.min_free_kbytes', '67584'],
      ['vm.overcommit_memory', '1'], ['vm.panic_on_oom', '0'], ['vm.swappiness', '60'],
    ]);
    for (const iface of ['all', 'default', ...(o.interfaces ?? nodeInterfaces(c, node))]) {
      for (const [leaf, v] of ipv4Conf(c, iface)) values.set(`net.ipv4.conf.${iface}.${leaf}`, v);
      values.set(`net.ipv6.conf.${iface}.disable_ipv6`, '0');
      values.set(`net.ipv6.conf.${iface}.forwarding`, '1');
    }
    for (const [k, v] of Object.entries(o.set ?? {})) values.set(k, v);
    return [...values.keys()].sort().map((k) => `${k} = ${values.get(k)}`);
  };
}

/** Ubuntu 20.04's `/etc/sysctl.d/10-network-security.conf`. */
export const UBUNTU_NETWORK_SECURITY_CONF = `
# Turn on Source Address Verification in all interfaces to
# prevent some spoofing attacks.
net.ipv4.conf.default.rp_filter=2
net.ipv4.conf.all.rp_filter=2
`.replace(/^\n/, '');

// ---------------------------------------------------------------------------------------------
// ethtool

/** Offload features of a VMXNET3 NIC as `ethtool -k` prints them (kernel 5.x). */
export function ethtoolFeatures(iface: string, o: { udpTunnel: 'on' | 'off' | 'off-requested-on' }): string {
  const tnl = o.udpTunnel === 'on' ? 'on' : o.udpTunnel === 'off' ? 'off' : 'off [requested on]';
  return `Features for ${iface}:
rx-checksumming: on
tx-checksumming: on
	tx-checksum-ipv4: off [fixed]
	tx-checksum-ip-generic: on
	tx-checksum-ipv6: off [fixed]
	tx-checksum-fcoe-crc: off [fixed]
	tx-checksum-sctp: off [fixed]
scatter-gather: on
	tx-scatter-gather: on
	tx-scatter-gather-fraglist: off [fixed]
tcp-segmentation-offload: on
	tx-tcp-segmentation: on
	tx-tcp-ecn-segmentation: off [fixed]
	tx-tcp-mangleid-segmentation: off
	tx-tcp6-segmentation: on
generic-segmentation-offload: on
generic-receive-offload: on
large-receive-offload: on
rx-vlan-offload: on
tx-vlan-offload: on
ntuple-filters: off [fixed]
receive-hashing: on
highdma: on
rx-vlan-filter: on [fixed]
vlan-challenged: off [fixed]
tx-lockless: off [fixed]
netns-local: off [fixed]
tx-gso-robust: off [fixed]
tx-fcoe-segmentation: off [fixed]
tx-gre-segmentation: off [fixed]
tx-gre-csum-segmentation: off [fixed]
tx-ipxip4-segmentation: off [fixed]
tx-ipxip6-segmentation: off [fixed]
tx-udp_tnl-segmentation: ${tnl}
tx-udp_tnl-csum-segmentation: ${tnl}
tx-gso-partial: off [fixed]
tx-tunnel-remcsum-segmentation: off [fixed]
tx-sctp-segmentation: off [fixed]
tx-esp-segmentation: off [fixed]
tx-udp-segmentation: off [fixed]
tx-gso-list: off [fixed]
fcoe-mtu: off [fixed]
tx-nocache-copy: off
loopback: off [fixed]
rx-fcs: off [fixed]
rx-all: off [fixed]
tx-vlan-stag-hw-insert: off [fixed]
rx-vlan-stag-hw-parse: off [fixed]
rx-vlan-stag-filter: off [fixed]
l2-fwd-offload: off [fixed]
hw-tc-offload: off [fixed]
esp-hw-offload: off [fixed]
esp-tx-csum-hw-offload: off [fixed]
rx-udp_tunnel-port-offload: off [fixed]
tls-hw-tx-offload: off [fixed]
tls-hw-rx-offload: off [fixed]
rx-gro-hw: off [fixed]
tls-hw-record: off [fixed]
rx-gro-list: off
macsec-hw-offload: off [fixed]
rx-udp-gro-forwarding: off
`;
}

/** `ethtool -i` of a VMXNET3 NIC. */
export function ethtoolDriver(): string {
  return `driver: vmxnet3
version: 1.5.0.0-k-NAPI
firmware-version: 
expansion-rom-version: 
bus-info: 0000:0b:00.0
supports-statistics: yes
supports-test: no
supports-eeprom-access: no
supports-register-dump: yes
supports-priv-flags: no
`;
}

// ---------------------------------------------------------------------------------------------
// A bridge (kubenet cbr0) data plane

export interface BridgeIpOptions {
  /** MTU of the node's primary interface. */
  hostMtu: number;
  /** MTU of cbr0 and the pods' veths. */
  podMtu: number;
  /** cbr0 administratively up (`UP` flag). Default true. */
  bridgeUp?: boolean;
  /** Extra interface blocks appended as printed (a libvirt `virbr0`, an idle `docker0` …). */
  extra?: string[];
}

/** Host side of a pod's veth on a bridge: `veth` + 8 hex, stable per sandbox. */
export function bridgeVeth(sandboxId: string): string {
  return `veth${sandboxId.slice(20, 28)}`;
}

/**
 * `ip addr` of a node whose pods hang off the `cbr0` Linux bridge (kubenet): lo, the primary
 * NIC, cbr0 holding the node's pod CIDR gateway, one veth per pod with `master cbr0`.
 * A bridge with ports is `LOWER_UP`/`state UP` when administratively up; when it is down it shows
 * neither flag and `state DOWN`, while its veths stay up.
 */
export function ipAddrBridge(c: Cluster, node: Node, o: BridgeIpOptions): string {
  const rng = new Rng(`${c.seed}/ip-bridge/${node.name}`);
  const mac = (): string => `${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}`;
  const ll = (): string => `fe80::${rng.hex(4).replace(/^0+/, '') || '1'}:${rng.hex(2)}ff:fe${rng.hex(2)}:${rng.hex(4).replace(/^0+/, '') || '1'}`;
  const out: string[] = [];
  let idx = 1;
  const dev = (head: string, link: string, addrs: string[]): void => {
    out.push(`${idx++}: ${head}`, `    ${link}`, ...addrs);
  };
  dev('lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000', 'link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00', [
    '    inet 127.0.0.1/8 scope host lo', '       valid_lft forever preferred_lft forever',
    '    inet6 ::1/128 scope host ', '       valid_lft forever preferred_lft forever',
  ]);
  dev(`${c.os.iface}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ${o.hostMtu} qdisc mq state UP group default qlen 1000`, `link/ether ${node.mac} brd ff:ff:ff:ff:ff:ff`, [
    `    inet ${node.ip}/24 brd 10.200.0.255 scope global ${c.os.iface}`, '       valid_lft forever preferred_lft forever',
    `    inet6 ${ll()}/64 scope link `, '       valid_lft forever preferred_lft forever',
  ]);
  const up = o.bridgeUp ?? true;
  const gw = node.podCidr.replace(/\.0\/24$/, '.1');
  dev(`cbr0: <BROADCAST,MULTICAST${up ? ',UP,LOWER_UP' : ''}> mtu ${o.podMtu} qdisc htb state ${up ? 'UP' : 'DOWN'} group default qlen 1000`, `link/ether ${mac()} brd ff:ff:ff:ff:ff:ff`, [
    `    inet ${gw}/24 brd ${node.podCidr.replace(/\.0\/24$/, '.255')} scope global cbr0`, '       valid_lft forever preferred_lft forever',
    `    inet6 ${ll()}/64 scope link `, '       valid_lft forever preferred_lft forever',
  ]);
  let netnsid = 0;
  for (const p of podsOn(c, node)) {
    if (p.hostNetwork || p.phase !== 'Running') continue;
    dev(`${bridgeVeth(p.sandboxId)}@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu ${o.podMtu} qdisc noqueue master cbr0 state UP group default`,
      `link/ether ${mac()} brd ff:ff:ff:ff:ff:ff link-netnsid ${netnsid++}`, [
        `    inet6 ${ll()}/64 scope link `, '       valid_lft forever preferred_lft forever',
      ]);
  }
  for (const block of o.extra ?? []) out.push(block.replace(/^(\d+):/, () => `${idx++}:`));
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// conntrack -S

/** `conntrack -S`: one line per CPU; `drops` spreads table-full drops over the CPUs. */
export function conntrackStats(c: Cluster, node: Node, o: { drops?: number; earlyDrops?: number } = {}): string {
  const rng = new Rng(`${c.seed}/conntrack-S/${node.name}`);
  const lines: string[] = [];
  for (let cpu = 0; cpu < node.cpus; cpu++) {
    const drop = o.drops ? Math.floor(o.drops / node.cpus) + rng.int(0, 40) : 0;
    const early = o.earlyDrops ? Math.floor(o.earlyDrops / node.cpus) + rng.int(0, 15) : 0;
    lines.push(`cpu=${cpu}   \tfound=${rng.int(0, 400)} invalid=${rng.int(20, 3000)} ignore=${rng.int(1000, 90000)} insert=0 insert_failed=${rng.int(0, 3)} drop=${drop} early_drop=${early} error=${rng.int(0, 30)} search_restart=${rng.int(0, 900)} `);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// firewalld

export interface FirewalldOptions {
  /** Reloads (`firewall-cmd --reload`) at these instants. */
  reloads?: number[];
  /** Restarts (`systemctl restart firewalld`) at these instants. */
  restarts?: number[];
  extra?: RecSource[];
}

/** `journalctl --utc -u firewalld` of a node: started at boot, then the reloads and restarts asked for. */
export function firewalldJournal(c: Cluster, node: Node, o: FirewalldOptions = {}): LineGenerator {
  return function* () {
    const rng = new Rng(`${c.seed}/firewalld/${node.name}`);
    const pid0 = rng.int(780, 900);
    const recs: Rec[] = [];
    const sys = (t: number, text: string): void => { recs.push({ t, ident: 'systemd', pid: 1, text }); };
    const start = node.boot + rng.int(5_000_000, 8_000_000);
    sys(start, 'Starting firewalld - dynamic firewall daemon...');
    sys(start + rng.int(400_000, 900_000), 'Started firewalld - dynamic firewall daemon.');
    let pid = pid0;
    const dockerWarnings = (t: number, p: number): void => {
      // firewalld flushes its own rules and fails to remove chains another tool owns.
      recs.push({ t: t + 310_000, ident: 'firewalld', pid: p, text: "WARNING: COMMAND_FAILED: '/usr/sbin/iptables -w10 -D FORWARD -i docker0 -o docker0 -j DROP' failed: iptables: Bad rule (does a matching rule exist in that chain?)." });
    };
    for (const t of o.reloads ?? []) {
      sys(t, 'Reloading firewalld - dynamic firewall daemon.');
      sys(t + rng.int(600_000, 1_400_000), 'Reloaded firewalld - dynamic firewall daemon.');
      dockerWarnings(t, pid);
    }
    for (const t of o.restarts ?? []) {
      sys(t, 'Stopping firewalld - dynamic firewall daemon...');
      sys(t + rng.int(300_000, 900_000), 'Stopped firewalld - dynamic firewall daemon.');
      sys(t + rng.int(1_000_000, 1_300_000), 'Starting firewalld - dynamic firewall daemon...');
      pid += rng.int(4000, 90000);
      sys(t + rng.int(1_600_000, 2_400_000), 'Started firewalld - dynamic firewall daemon.');
      dockerWarnings(t + 2_400_000, pid);
    }
    yield `-- Logs begin at ${journalHeaderStamp(node.boot)}, end at ${journalHeaderStamp(c.end)}. --`;
    for (const r of merge([fixed(recs), ...(o.extra ?? [])])) yield journalLine(node.name, r, 'firewalld', pid0);
  };
}

// ---------------------------------------------------------------------------------------------
// Service objects

export interface ServiceObjectOptions {
  /** Extra `spec` fields per `namespace/name` (`externalTrafficPolicy: Local`, `internalTrafficPolicy: Local` …), as YAML lines. */
  specExtra?: Record<string, string[]>;
}

/** `kubectl get svc -A -o yaml` of the model. */
export function servicesYaml(c: Cluster, o: ServiceObjectOptions = {}): string {
  const rng = new Rng(`${c.seed}/svc-yaml`);
  const out = ['apiVersion: v1', 'items:'];
  const sorted = c.services.slice().sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
  for (const s of sorted) out.push(...serviceItem(c, s, rng, o.specExtra?.[`${s.namespace}/${s.name}`] ?? []));
  out.push('kind: List', 'metadata:', '  resourceVersion: ""', '  selfLink: ""');
  return `${out.join('\n')}\n`;
}

function serviceItem(c: Cluster, s: Service, rng: Rng, extra: string[]): string[] {
  const lines = [
    '- apiVersion: v1',
    '  kind: Service',
    '  metadata:',
    `    creationTimestamp: "${isoSeconds(s.created)}"`,
    ...(s.selector ? ['    labels:', `      app: ${s.selector}`] : ['    labels:', '      component: apiserver', '      provider: kubernetes']),
    `    name: ${s.name}`,
    `    namespace: ${s.namespace}`,
    `    resourceVersion: "${rng.int(400, 2_000_000)}"`,
    `    uid: ${rng.uuid()}`,
    '  spec:',
    `    clusterIP: ${s.clusterIP}`,
    '    clusterIPs:',
    `    - ${s.clusterIP}`,
  ];
  const external = s.type === 'NodePort' || s.type === 'LoadBalancer';
  const hasPolicy = extra.some((l) => l.startsWith('externalTrafficPolicy:'));
  if (external && !hasPolicy) lines.push('    externalTrafficPolicy: Cluster');
  for (const l of extra) lines.push(`    ${l}`);
  if (s.externalIP && s.type === 'LoadBalancer') lines.push(`    loadBalancerIP: ${s.externalIP}`);
  lines.push('    ports:');
  for (const p of s.ports) {
    lines.push(`    - ${p.name ? `name: ${p.name}` : `port: ${p.port}`}`);
    if (p.nodePort) lines.push(`      nodePort: ${p.nodePort}`);
    if (p.name) lines.push(`      port: ${p.port}`);
    lines.push(`      protocol: ${p.protocol}`, `      targetPort: ${p.targetPort}`);
  }
  if (s.selector) lines.push('    selector:', `      app: ${s.selector}`);
  lines.push(`    sessionAffinity: ${s.clientIPAffinity ? 'ClientIP' : 'None'}`);
  if (s.clientIPAffinity) lines.push('    sessionAffinityConfig:', '      clientIP:', '        timeoutSeconds: 10800');
  lines.push(`    type: ${s.type}`, '  status:', '    loadBalancer:');
  if (s.type === 'LoadBalancer' && s.externalIP) lines.push('      ingress:', `      - ip: ${s.externalIP}`);
  else lines[lines.length - 1] += ' {}';
  return lines;
}

// ---------------------------------------------------------------------------------------------
// iptables with firewalld

/** Chains firewalld (iptables backend) adds to the filter table, and the rules that feed them. */
const FIREWALLD_FILTER_CHAINS = [
  'FORWARD_IN_ZONES', 'FORWARD_OUT_ZONES', 'FORWARD_direct', 'FWDI_public', 'FWDI_public_allow', 'FWDI_public_deny', 'FWDI_public_log',
  'FWDO_public', 'FWDO_public_allow', 'FWDO_public_deny', 'FWDO_public_log', 'INPUT_ZONES', 'INPUT_direct', 'IN_public', 'IN_public_allow',
  'IN_public_deny', 'IN_public_log', 'OUTPUT_direct',
];
const FIREWALLD_FILTER_RULES = [
  '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT',
  '-A INPUT -i lo -j ACCEPT',
  '-A INPUT -j INPUT_direct',
  '-A INPUT -j INPUT_ZONES',
  '-A INPUT -m conntrack --ctstate INVALID -j DROP',
  '-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j ACCEPT',
  '-A FORWARD -i lo -j ACCEPT',
  '-A FORWARD -j FORWARD_direct',
  '-A FORWARD -j FORWARD_IN_ZONES',
  '-A FORWARD -j FORWARD_OUT_ZONES',
  '-A OUTPUT -o lo -j ACCEPT',
  '-A OUTPUT -j OUTPUT_direct',
  '-A FORWARD_IN_ZONES -g FWDI_public',
  '-A FORWARD_OUT_ZONES -g FWDO_public',
  '-A FWDI_public -j FWDI_public_log',
  '-A FWDI_public -j FWDI_public_deny',
  '-A FWDI_public -j FWDI_public_allow',
  '-A FWDO_public -j FWDO_public_log',
  '-A FWDO_public -j FWDO_public_deny',
  '-A FWDO_public -j FWDO_public_allow',
  '-A INPUT_ZONES -g IN_public',
  '-A IN_public -j IN_public_log',
  '-A IN_public -j IN_public_deny',
  '-A IN_public -j IN_public_allow',
  '-A IN_public -p icmp -j ACCEPT',
  '-A IN_public_allow -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT',
  '-A IN_public_allow -p tcp -m tcp --dport 6444 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT',
  '-A IN_public_allow -p tcp -m tcp --dport 10250 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT',
  '-A IN_public_allow -p tcp -m tcp --dport 30000:32767 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT',
  '-A IN_public_allow -p udp -m udp --dport 6081 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT',
];

/**
 * An `iptables-save` as it looks on a node running firewalld: its zone chains in the filter table.
 * `withoutCilium` removes anetd's CILIUM_ chains and the `cilium-feeder` jumps to them, as a
 * firewalld reload or restart leaves the tables (kube-proxy puts its own chains back on its next
 * sync; anetd only installs its chains when it starts).
 */
export function iptablesWithFirewalld(save: string, o: { withoutCilium?: boolean } = {}): string {
  const out: string[] = [];
  let table = '';
  for (const line of save.replace(/\n$/, '').split('\n')) {
    if (o.withoutCilium && /CILIUM_|cilium-feeder/.test(line)) continue;
    if (line.startsWith('*')) table = line.slice(1);
    if (table === 'filter' && line === 'COMMIT') out.push(...FIREWALLD_FILTER_RULES);
    out.push(line);
    if (table === 'filter' && /^:OUTPUT ACCEPT/.test(line)) {
      for (const ch of FIREWALLD_FILTER_CHAINS) out.push(`:${ch} - [0:0]`);
    }
  }
  return `${out.join('\n')}\n`;
}
