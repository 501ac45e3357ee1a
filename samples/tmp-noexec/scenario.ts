/**
 * tmp-noexec: the preflight checks of `bmctl upgrade cluster` fail with `/bin/sh:
 * /tmp/disks_check.sh: Permission denied` because /tmp is mounted noexec on a node (seed 002).
 *
 * Positive: cluster plant-ops-3 (Ubuntu 20.04, Anthos clusters on bare metal 1.8.2). A hardening
 * job remounted /tmp as a tmpfs with noexec on one worker. Forty minutes before the snapshot
 * `bmctl upgrade cluster` (to 1.9.0) ran its machine checks; on that worker the disk check script
 * copied to /tmp could not be executed, the machine failed the checks and the upgrade stopped.
 * The snapshot has the upgrade's log folder (operation log and one Ansible log per machine) and
 * the node's `mount` with `/tmp … noexec`.
 *
 * Negative: the same cluster after the fix. The log folder of the failed attempt is still in
 * bmctl-workspace (with the same Permission denied line), but /tmp was remounted without noexec
 * (only /var/tmp and /dev/shm keep noexec, as hardened images do) and a second upgrade attempt
 * passed its checks.
 */
import { type Cluster, type ClusterOptions, type Node, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { MIN } from '../lib/time.js';
import { addFiles, mapLines } from '../lib/noise/dpv2node-bundle.js';
import { preflightFiles, tmpScriptDenied } from '../lib/noise/dpv2node-preflight.js';
import { mount } from '../lib/noise/host.js';
import { snapshot } from '../lib/snapshot.js';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'plant-ops-3',
    name: 'plant-ops-3',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-04-16T05:00:00Z',
    hours: 5,
  };
  return buildCluster(options);
}

/** The hardened worker: the first one. */
function hardened(c: Cluster): Node {
  return c.nodes.filter((n) => n.role === 'worker')[0];
}

/** The node's mounts with extra rows after `/dev/shm`, as a hardening job leaves them. */
function mountWith(c: Cluster, node: Node, rows: string[]): string {
  const out = mapLines(mount(c, node), (line) => (line.startsWith('tmpfs on /dev/shm ') ? [line.replace('(rw,nosuid,nodev)', '(rw,nosuid,nodev,noexec)'), ...rows].join('\n') : line));
  const lines = typeof out === 'function' ? [...out()] : [];
  return `${lines.join('\n')}\n`;
}

const UPGRADE = (c: Cluster): string => `bmctl upgrade cluster -c ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`;

function before(c: Cluster): string[] {
  return [`Upgrading cluster ${c.name} from 1.8.2 to 1.9.0...`, 'Checking cluster version... OK', 'Running preflight checks for the upgrade...'];
}

function positive(): BundleSpec {
  const c = cluster();
  const node = hardened(c);
  const run = preflightFiles(c, {
    operation: 'upgrade-cluster',
    start: c.end - 40 * MIN,
    command: UPGRADE(c),
    before: before(c),
    results: new Map([[node.ip, { 'Check the disks of the machine': { fatal: tmpScriptDenied('/tmp/disks_check.sh') } }]]),
  });
  const spec = snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      if (n === node) files.mount = mountWith(c, n, ['tmpfs on /tmp type tmpfs (rw,nosuid,nodev,noexec,relatime,size=2097152k)']);
    },
  });
  return addFiles(spec, c, run.files);
}

function negative(): BundleSpec {
  const c = cluster();
  const node = hardened(c);
  const failed = preflightFiles(c, {
    operation: 'upgrade-cluster',
    start: c.end - 3 * 60 * MIN,
    command: UPGRADE(c),
    before: before(c),
    results: new Map([[node.ip, { 'Check the disks of the machine': { fatal: tmpScriptDenied('/tmp/disks_check.sh') } }]]),
  });
  const passed = preflightFiles(c, {
    operation: 'upgrade-cluster',
    start: c.end - 50 * MIN,
    command: UPGRADE(c),
    before: before(c),
    after: ['Upgrading bootstrap cluster... OK', 'Upgrading control plane nodes... OK', 'Upgrading node pool np1...'],
  });
  const spec = snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      if (n === node) {
        files.mount = mountWith(c, n, [
          'tmpfs on /tmp type tmpfs (rw,nosuid,nodev,relatime,size=2097152k)',
          '/dev/mapper/ubuntu--vg-ubuntu--lv on /var/tmp type ext4 (rw,nosuid,nodev,noexec,relatime)',
        ]);
      }
    },
  });
  return addFiles(spec, c, [...failed.files, ...passed.files]);
}

export const scenario: Scenario = { id: 'tmp-noexec', positive, negative };
export default scenario;
