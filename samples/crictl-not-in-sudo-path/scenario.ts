/**
 * crictl-not-in-sudo-path: a snapshot taken as a non-root login user runs its node commands
 * through sudo, whose secure_path leaves out /usr/local/bin where crictl lives; every crictl
 * output holds only `sudo: crictl: command not found` (seed 002).
 *
 * Positive: cluster depot-east-2 (Ubuntu 20.04, containerd, Anthos clusters on bare metal 1.9.2).
 * `bmctl check cluster --snapshot --login-user abm-ops` ran as a sudoer; on every node the crictl
 * outputs (`crictl ps -a`, `crictl pods`) say `sudo: crictl: command not found`, while the other
 * commands (found in /usr/bin and /usr/sbin) worked.
 *
 * Negative: the same cluster, snapshot taken as root: crictl outputs are complete. The snapshot
 * also ran Docker's commands, and on these containerd nodes `docker ps -a` and `docker info`
 * answer `sudo: docker: command not found`: a "command not found" that is expected.
 */
import { type Cluster, type ClusterOptions, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { type ExtraFile, addFiles, editFiles, mapLines, nodeCommandPath } from '../lib/noise/dpv2node-bundle.js';
import { type NameStyle, snapshot } from '../lib/snapshot.js';

const STYLE: NameStyle = 'spaces';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'depot-east-2',
    name: 'depot-east-2',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.2',
    kubernetesVersion: 'v1.21.5-gke.1200',
    kubeProxy: { version: 'v1.21.5-gke.1200', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-06-11T06:00:00Z',
    hours: 4,
  };
  return buildCluster(options);
}

const CRICTL_NOT_FOUND = 'sudo: crictl: command not found\n';

/** The snapshot command as the engineer ran it, in the check-cluster log. */
function withLoginUser(spec: BundleSpec, c: Cluster, user: string): BundleSpec {
  return editFiles(spec, c, (p) => /\/check-cluster\.log$/.test(p), (content) => mapLines(content, (l) => l.replace(/(bmctl check cluster --snapshot .*?)( --kubeconfig )/, `$1 --login-user ${user}$2`)));
}

function positive(): BundleSpec {
  const c = cluster();
  const spec = snapshot(c, {
    style: STYLE,
    node: (_n, files) => {
      files.crictl = CRICTL_NOT_FOUND;
    },
  });
  const extra: ExtraFile[] = c.nodes.map((n) => ({ path: nodeCommandPath(n, 'crictl pods', STYLE), content: CRICTL_NOT_FOUND }));
  return addFiles(withLoginUser(spec, c, 'abm-ops'), c, extra);
}

function negative(): BundleSpec {
  const c = cluster();
  const spec = snapshot(c, { style: STYLE });
  const extra: ExtraFile[] = c.nodes.flatMap((n) => [
    { path: nodeCommandPath(n, 'docker ps -a', STYLE), content: 'sudo: docker: command not found\n' },
    { path: nodeCommandPath(n, 'docker info', STYLE), content: 'sudo: docker: command not found\n' },
  ]);
  return addFiles(spec, c, extra);
}

export const scenario: Scenario = { id: 'crictl-not-in-sudo-path', positive, negative };
export default scenario;
