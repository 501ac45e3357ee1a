/**
 * The example bundles the README points at (`samples/bundles/<file>`): a scenario's positive
 * under a friendlier name, a healthy cluster that only carries harmless noise, and a customer
 * upload that nests a snapshot inside another archive.
 */
import { buildCluster } from './lib/cluster.js';
import type { BundleSpec } from './lib/bundle.js';
import { snapshot } from './lib/snapshot.js';
import { SCENARIOS } from './scenarios.js';
import { fullSnapshot } from './full-snapshot.js';

/** A three-node cluster with nothing wrong: benign errors only (IPVS kube-proxy 1.20, Ubuntu). */
export function healthy(): BundleSpec {
  const c = buildCluster({
    seed: 'lab-core-2',
    name: 'lab-core-2',
    controlPlanes: 1,
    workers: 2,
    os: 'ubuntu-20.04',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.8-gke.1500',
    kubeProxy: { version: 'v1.20.8-gke.1500', mode: 'ipvs' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-02-20T13:00:00Z',
    hours: 5,
  });
  return snapshot(c, { style: 'spaces' });
}

/** What a customer attaches to a case: an upload archive holding the snapshot and their notes. */
export function uploadNested(): BundleSpec {
  const inner = SCENARIOS['kube-proxy-ipvs-stale-rules'].positive();
  const notes = `Case 48213 - prod-edge-1

Since this morning some requests to the shop time out. Checkout fails about one time in four;
it looks like it depends on which node the request lands on. Nothing was changed except the
checkout and payments-api deployments (rolled out around 05:10 UTC). We restarted nothing yet.

Attached: bmctl check cluster --snapshot output (${inner.name}).
`;
  return {
    name: 'upload-nested.tgz',
    format: 'tar.gz',
    mtime: inner.mtime + 47 * 60_000_000,
    entries: [
      { path: 'notes.txt', content: notes },
      { path: inner.name, content: inner },
    ],
  };
}

/**
 * An upload with two true causes: the customer attached the snapshots of two clusters, one
 * whose kube-proxy stopped syncing IPVS rules and one whose conntrack table is full.
 */
export function twoClustersUpload(): BundleSpec {
  const a = SCENARIOS['kube-proxy-ipvs-stale-rules'].positive();
  const b = SCENARIOS['conntrack-table-full'].positive();
  return {
    name: 'two-clusters-upload.tgz',
    format: 'tar.gz',
    mtime: Math.max(a.mtime, b.mtime) + 30 * 60_000_000,
    entries: [
      { path: 'README.txt', content: 'Snapshots of both clusters affected by the outage (prod-edge-1 and the load-test cluster).\n' },
      { path: `snapshots/${a.name}`, content: a },
      { path: `snapshots/${b.name}`, content: b },
    ],
  };
}

/** File name in `samples/bundles/` → bundle. Sorted. */
export const README_BUNDLES: Record<string, () => BundleSpec> = {
  'full-snapshot.tar.gz': fullSnapshot,
  'healthy.tar.gz': healthy,
  'ipvs-stale-rules.tar.gz': SCENARIOS['kube-proxy-ipvs-stale-rules'].positive,
  'pleg-unhealthy-runc.tar.gz': SCENARIOS['pleg-unhealthy-runc'].positive,
  'two-clusters-upload.tgz': twoClustersUpload,
  'upload-nested.tgz': uploadNested,
};
