/**
 * Kernel messages of one node since it booted, rendered two ways: `dmesg` (`[seconds.micros]`
 * since boot) and `journalctl --utc --boot --dmesg` (journal short format, ident `kernel`).
 * Boot banner, drivers, netfilter and IPVS modules loading when kube-proxy starts, one veth per
 * pod, and a few messages that look alarming but are routine (SYN cookies, perf sample rate).
 *
 * Sample output:
 *   [    0.000000] Linux version 5.8.0-63-generic (buildd@lcy01-amd64-028) (gcc (Ubuntu 9.3.0-17ubuntu1~20.04) 9.3.0, …
 *   [   74.512203] IPv6: ADDRCONF(NETDEV_CHANGE): lxc3f1a2b4c5d6e: link becomes ready
 *   Mar 05 03:57:15 prod-edge-1-worker-1 kernel: IPVS: ipvs loaded.
 */
import type { Cluster, Node } from '../cluster.js';
import type { LineGenerator } from '../bundle.js';
import { Rng } from '../rng.js';
import { MIN, SEC, journalHeaderStamp } from '../time.js';
import { type Rec, type RecSource, fixed, journalLine, merge, scattered } from '../timeline.js';
import { podLives } from './lifecycle.js';

export interface KernelLogOptions {
  extra?: RecSource[];
}

/** `dmesg` of the node. */
export function dmesg(c: Cluster, node: Node, o: KernelLogOptions = {}): LineGenerator {
  return function* () {
    for (const r of merge([fixed(kernelRecords(c, node)), ...(o.extra ?? [])])) {
      const since = r.t - node.boot;
      const s = Math.floor(since / SEC);
      yield `[${String(s).padStart(5)}.${String(since % SEC).padStart(6, '0')}] ${r.text}`;
    }
  };
}

/** `journalctl --utc --boot --dmesg` of the node. */
export function kernelJournal(c: Cluster, node: Node, o: KernelLogOptions = {}): LineGenerator {
  return function* () {
    yield `-- Logs begin at ${journalHeaderStamp(node.boot)}, end at ${journalHeaderStamp(c.end)}. --`;
    for (const r of merge([fixed(kernelRecords(c, node)), ...(o.extra ?? [])])) yield journalLine(node.name, r, 'kernel');
  };
}

