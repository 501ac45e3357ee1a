/**
 * upgrade-apiserver-health-443: upgrading from 1.7.x to 1.8.y with a manual load balancer, the
 * cal-update job's `Check apiserver health` curls https://127.0.0.1/healthz (port 443) where nothing
 * listens, and fails (Anthos clusters on bare metal known issue, seed 002; gone in 1.9).
 *
 * Positive: cluster dc2-core-1 (`loadBalancer.mode: manual`) is being upgraded from 1.7.2 to 1.8.2.
 * The cal-update job on the first control-plane node retries the task 30 times (`FAILED -
 * RETRYING: Check apiserver health (30 retries left).` …) and ends with `fatal: [10.200.0.x]:
 * FAILED! => {… "cmd": "curl -k https://127.0.0.1/healthz", … "curl: (7) Failed to connect to
 * 127.0.0.1 port 443: Connection refused" …}`, the JSON wrapped over several lines as the job log
 * shows it.
 *
 * Negative: the same upgrade after the operator put the documented port forward in place
 * (`iptables -t nat -I OUTPUT -p tcp -o lo --dport 443 -j REDIRECT --to-ports 6444`, visible in
 * iptables-save): the check is retried three times while the apiserver restarts (newer Ansible,
 * `FAILED - RETRYING: [10.200.0.x]: Check apiserver health (30 retries left).`) and then passes.
 */
import { type Cluster, type Node, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC } from '../lib/time.js';
import { snapshot } from '../lib/snapshot.js';
import { addFiles, editClusterConfig, mapLines } from '../lib/noise/install-bundle.js';
import { ansibleProfile, playBanner, recapRow, taskBanner } from '../lib/noise/install-ansible.js';

function cluster(): Cluster {
  return buildCluster({
    seed: 'dc2-core-1',
    name: 'dc2-core-1',
    controlPlanes: 3,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.19.10-gke.1000',
    kubeProxy: { version: 'v1.19.10-gke.1000', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2022-01-20T11:00:00Z',
    hours: 3,
  });
}

/** Manual load balancing: no bundled load balancer, no address pools. */
function manualLb(yaml: string): string {
  return yaml
    .replace('    mode: bundled\n', '    mode: manual\n')
    .replace(/ {4}# AddressPools is a list[\s\S]*?(?= {2}# Proxy configuration)/, '');
}

/** The tasks of cal-update before the health check, all fine. */
function before(ip: string): [string, string[]][] {
  return [
    ['Gathering Facts', [`ok: [${ip}]`]],
    ['cal-update : Render kube-apiserver manifest', [`changed: [${ip}]`]],
    ['cal-update : Render kube-controller-manager manifest', [`changed: [${ip}]`]],
    ['cal-update : Render kube-scheduler manifest', [`ok: [${ip}]`]],
    ['cal-update : Wait for static pods to be restarted', [`ok: [${ip}]`]],
  ];
}

function transcript(c: Cluster, node: Node, start: number, health: string[], recap: { ok: number; changed: number; failed: number; skipped: number }): string {
  const rng = new Rng(`${c.seed}/cal-update/${node.ip}`);
  const out: string[] = [playBanner('PLAY [Update control plane]')];
  let t = start;
  let total = 0;
  for (const [name, result] of [...before(node.ip), ['cal-update : Check apiserver health', health] as [string, string[]]]) {
    const step = rng.int(30_000, 6 * SEC);
    t += step;
    total += step;
    out.push('', taskBanner(name), ansibleProfile(t, step, total), ...result);
  }
  out.push('', playBanner('PLAY RECAP'), recapRow(node.ip, recap), '');
  return out.join('\n');
}

/** The seed's failure: 30 retries, the curl warning, then the result JSON wrapped at 80 columns. */
function refusedHealth(ip: string, end: number): string[] {
  const retries = Array.from({ length: 30 }, (_, i) => `FAILED - RETRYING: Check apiserver health (${30 - i} retries left).`);
  const stamp = (t: number): string => new Date(Math.floor(t / 1000)).toISOString().replace('T', ' ').replace('Z', '');
  const json = JSON.stringify({
    attempts: 30, changed: true, cmd: 'curl -k https://127.0.0.1/healthz', delta: '0:00:00.008949', end: `${stamp(end)}875`,
    msg: 'non-zero return code', rc: 7, start: `${stamp(end - 9000)}926`,
    stderr: '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0curl: (7) Failed to connect to 127.0.0.1 port 443: Connection refused',
    stderr_lines: ['  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current', '                                 Dload  Upload   Total   Spent    Left  Speed', '', '  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0curl: (7) Failed to connect to 127.0.0.1 port 443: Connection refused'],
    stdout: '', stdout_lines: [],
  }).replaceAll('","', '", "').replaceAll('":', '": ').replaceAll(',"', ', "');
  const fatal = `fatal: [${ip}]: FAILED! => ${json}`;
  // Wrapped at spaces, the way a terminal copy of the job log shows it.
  const wrapped: string[] = [];
  let rest = fatal;
  while (rest.length > 80) {
    const cut = rest.lastIndexOf(' ', 80);
    wrapped.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  wrapped.push(rest);
  return [
    ...retries,
    "[WARNING]: Consider using the get_url or uri module rather than running 'curl'.",
    'If you need to use command because get_url or uri is insufficient you can add',
    "'warn: false' to this command task or set 'command_warnings=False' in",
    'ansible.cfg to get rid of this message.',
    ...wrapped,
  ];
}

/** The job's pod: short-lived, outside the model's workloads; the snapshot keeps only its log. */
function calUpdatePod(rng: Rng): string {
  return `bm-system-cal-update-${rng.k8sSuffix(5)}`;
}

function build(c: Cluster, failing: boolean): BundleSpec {
  const rng = new Rng(`${c.seed}/cal-update`);
  const cp = c.nodes.find((n) => n.role === 'control-plane') as Node;
  const start = c.end - 50 * MIN;
  const health = failing
    ? refusedHealth(cp.ip, start + 31 * SEC + 30 * 5 * SEC)
    : [1, 2, 3].map((i) => `FAILED - RETRYING: [${cp.ip}]: Check apiserver health (${31 - i} retries left).`).concat([`ok: [${cp.ip}]`]);
  const log = transcript(c, cp, start, health, failing ? { ok: 4, changed: 2, failed: 1, skipped: 1 } : { ok: 6, changed: 2, failed: 0, skipped: 1 });
  const redirect = '-A OUTPUT -o lo -p tcp -m tcp --dport 443 -j REDIRECT --to-ports 6444';
  let spec = snapshot(c, {
    style: 'spaces',
    node: failing ? undefined : (n, files) => {
      if (n.role !== 'control-plane') return;
      files.iptablesSave = mapLines(files.iptablesSave, (l) => (l.startsWith('-A OUTPUT -m comment --comment "cilium-feeder: CILIUM_OUTPUT_nat"') ? `${redirect}\n${l}` : l));
    },
  });
  spec = editClusterConfig(spec, c, manualLb);
  return addFiles(spec, c, [{ path: `logs/${c.namespace}/${calUpdatePod(rng)}/ansible-runner.log`, content: log }]);
}

export const scenario: Scenario = {
  id: 'upgrade-apiserver-health-443',
  positive: () => build(cluster(), true),
  negative: () => build(cluster(), false),
};
export default scenario;
