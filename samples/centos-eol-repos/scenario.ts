/**
 * centos-eol-repos: CentOS 8 reached end of life, its mirror list is empty, so the package steps
 * of a cluster upgrade fail (Anthos clusters on bare metal known issue, seed 002; any version).
 *
 * Positive: cluster plant-ops-3 runs on CentOS Linux 8. A week after the end of life an operator
 * runs `bmctl upgrade cluster` to 1.10.2; the machine jobs on every node stop at the containerd
 * package task with `fatal: [10.200.0.x]: FAILED! => {… "msg": "Failed to download metadata for
 * repo 'appstream': Cannot prepare internal mirrorlist: No URLs in mirrorlist" …}` and bmctl
 * reports the upgrade as failed.
 *
 * Negative: the same story on RHEL 8.4 whose subscription lapsed: the same task fails with
 * `Failed to download metadata for repo 'rhel-8-for-x86_64-appstream-rpms': Cannot download
 * repomd.xml …` — a repository failure, but not CentOS's end of life.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, dashedStamp } from '../lib/time.js';
import { ansibleProfile, playBanner, recapRow, taskBanner } from '../lib/noise/install-ansible.js';
import { snapshot } from '../lib/snapshot.js';
import { addFiles, bmctlLog } from '../lib/noise/install-bundle.js';
import { useOs } from '../lib/noise/install-host.js';

/** The machine job transcript of one node: facts, a few checks, then the package task fails. */
function machineJob(ip: string, start: number, failure: string, seed: string): string {
  const rng = new Rng(seed);
  const out: string[] = [];
  let t = start;
  let total = 0;
  const task = (banner: string, result: string[]): void => {
    const step = rng.int(300_000, 9 * SEC);
    t += step;
    total += step;
    out.push('', taskBanner(banner), ansibleProfile(t, step, total), ...result);
  };
  out.push(playBanner('PLAY [Prepare node for Anthos clusters on bare metal]'));
  task('Gathering Facts', [`ok: [${ip}]`]);
  task('node-prepare : Check OS distribution', [`ok: [${ip}]`]);
  task('node-prepare : Disable swap', [`ok: [${ip}]`]);
  task('node-prepare : Load br_netfilter module', [`ok: [${ip}]`]);
  task('containerd : Remove old container runtime packages', [`ok: [${ip}]`]);
  task('containerd : Install containerd dependencies', [`fatal: [${ip}]: FAILED! => {"changed": false, "msg": "${failure}", "rc": 1, "results": []}`]);
  out.push('', playBanner('PLAY RECAP'), recapRow(ip, { ok: 5, changed: 0, failed: 1, skipped: 2 }), '');
  return out.join('\n');
}

function cluster(rhel: boolean): { c: Cluster; osRelease?: string } {
  const c = buildCluster({
    seed: 'plant-ops-3',
    name: 'plant-ops-3',
    controlPlanes: 1,
    workers: 2,
    os: 'rhel-8.4',
    anthosVersion: '1.9.4',
    kubernetesVersion: 'v1.21.5-gke.1300',
    kubeProxy: { version: 'v1.21.5-gke.1300', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2022-02-07T08:30:00Z',
    hours: 2.5,
  });
  return { c, osRelease: rhel ? undefined : useOs(c, 'centos-8') };
}

function build(c: Cluster, osRelease: string | undefined, failure: string): BundleSpec {
  const at = c.start + 90 * MIN;
  const dir = `bmctl-workspace/${c.name}/log/upgrade-cluster-${dashedStamp(at)}`;
  const jobStart = at + 3 * MIN + 12 * SEC;
  const log = bmctlLog(at, [
    [0, `bmctl upgrade cluster -c ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`],
    [2 * SEC, 'Checking cluster version... OK'],
    [4 * SEC, `Upgrading cluster ${c.name} from 1.9.4 to 1.10.2`],
    [1 * SEC, 'Creating bootstrap cluster... OK'],
    [74 * SEC, 'Installing dependency components... OK'],
    [95 * SEC, 'Waiting for preflight check job to finish...'],
    [3 * MIN + 40 * SEC, '- Validation Category: machines and network'],
    ...c.nodes.map((n): [number, string] => [40_000, `\t- [FAILED] ${n.ip}: node prepare failed, see ${dir}/${n.ip}`]),
    [50_000, '\t- [PASSED] node-network'],
    [1 * SEC, 'Flushing logs... OK'],
    [1 * SEC, 'Error upgrading cluster: preflight check failed'],
  ]);
  const spec = snapshot(c, {
    style: 'underscores',
    node: osRelease ? (_n, files) => { files.osRelease = osRelease; } : undefined,
  });
  return addFiles(spec, c, [
    { path: `${dir}/upgrade-cluster.log`, content: log.text },
    ...c.nodes.map((n) => ({ path: `${dir}/${n.ip}`, content: machineJob(n.ip, jobStart + n.index * 700_000, failure, `${c.seed}/job/${n.ip}`) })),
  ]);
}

function positive(): BundleSpec {
  const { c, osRelease } = cluster(false);
  return build(c, osRelease, "Failed to download metadata for repo 'appstream': Cannot prepare internal mirrorlist: No URLs in mirrorlist");
}

function negative(): BundleSpec {
  const { c } = cluster(true);
  return build(c, undefined, "Failed to download metadata for repo 'rhel-8-for-x86_64-appstream-rpms': Cannot download repomd.xml: Cannot download repodata/repomd.xml: All mirrors were tried");
}

export const scenario: Scenario = { id: 'centos-eol-repos', positive, negative };
export default scenario;
