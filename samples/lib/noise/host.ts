/**
 * Small node outputs: `uname -a`, `/etc/os-release`, `runc --version`, `containerd --version`,
 * `conntrack --count`, `/proc/sys/net/netfilter/nf_conntrack_max`, `mount` and `ip addr`.
 *
 * Sample output (`uname -a`):
 *   Linux prod-edge-1-worker-1 5.8.0-63-generic #71~20.04.1-Ubuntu SMP Thu Jul 15 17:46:08 UTC 2021 x86_64 x86_64 x86_64 GNU/Linux
 */
import { type Cluster, type Node, podsOn } from '../cluster.js';
import { Rng } from '../rng.js';
import { containerdRevision } from './containerd.js';
import { vethName } from './kernel.js';
import { tokenVolume } from './lifecycle.js';

export function uname(c: Cluster, node: Node): string {
  return `Linux ${node.name} ${c.os.kernel} ${c.os.kernelBuild} x86_64 x86_64 x86_64 GNU/Linux\n`;
}

export function osRelease(c: Cluster): string {
  if (c.os.id === 'ubuntu-20.04') {
    return [
      'NAME="Ubuntu"',
      'VERSION="20.04.2 LTS (Focal Fossa)"',
      'ID=ubuntu',
      'ID_LIKE=debian',
      'PRETTY_NAME="Ubuntu 20.04.2 LTS"',
      'VERSION_ID="20.04"',
      'HOME_URL="https://www.ubuntu.com/"',
      'SUPPORT_URL="https://help.ubuntu.com/"',
      'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"',
      'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"',
      'VERSION_CODENAME=focal',
      'UBUNTU_CODENAME=focal',
      '',
    ].join('\n');
  }
  return [
    'NAME="Red Hat Enterprise Linux"',
    'VERSION="8.4 (Ootpa)"',
    'ID="rhel"',
    'ID_LIKE="fedora"',
    'VERSION_ID="8.4"',
    'PLATFORM_ID="platform:el8"',
    'PRETTY_NAME="Red Hat Enterprise Linux 8.4 (Ootpa)"',
    'ANSI_COLOR="0;31"',
    'CPE_NAME="cpe:/o:redhat:enterprise_linux:8.4:GA"',
    'HOME_URL="https://www.redhat.com/"',
    'DOCUMENTATION_URL="https://access.redhat.com/documentation/red_hat_enterprise_linux/8/"',
    'BUG_REPORT_URL="https://bugzilla.redhat.com/"',
    '',
    'REDHAT_BUGZILLA_PRODUCT="Red Hat Enterprise Linux 8"',
    'REDHAT_BUGZILLA_PRODUCT_VERSION=8.4',
    'REDHAT_SUPPORT_PRODUCT="Red Hat Enterprise Linux"',
    'REDHAT_SUPPORT_PRODUCT_VERSION="8.4"',
    '',
  ].join('\n');
}

const RUNC_COMMITS: Record<string, string> = {
  '1.0.0-rc92': 'ff819c7e9184c13b7c2607fe6c30ae19403a7aff',
  '1.0.0-rc93': '12644e614e25b05da6fd08a38ffa0cfe1903fdec',
  '1.0.0': 'v1.0.0-0-g84113eef',
  '1.0.1': 'v1.0.1-0-g4144b638',
};

export function runcVersion(c: Cluster): string {
  const v = c.runcVersion;
  const commit = RUNC_COMMITS[v] ?? `v${v}-0-g${new Rng(`runc/${v}`).hex(8)}`;
  // Release candidates before rc93 printed three lines; later builds add the Go and libseccomp versions.
  if (/^1\.0\.0-rc(9[0-2]|[0-8]\d)$/.test(v)) return `runc version ${v}\ncommit: ${commit}\nspec: 1.0.2-dev\n`;
  return `runc version ${v}\ncommit: ${commit}\nspec: 1.0.2-dev\ngo: go1.13.15\nlibseccomp: 2.5.1\n`;
}

export function containerdVersion(c: Cluster): string {
  return `containerd containerd.io ${c.containerdVersion} ${containerdRevision(c.containerdVersion)}\n`;
}

/** nf_conntrack_max as kube-proxy sets it: 32768 per CPU, at least 131072. */
export function conntrackMax(node: Node): number {
  return Math.max(131072, 32768 * node.cpus);
}

export function conntrackCount(c: Cluster, node: Node): string {
  const rng = new Rng(`${c.seed}/conntrack/${node.name}`);
  return `${rng.int(900, node.role === 'worker' ? 9000 : 4000)}\n`;
}

export function conntrackMaxFile(node: Node): string {
  return `${conntrackMax(node)}\n`;
}