function kernelRecords(c: Cluster, node: Node): Rec[] {
  const rng = new Rng(`${c.seed}/kernel/${node.name}`);
  const out: Rec[] = [];
  const at = (seconds: number, text: string): void => { out.push({ t: node.boot + Math.round(seconds * SEC), text }); };
  const ubuntu = c.os.id === 'ubuntu-20.04';
  const memK = node.memKiB;
  if (ubuntu) {
    at(0, `Linux version ${c.os.kernel} (buildd@lcy01-amd64-028) (gcc (Ubuntu 9.3.0-17ubuntu1~20.04) 9.3.0, GNU ld (GNU Binutils for Ubuntu) 2.34) ${c.os.kernelBuild} (Ubuntu 5.8.0-63.71~20.04.1-generic 5.8.18)`);
    at(0, `Command line: BOOT_IMAGE=/vmlinuz-${c.os.kernel} root=/dev/mapper/ubuntu--vg-ubuntu--lv ro`);
  } else {
    at(0, `Linux version ${c.os.kernel} (mockbuild@x86-vm-07.build.eng.bos.redhat.com) (gcc version 8.4.1 20200928 (Red Hat 8.4.1-1) (GCC)) ${c.os.kernelBuild}`);
    at(0, `Command line: BOOT_IMAGE=(hd0,msdos1)/vmlinuz-${c.os.kernel} root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet`);
  }
  at(0, 'KERNEL supported cpus:');
  at(0, '  Intel GenuineIntel');
  at(0, '  AMD AuthenticAMD');
  at(0, "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'");
  at(0, "x86/fpu: Supporting XSAVE feature 0x002: 'SSE registers'");
  at(0, "x86/fpu: Supporting XSAVE feature 0x004: 'AVX registers'");
  at(0, 'BIOS-provided physical RAM map:');
  at(0, 'BIOS-e820: [mem 0x0000000000000000-0x000000000009ebff] usable');
  at(0, 'DMI: VMware, Inc. VMware Virtual Platform/440BX Desktop Reference Platform, BIOS 6.00 12/12/2018');
  at(0, 'Hypervisor detected: VMware');
  at(0, 'vmware: TSC freq read from hypervisor : 2394.374 MHz');
  at(0.000004, 'tsc: Detected 2394.374 MHz processor');
  at(0.004131, `smpboot: Allowing ${node.cpus} CPUs, 0 hotplug CPUs`);
  at(0.087652, `Memory: ${memK - 563912}K/${memK + 380304}K available (14339K kernel code, 2414K rwdata, 5092K rodata, 2660K init, 5396K bss, 944716K reserved, 0K cma-reserved)`);
  at(0.121544, 'smp: Bringing up secondary CPUs ...');
  at(0.124821, `smp: Brought up 1 node, ${node.cpus} CPUs`);
  at(0.301337, 'NET: Registered protocol family 16');
  at(0.812212, `vmxnet3 0000:0b:00.0: # of Tx queues : ${node.cpus}, # of Rx queues : ${node.cpus}`);
  at(0.818552, 'vmxnet3 0000:0b:00.0 eth0: NIC Link is Up 10000 Mbps');
  at(0.831146, `vmxnet3 0000:0b:00.0 ${c.os.iface}: renamed from eth0`);
  at(1.201415, 'sd 2:0:0:0: [sda] 209715200 512-byte logical blocks: (107 GB/100 GiB)');
  at(1.201602, 'sd 2:0:0:0: [sda] Write Protect is off');
  at(1.203994, ' sda: sda1 sda2 sda3');
  if (ubuntu) {
    at(2.716119, 'EXT4-fs (dm-0): mounted filesystem with ordered data mode. Opts: (null)');
    at(3.109512, 'systemd[1]: systemd 245.4-4ubuntu3.11 running in system mode. (+PAM +AUDIT +SELINUX +IMA +APPARMOR +SMACK +SYSVINIT +UTMP +LIBCRYPTSETUP +GCRYPT +GNUTLS +ACL +XZ +LZ4 +SECCOMP +BLKID +ELFUTILS +KMOD +IDN2 -IDN +PCRE2 default-hierarchy=hybrid)');
    at(3.141207, `systemd[1]: Set hostname to <${node.name}>.`);
    at(3.993511, 'EXT4-fs (dm-0): re-mounted. Opts: (null)');
    at(4.871553, `audit: type=1400 audit(${Math.floor((node.boot + 4.87 * SEC) / SEC)}.712:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="lsb_release" pid=612 comm="apparmor_parser"`);
    at(6.201341, `bpfilter: Loaded bpfilter_umh pid ${rng.int(790, 830)}`);
    at(6.201904, 'Started bpfilter');
  } else {
    at(2.716119, 'SGI XFS with ACLs, security attributes, quota, no debug enabled');
    at(2.731842, 'XFS (dm-0): Mounting V5 Filesystem');
    at(2.802219, 'XFS (dm-0): Ending clean mount');
    at(3.109512, 'systemd[1]: systemd 239 (239-45.el8) running in system mode. (+PAM +AUDIT +SELINUX +IMA -APPARMOR +SMACK +SYSVINIT +UTMP +LIBCRYPTSETUP +GCRYPT +GNUTLS +ACL +XZ +LZ4 +SECCOMP +BLKID +ELFUTILS +KMOD +IDN2 -IDN +PCRE2 default-hierarchy=legacy)');
    at(3.141207, `systemd[1]: Set hostname to <${node.name}>.`);
    at(4.112044, 'SELinux:  policy capability network_peer_controls=1');
    at(4.901210, 'XFS (sda1): Mounting V5 Filesystem');
  }
  const up = (text: string, seconds: number): void => at(seconds, text);
  const containerd = (node.containerdStart - node.boot) / SEC;
  up('bridge: filtering via arp/ip/ip6tables is no longer available by default. Update your scripts to load br_netfilter if you need this.', containerd + 0.8);
  up('Bridge firewalling registered', containerd + 0.81);
  const proxy = (node.kubeletStart - node.boot) / SEC + 30;
  if (c.kubeProxy.mode === 'ipvs') {
    up('IPVS: Registered protocols (TCP, UDP, SCTP, AH, ESP)', proxy);
    up('IPVS: Connection hash table configured (size=4096, memory=64Kbytes)', proxy + 0.0001);
    up('IPVS: ipvs loaded.', proxy + 0.0009);
    up('IPVS: [rr] scheduler registered.', proxy + 0.02);
    up('IPVS: [wrr] scheduler registered.', proxy + 0.021);
    up('IPVS: [sh] scheduler registered.', proxy + 0.022);
  }
  up('Netfilter messages via NETLINK v0.30.', proxy + 0.3);
  up('ctnetlink v0.93: registering with nfnetlink.', proxy + 0.31);
  const agent = proxy + 4;
  up('NET: Registered protocol family 38', agent);
  up('IPv6: ADDRCONF(NETDEV_CHANGE): cilium_net: link becomes ready', agent + 2.1);
  up('IPv6: ADDRCONF(NETDEV_CHANGE): cilium_host: link becomes ready', agent + 2.11);
  up('IPv6: ADDRCONF(NETDEV_CHANGE): cilium_geneve: link becomes ready', agent + 2.4);

  // One veth per pod that is not on the host network.
  for (const life of podLives(c, node)) {
    if (life.pod.hostNetwork) continue;
    const t = life.start + rng.int(200_000, 700_000);
    out.push({ t, text: `eth0: renamed from tmp${life.pod.sandboxId.slice(0, 5)}` });
    out.push({ t: t + 35, text: `IPv6: ADDRCONF(NETDEV_CHANGE): ${vethName(life.pod.sandboxId)}: link becomes ready` });
  }
  const noisy = [
    () => 'perf: interrupt took too long (2503 > 2500), lowering kernel.perf_event_max_sample_rate to 79750',
    () => `hrtimer: interrupt took ${rng.int(1_200_000, 6_000_000)} ns`,
    () => 'perf: interrupt took too long (3150 > 3128), lowering kernel.perf_event_max_sample_rate to 63250',
  ];
  let i = 0;
  for (const r of scattered(rng, node.boot + 20 * MIN, c.end, 50 * MIN, 140 * MIN, (t) => ({ t, text: noisy[i++ % noisy.length]() }))) out.push(r);
  if (node.role === 'control-plane') {
    out.push({ t: node.kubeletStart + rng.int(40 * SEC, 90 * SEC), text: 'TCP: request_sock_TCP: Possible SYN flooding on port 6444. Sending cookies.  Check SNMP counters.' });
  }
  return out;
}

/** The host side of a pod's veth, as Cilium names it (`lxc` + 12 hex). */
export function vethName(sandboxId: string): string {
  return `lxc${sandboxId.slice(7, 19)}`;
}
