/**
 * containerd-preview-cgroupfs: a 1.7 cluster created with the containerd preview runs kubelet
 * and containerd with the cgroupfs cgroup driver; its upgrade to 1.8 is blocked (Anthos clusters
 * on bare metal known issue, seed 002).
 *
 * Positive: cluster lab-west-7 at 1.7.1, `nodeConfig.containerRuntime: containerd`. Every
 * kubelet starts with `CgroupDriver:cgroupfs`, containerd's CRI config has a runc v2 runtime with
 * `Options:map[]` (no SystemdCgroup), and `ps` shows the containers in `/kubepods/burstable/pod…`
 * cgroups.
 *
 * Negative: the same 1.7.1 cluster created with the Docker runtime: kubelet also uses cgroupfs
 * (Docker's own driver, which is fine), the cluster config says `containerRuntime: docker` and the
 * nodes report `docker://19.3.15`.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { snapshot } from '../lib/snapshot.js';
import { editClusterConfig, editFiles, mapLines } from '../lib/noise/install-bundle.js';

function cluster(): Cluster {
  return buildCluster({
    seed: 'lab-west-7',
    name: 'lab-west-7',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.7.1',
    kubernetesVersion: 'v1.19.10-gke.1000',
    kubeProxy: { version: 'v1.19.10-gke.1000', mode: 'iptables' },
    runcVersion: '1.0.0-rc93',
    containerdVersion: '1.4.4',
    start: '2021-07-20T12:00:00Z',
    hours: 5,
  });
}

/** `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope` → `/kubepods/burstable/pod<uid>/<id>`. */
function cgroupfsPath(line: string): string {
  return line.replace(/\/kubepods\.slice\/kubepods-(\w+)\.slice\/kubepods-\w+-pod([0-9a-f_]+)\.slice\/cri-containerd-([0-9a-f]+)\.scope/g,
    (_m, qos: string, uid: string, id: string) => `/kubepods/${qos}/pod${uid.replaceAll('_', '-')}/${id}`);
}

/** The node outputs every variant shares: kubelet on cgroupfs, cgroupfs container paths. */
function cgroupfsNodes(c: Cluster, containerdPreview: boolean): BundleSpec {
  return snapshot(c, {
    style: 'spaces',
    node: (_n, files) => {
      files.kubeletJournal = mapLines(files.kubeletJournal, (l) => l.replace('CgroupDriver:systemd', 'CgroupDriver:cgroupfs'));
      files.psTree = mapLines(files.psTree, cgroupfsPath);
      if (containerdPreview) {
        files.containerdJournal = mapLines(files.containerdJournal, (l) => l.replace('Options:map[SystemdCgroup:true]', 'Options:map[]'));
      }
    },
  });
}

function positive(): BundleSpec {
  return cgroupfsNodes(cluster(), true);
}

function negative(): BundleSpec {
  const c = cluster();
  let spec = cgroupfsNodes(c, false);
  spec = editClusterConfig(spec, c, (yaml) => yaml.replace('containerRuntime: containerd', 'containerRuntime: docker'));
  // The node list reports the Docker runtime (its last column, so the layout is unchanged).
  spec = editFiles(spec, c, (p) => p === 'kubectlCommands/kubectl get nodes -o wide', (content) => mapLines(content, (l) => l.replace(`containerd://${c.containerdVersion}`, 'docker://19.3.15')));
  // kubelet talks to dockershim, not to containerd's CRI socket.
  return editFiles(spec, c, (p) => /journalctl --utc -u kubelet$/.test(p), (content) => mapLines(content, (l) => l
    .replace(/Container runtime containerd initialized, version: \S+, apiVersion: v1alpha2/, 'Container runtime docker initialized, version: 19.03.15, apiVersion: 1.40.0')
    .replace('ContainerRuntime:remote', 'ContainerRuntime:docker')));
}

export const scenario: Scenario = { id: 'containerd-preview-cgroupfs', positive, negative };
export default scenario;
