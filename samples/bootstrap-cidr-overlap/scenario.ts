/**
 * bootstrap-cidr-overlap: the new cluster's nodes sit inside the kind bootstrap cluster's default
 * pod CIDR (192.168.122.0/24), so the preflight checks that bmctl runs from the bootstrap cluster
 * cannot reach them and the create fails (Anthos clusters on bare metal, seed 002).
 *
 * Positive: the admin workstation of cluster yard-core-1 (running, its snapshot ordinary) was
 * used to create yard-line-3, whose machines were given addresses on the lab's
 * 192.168.122.0/24 network. In the workspace, yard-line-3's config lists them, and the create
 * log shows every machine check failing with `ssh: connect to host 192.168.122.x port 22: No
 * route to host`, then `preflight check failed`. One node of yard-core-1 also runs libvirt,
 * whose `virbr0` holds 192.168.122.1/24 — a bridge, not a node address.
 *
 * Negative: the same, but yard-line-3's machines are on 192.168.12.0/24; the create also failed
 * preflight, because one machine was powered off (`Connection timed out` for that one only).
 */
import { type ClusterOptions, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { MIN, SEC } from '../lib/time.js';
import { ipAddr } from '../lib/noise/host.js';
import { bmctlConsole, createAttemptDir, newCluster, newClusterConfigFile } from '../lib/noise/net-bmctl.js';
import { withFiles } from '../lib/noise/net-node.js';
import { snapshot } from '../lib/snapshot.js';

const BASE: Omit<ClusterOptions, 'seed' | 'name' | 'controlPlanes' | 'workers' | 'anthosVersion'> = {
  os: 'rhel-8.4',
  kubernetesVersion: 'v1.21.5-gke.1200',
  kubeProxy: { version: 'v1.21.5-gke.1200', mode: 'iptables' },
  runcVersion: '1.0.1',
  containerdVersion: '1.4.9',
  start: '2024-08-20T11:00:00Z',
  hours: 4,
};

const VIRBR0 = `9: virbr0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN group default qlen 1000
    link/ether 52:54:00:3a:9c:11 brd ff:ff:ff:ff:ff:ff
    inet 192.168.122.1/24 brd 192.168.122.255 scope global virbr0
       valid_lft forever preferred_lft forever`;

function build(overlap: boolean): BundleSpec {
  const c = buildCluster({ ...BASE, seed: 'yard-core-1', name: 'yard-core-1', controlPlanes: 1, workers: 2, anthosVersion: '1.9.2' });
  const net = overlap ? '192.168.122' : '192.168.12';
  const s = newCluster({
    name: 'yard-line-3', anthosVersion: '1.9.2', base: BASE,
    controlPlanes: [`${net}.11`], workers: [`${net}.21`, `${net}.22`, `${net}.23`],
    controlPlaneVIP: `${net}.50`, ingressVIP: `${net}.100`, podCidr: '10.4.0.0/16', serviceCidr: '10.96.0.0/20',
  });
  const at = c.end - 75 * MIN;
  const dir = createAttemptDir(s, at);
  const down = `${net}.23`;
  const check = (ip: string): [number, string][] => {
    if (overlap) {
      return [
        [40_000, `\t- [FAILED] ${ip} (log: ${dir}/${ip})`],
        [2_000, `\t\t- Failed to connect to the host via ssh: ssh: connect to host ${ip} port 22: No route to host`],
      ];
    }
    return ip === down
      ? [[40_000, `\t- [FAILED] ${ip} (log: ${dir}/${ip})`], [2_000, `\t\t- Failed to connect to the host via ssh: ssh: connect to host ${ip} port 22: Connection timed out`]]
      : [[40_000, `\t- [PASSED] ${ip}`]];
  };
  const log = bmctlConsole(at, [
    [0, `bmctl create cluster -c ${s.name}`],
    [84 * SEC, 'Creating bootstrap cluster... OK'],
    [97 * SEC, 'Installing dependency components... OK'],
    [4 * MIN + 12 * SEC, 'Waiting for preflight check job to finish... OK'],
    [6 * SEC, '- Validation Category: machines and network'],
    ...s.nodes.flatMap((n) => check(n.ip)),
    [30_000, overlap ? `\t- [FAILED] node-network (log: ${dir}/node-network)` : '\t- [PASSED] node-network'],
    [1 * SEC, '- Validation Category: gcp'],
    [40_000, '\t- [PASSED] gcp'],
    [1 * SEC, 'Flushing logs... OK'],
    [2 * SEC, 'Error creating cluster: error validating preflight check results: preflight check failed'],
  ]);
  const withVirbr = c.nodes[c.nodes.length - 1];
  const spec = snapshot(c, {
    style: 'spaces',
    node: (n, files) => {
      if (n !== withVirbr) return;
      const base = ipAddr(c, n).replace(/\n$/, '');
      const next = (base.match(/^\d+:/gm) ?? []).length + 1;
      files.ipAddr = `${base}\n${VIRBR0.replace(/^9:/, `${next}:`)}\n`;
    },
  });
  return withFiles(c, spec, [
    newClusterConfigFile(s),
    { path: `${dir}/create-cluster.log`, content: log },
  ]);
}

export const scenario: Scenario = { id: 'bootstrap-cidr-overlap', positive: () => build(true), negative: () => build(false) };
export default scenario;