export function mount(c: Cluster, node: Node): string {
  const ubuntu = c.os.id === 'ubuntu-20.04';
  const root = ubuntu ? '/dev/mapper/ubuntu--vg-ubuntu--lv on / type ext4 (rw,relatime)' : '/dev/mapper/rhel-root on / type xfs (rw,relatime,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota)';
  const sl = ubuntu ? '' : 'seclabel,';
  const lines = [
    `sysfs on /sys type sysfs (rw,nosuid,nodev,noexec,relatime${ubuntu ? '' : ',seclabel'})`,
    'proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)',
    `udev on /dev type devtmpfs (rw,nosuid,${sl}noexec,relatime,size=${Math.floor(node.memKiB / 2)}k,nr_inodes=${Math.floor(node.memKiB / 8)},mode=755)`,
    `devpts on /dev/pts type devpts (rw,nosuid,noexec,relatime,${sl}gid=5,mode=620,ptmxmode=000)`,
    `tmpfs on /run type tmpfs (rw,nosuid,nodev,${sl}noexec,relatime,size=${Math.floor(node.memKiB / 10)}k,mode=755)`,
    root,
    'securityfs on /sys/kernel/security type securityfs (rw,nosuid,nodev,noexec,relatime)',
    `tmpfs on /dev/shm type tmpfs (rw,nosuid,nodev${ubuntu ? '' : ',seclabel'})`,
    `tmpfs on /run/lock type tmpfs (rw,nosuid,nodev,noexec,relatime,size=5120k)`,
    `tmpfs on /sys/fs/cgroup type tmpfs (ro,nosuid,nodev,noexec,${sl}mode=755)`,
    ...(ubuntu ? ['cgroup2 on /sys/fs/cgroup/unified type cgroup2 (rw,nosuid,nodev,noexec,relatime,nsdelegate)'] : []),
    `cgroup on /sys/fs/cgroup/systemd type cgroup (rw,nosuid,nodev,noexec,relatime,${sl}xattr,name=systemd)`,
    'pstore on /sys/fs/pstore type pstore (rw,nosuid,nodev,noexec,relatime)',
    'bpf on /sys/fs/bpf type bpf (rw,nosuid,nodev,noexec,relatime,mode=700)',
    ...['net_cls,net_prio', 'cpu,cpuacct', 'memory', 'devices', 'freezer', 'pids', 'blkio', 'hugetlb', 'perf_event', 'cpuset', 'rdma'].map(
      (ctl) => `cgroup on /sys/fs/cgroup/${ctl} type cgroup (rw,nosuid,nodev,noexec,relatime,${sl}${ctl})`,
    ),
    'systemd-1 on /proc/sys/fs/binfmt_misc type autofs (rw,relatime,fd=28,pgrp=1,timeout=0,minproto=5,maxproto=5,direct,pipe_ino=15377)',
    `hugetlbfs on /dev/hugepages type hugetlbfs (rw,relatime,${sl}pagesize=2M)`,
    `mqueue on /dev/mqueue type mqueue (rw,nosuid,nodev,noexec,relatime${ubuntu ? '' : ',seclabel'})`,
    'debugfs on /sys/kernel/debug type debugfs (rw,nosuid,nodev,noexec,relatime)',
    'tracefs on /sys/kernel/tracing type tracefs (rw,nosuid,nodev,noexec,relatime)',
    'configfs on /sys/kernel/config type configfs (rw,nosuid,nodev,noexec,relatime)',
    'fusectl on /sys/fs/fuse/connections type fusectl (rw,nosuid,nodev,noexec,relatime)',
    ubuntu ? '/dev/sda2 on /boot type ext4 (rw,relatime)' : '/dev/sda1 on /boot type xfs (rw,relatime,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota)',
    ubuntu ? '/dev/loop0 on /snap/core18/2074 type squashfs (ro,nodev,relatime,x-gdu.hide)' : '',
    ubuntu ? '/dev/loop1 on /snap/lxd/21029 type squashfs (ro,nodev,relatime,x-gdu.hide)' : '',
    `/dev/sdb on /mnt/localpv-disk type ${ubuntu ? 'ext4 (rw,relatime)' : 'xfs (rw,relatime,seclabel,attr2,inode64,logbufs=8,logbsize=32k,noquota)'}`,
    `tmpfs on /run/user/0 type tmpfs (rw,nosuid,nodev,relatime,${sl}size=${Math.floor(node.memKiB / 10)}k,mode=700)`,
  ].filter(Boolean);
  for (const p of podsOn(c, node)) {
    if (p.phase !== 'Running') continue;
    if (p.workload.kind !== 'Static') {
      lines.push(`tmpfs on /var/lib/kubelet/pods/${p.uid}/volumes/kubernetes.io~secret/${tokenVolume(p)} type tmpfs (rw,relatime${ubuntu ? '' : ',seclabel'})`);
    }
    lines.push(`shm on /run/containerd/io.containerd.grpc.v1.cri/sandboxes/${p.sandboxId}/shm type tmpfs (rw,nosuid,nodev,noexec,relatime,${sl}size=65536k)`);
    lines.push(`overlay on /run/containerd/io.containerd.runtime.v2.task/k8s.io/${p.sandboxId}/rootfs type overlay (rw,relatime,${sl}lowerdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${p.netns % 997 + 3}/fs,upperdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${p.netns % 997 + 480}/fs,workdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${p.netns % 997 + 480}/work)`);
    for (const ct of p.containers) {
      const n = parseInt(ct.id.slice(0, 3), 16);
      lines.push(`overlay on /run/containerd/io.containerd.runtime.v2.task/k8s.io/${ct.id}/rootfs type overlay (rw,relatime,${sl}lowerdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${n + 11}/fs:/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${n + 10}/fs:/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${n + 9}/fs,upperdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${n + 4100}/fs,workdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/${n + 4100}/work)`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function ipAddr(c: Cluster, node: Node): string {
  const rng = new Rng(`${c.seed}/ip/${node.name}`);
  const mac = (): string => `${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}:${rng.hex(2)}`;
  const ll = (): string => `fe80::${rng.hex(4).replace(/^0+/, '') || '1'}:${rng.hex(2)}ff:fe${rng.hex(2)}:${rng.hex(4).replace(/^0+/, '') || '1'}`;
  const out: string[] = [];
  let idx = 1;
  const dev = (name: string, flags: string, mtu: number, qdisc: string, state: string, link: string, addrs: string[], qlen = false): void => {
    out.push(`${idx++}: ${name}: <${flags}> mtu ${mtu} qdisc ${qdisc} state ${state} group default${qlen ? ' qlen 1000' : ''}`);
    out.push(`    ${link}`);
    for (const a of addrs) out.push(a);
  };
  dev('lo', 'LOOPBACK,UP,LOWER_UP', 65536, 'noqueue', 'UNKNOWN', 'link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00', [
    '    inet 127.0.0.1/8 scope host lo', '       valid_lft forever preferred_lft forever',
    '    inet6 ::1/128 scope host ', '       valid_lft forever preferred_lft forever',
  ], true);
  const vips = node.role === 'control-plane' && node.index === 0 ? [`    inet ${c.controlPlaneVIP}/32 scope global ${c.os.iface}`, '       valid_lft forever preferred_lft forever'] : [];
  dev(c.os.iface, 'BROADCAST,MULTICAST,UP,LOWER_UP', 1500, 'mq', 'UP', `link/ether ${node.mac} brd ff:ff:ff:ff:ff:ff`, [
    `    inet ${node.ip}/24 brd 10.200.0.255 scope global ${c.os.iface}`, '       valid_lft forever preferred_lft forever',
    ...vips,
    `    inet6 ${ll()}/64 scope link `, '       valid_lft forever preferred_lft forever',
  ], true);
  if (c.kubeProxy.mode === 'ipvs') {
    const addrs: string[] = [];
    for (const s of c.services) {
      addrs.push(`    inet ${s.clusterIP}/32 scope global kube-ipvs0`, '       valid_lft forever preferred_lft forever');
      if (s.externalIP) addrs.push(`    inet ${s.externalIP}/32 scope global kube-ipvs0`, '       valid_lft forever preferred_lft forever');
    }
    dev('kube-ipvs0', 'BROADCAST,NOARP', 1500, 'noop', 'DOWN', `link/ether ${mac()} brd ff:ff:ff:ff:ff:ff`, addrs);
  }
  const hostIp = `192.168.${node.index}.1`;
  dev('cilium_net@cilium_host', 'BROADCAST,MULTICAST,NOARP,UP,LOWER_UP', 1450, 'noqueue', 'UP', `link/ether ${mac()} brd ff:ff:ff:ff:ff:ff`, [
    `    inet6 ${ll()}/64 scope link `, '       valid_lft forever preferred_lft forever',
  ]);
  dev('cilium_host@cilium_net', 'BROADCAST,MULTICAST,NOARP,UP,LOWER_UP', 1450, 'noqueue', 'UP', `link/ether ${mac()} brd ff:ff:ff:ff:ff:ff`, [
    `    inet ${hostIp}/32 scope link cilium_host`, '       valid_lft forever preferred_lft forever',
    `    inet6 ${ll()}/64 scope link `, '       valid_lft forever preferred_lft forever',
  ]);
  dev('cilium_geneve', 'BROADCAST,MULTICAST,UP,LOWER_UP', 1500, 'noqueue', 'UNKNOWN', `link/ether ${mac()} brd ff:ff:ff:ff:ff:ff`, [
    `    inet6 ${ll()}/64 scope link `, '       valid_lft forever preferred_lft forever',
  ]);
  for (const p of podsOn(c, node)) {
    if (p.hostNetwork || p.phase !== 'Running') continue;
    const peer = rng.int(2, 40);
    dev(`${vethName(p.sandboxId)}@if${peer}`, 'BROADCAST,MULTICAST,UP,LOWER_UP', 1450, 'noqueue', 'UP', `link/ether ${mac()} brd ff:ff:ff:ff:ff:ff link-netnsid ${idx % 17}`, [
      `    inet6 ${ll()}/64 scope link `, '       valid_lft forever preferred_lft forever',
    ]);
  }
  return `${out.join('\n')}\n`;
}
