/**
 * selinux-upgrade-containerd-171: a 1.7.1 cluster that uses the containerd runtime on RHEL or
 * CentOS with SELinux enforcing cannot be upgraded (seed 002, SELinux upgrade failure).
 *
 * Positive: cluster mill-east-1 (RHEL 8.4, Anthos clusters on bare metal 1.7.1,
 * `containerRuntime: containerd`), snapshotted before a planned upgrade to 1.8. Every node's
 * `getenforce` says `Enforcing`, and one control-plane node also carries the `sestatus` output
 * (SELinux enabled, current mode enforcing, policy targeted).
 *
 * Negative: the same cluster whose nodes run SELinux in permissive mode: `getenforce` says
 * `Permissive`, and `sestatus` shows `Current mode: permissive` while `Mode from config file:
 * enforcing` — the word "enforcing" is there, the enforcement is not.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { commandFile, snapshot } from '../lib/snapshot.js';
import { type ExtraFile, withFiles } from '../lib/noise/lifecycle-bundle.js';

const STYLE = 'spaces' as const;

function cluster(): Cluster {
  return buildCluster({
    seed: 'mill-east-1',
    name: 'mill-east-1',
    controlPlanes: 3,
    workers: 2,
    os: 'rhel-8.4',
    anthosVersion: '1.7.1',
    kubernetesVersion: 'v1.19.7-gke.1200',
    kubeProxy: { version: 'v1.19.7-gke.1200', mode: 'iptables' },
    runcVersion: '1.0.0-rc92',
    containerdVersion: '1.4.3',
    start: '2024-09-02T13:00:00Z',
    hours: 3,
  });
}

function sestatus(current: 'enforcing' | 'permissive'): string {
  return [
    'SELinux status:                 enabled',
    'SELinuxfs mount:                /sys/fs/selinux',
    'SELinux root directory:         /etc/selinux',
    'Loaded policy name:             targeted',
    `Current mode:                   ${current}`,
    'Mode from config file:          enforcing',
    'Policy MLS status:              enabled',
    'Policy deny_unknown status:     allowed',
    'Memory protection checking:     actual (secure)',
    'Max kernel policy version:      33',
    '',
  ].join('\n');
}

function build(mode: 'enforcing' | 'permissive'): BundleSpec {
  const c = cluster();
  const extra: ExtraFile[] = [];
  for (const n of c.nodes) {
    extra.push({ path: `nodes/${n.ip}/${commandFile('getenforce', STYLE)}`, content: mode === 'enforcing' ? 'Enforcing\n' : 'Permissive\n' });
  }
  extra.push({ path: `nodes/${c.nodes[0].ip}/${commandFile('sestatus', STYLE)}`, content: sestatus(mode) });
  return withFiles(snapshot(c, { style: STYLE }), c, extra);
}

export const scenario: Scenario = { id: 'selinux-upgrade-containerd-171', positive: () => build('enforcing'), negative: () => build('permissive') };
export default scenario;
