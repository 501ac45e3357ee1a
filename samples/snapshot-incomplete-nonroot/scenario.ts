/**
 * snapshot-incomplete-nonroot: the snapshot itself is incomplete because its node commands ran
 * as a non-root user (Anthos clusters on bare metal ≤ 1.8.1 cannot take a full snapshot unless
 * logged in as root; crictl is not found through sudo's PATH) — seed 002, snapshots.
 *
 * Positive: cluster canal-ops-5 (1.8.1, Ubuntu 20.04, containerd) snapshotted by the login user
 * `abm-ops`. On every node the journals hold only journalctl's `Hint: You are currently not seeing
 * messages from other users and the system.` and `-- No entries --`; `dmesg` says `read kernel
 * buffer failed: Operation not permitted`; `iptables-save`, `ipvsadm -Ln` and `conntrack --count`
 * refuse without root; `crictl ps -a` cannot reach the containerd socket on two nodes and is not
 * found at all on the others; `runc --version` is not found (/usr/local/sbin is not on the user's
 * PATH). `ps`, `mount`, `ip addr`, `uname` and the copied files are fine.
 *
 * Negative: the same cluster snapshotted as root, with the extra commands a snapshot config
 * commonly adds: `docker ps -a || true` answers `bash: docker: command not found` and
 * `journalctl --utc -u docker` answers `-- No entries --` on these containerd nodes, and
 * `ipvsadm -Ln` is not installed (`bash: line 1: ipvsadm: command not found`) because kube-proxy
 * runs in iptables mode — command errors that are expected, not a sign of a partial snapshot.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { commandFile, snapshot } from '../lib/snapshot.js';
import { type ExtraFile, withFiles } from '../lib/noise/lifecycle-bundle.js';

const STYLE = 'underscores' as const;

function cluster(): Cluster {
  return buildCluster({
    seed: 'canal-ops-5',
    name: 'canal-ops-5',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.1',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0-rc93',
    containerdVersion: '1.4.6',
    start: '2024-08-19T09:00:00Z',
    hours: 3,
  });
}

const HINT = [
  'Hint: You are currently not seeing messages from other users and the system.',
  "      Users in groups 'adm', 'systemd-journal' can see all messages.",
  '      Pass -q to turn off this notice.',
  '-- No entries --',
  '',
].join('\n');

function positive(): BundleSpec {
  const c = cluster();
  return snapshot(c, {
    style: STYLE,
    node: (n, files) => {
      files.kubeletJournal = HINT;
      files.containerdJournal = HINT;
      files.kernelJournal = HINT;
      files.dmesg = 'dmesg: read kernel buffer failed: Operation not permitted\n';
      files.iptablesSave = `iptables-save ${c.os.iptablesVersion} (legacy): Cannot initialize: Permission denied (you must be root)\n`;
      files.ipvsadm = "Can't initialize ipvs: Permission denied (you must be root?)\n";
      files.conntrackCount = 'conntrack v1.4.5 (conntrack-tools): Operation failed: Operation not permitted\n';
      files.runcVersion = 'bash: line 1: runc: command not found\n';
      files.crictl = n.index % 2 === 0
        ? `FATA[0000] listing containers: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial unix /run/containerd/containerd.sock: connect: permission denied"\n`
        : `sudo: crictl: command not found\n`;
    },
  });
}

function negative(): BundleSpec {
  const c = cluster();
  const extra: ExtraFile[] = [];
  for (const n of c.nodes) {
    extra.push({ path: `nodes/${n.ip}/${commandFile('docker ps -a || true', STYLE)}`, content: 'bash: docker: command not found\n' });
    extra.push({ path: `nodes/${n.ip}/${commandFile('journalctl --utc -u docker', STYLE)}`, content: '-- No entries --\n' });
    extra.push({ path: `nodes/${n.ip}/${commandFile('ipvsadm -Ln', STYLE)}`, content: 'bash: line 1: ipvsadm: command not found\n' });
  }
  return withFiles(snapshot(c, { style: STYLE }), c, extra);
}

export const scenario: Scenario = { id: 'snapshot-incomplete-nonroot', positive, negative };
export default scenario;
