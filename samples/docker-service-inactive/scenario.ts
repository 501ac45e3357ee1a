/**
 * docker-service-inactive: the preflight checks fail with `Docker service is not active` on a
 * node where Docker is installed (on the PATH) but its service is disabled (seed 002).
 *
 * Positive: cluster yard-west-1 (RHEL 8.4, containerd, Anthos clusters on bare metal 1.8.2). One
 * worker was built from an image that ships docker-ce with its service disabled. An hour before
 * the snapshot `bmctl upgrade cluster` ran its machine checks: that worker failed "Check docker
 * service" with "Docker service is not active" and the upgrade stopped. The snapshot has the
 * upgrade's log folder and `systemctl status docker` from every node: inactive (dead) and
 * disabled on that worker, "could not be found" on the others.
 *
 * Negative: the same cluster after the fix: docker-ce was removed from the worker. The failed
 * attempt's logs (with the same message) are still in bmctl-workspace, a second attempt passed,
 * and `systemctl status docker` says the unit could not be found on every node.
 */
import { type Cluster, type ClusterOptions, type Node, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { DAY, HOUR, MIN, journalStamp } from '../lib/time.js';
import { type ExtraFile, addFiles, nodeCommandPath } from '../lib/noise/dpv2node-bundle.js';
import { preflightFiles } from '../lib/noise/dpv2node-preflight.js';
import { type NameStyle, snapshot } from '../lib/snapshot.js';

const STYLE: NameStyle = 'underscores';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'yard-west-1',
    name: 'yard-west-1',
    controlPlanes: 3,
    workers: 3,
    os: 'rhel-8.4',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-05-07T03:00:00Z',
    hours: 5,
  };
  return buildCluster(options);
}

/** The worker built from the image with docker-ce: the second one. */
function dockerNode(c: Cluster): Node {
  return c.nodes.filter((n) => n.role === 'worker')[1];
}

/** `systemctl status docker` where docker-ce is installed and disabled, never started since boot. */
function dockerDisabled(c: Cluster, node: Node): string {
  const rng = new Rng(`${c.seed}/docker-status/${node.name}`);
  const installed = node.boot - 20 * DAY - rng.int(0, 5) * DAY;
  return [
    '○ docker.service - Docker Application Container Engine',
    '     Loaded: loaded (/usr/lib/systemd/system/docker.service; disabled; vendor preset: disabled)',
    '     Active: inactive (dead)',
    'TriggeredBy: ○ docker.socket',
    '       Docs: https://docs.docker.com',
    '',
    `${journalStamp(installed)} ${node.name} systemd[1]: docker.service: Succeeded.`,
    `${journalStamp(installed + 12_000)} ${node.name} systemd[1]: Stopped Docker Application Container Engine.`,
    '',
  ].join('\n');
}

const NOT_FOUND = 'Unit docker.service could not be found.\n';

function statusFiles(c: Cluster, installedOn: Node | undefined): ExtraFile[] {
  return c.nodes.map((n) => ({ path: nodeCommandPath(n, 'systemctl status docker', STYLE), content: n === installedOn ? dockerDisabled(c, n) : NOT_FOUND }));
}

const UPGRADE = (c: Cluster): string => `bmctl upgrade cluster -c ${c.name} --kubeconfig bmctl-workspace/${c.name}/${c.name}-kubeconfig`;
const BEFORE = (c: Cluster): string[] => [`Upgrading cluster ${c.name} from 1.8.2 to 1.9.1...`, 'Checking cluster version... OK', 'Running preflight checks for the upgrade...'];
const FAILED_CHECK = { 'Check docker service': { fatal: { changed: false, msg: 'Docker service is not active' } } };

function positive(): BundleSpec {
  const c = cluster();
  const node = dockerNode(c);
  const run = preflightFiles(c, { operation: 'upgrade-cluster', start: c.end - 1 * HOUR, command: UPGRADE(c), before: BEFORE(c), results: new Map([[node.ip, FAILED_CHECK]]) });
  const spec = snapshot(c, { style: STYLE });
  return addFiles(spec, c, [...run.files, ...statusFiles(c, node)]);
}

function negative(): BundleSpec {
  const c = cluster();
  const node = dockerNode(c);
  const failed = preflightFiles(c, { operation: 'upgrade-cluster', start: c.end - 4 * HOUR, command: UPGRADE(c), before: BEFORE(c), results: new Map([[node.ip, FAILED_CHECK]]) });
  const passed = preflightFiles(c, {
    operation: 'upgrade-cluster',
    start: c.end - 70 * MIN,
    command: UPGRADE(c),
    before: BEFORE(c),
    after: ['Upgrading bootstrap cluster... OK', 'Upgrading control plane nodes... OK', 'Upgrading node pool np1...'],
  });
  const spec = snapshot(c, { style: STYLE });
  return addFiles(spec, c, [...failed.files, ...passed.files, ...statusFiles(c, undefined)]);
}

export const scenario: Scenario = { id: 'docker-service-inactive', positive, negative };
export default scenario;
