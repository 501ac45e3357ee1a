/**
 * rhel-endpoint-limit: RHEL and CentOS hold at most about 100,000 Service endpoints per cluster
 * (their nftables data path) (Anthos clusters on bare metal known issue, seed 002).
 *
 * Positive: cluster batch-farm-2 on RHEL 8.4 hosts 75 tenant namespaces of large scale-out
 * services; `kubectl get endpointslices -A` lists about 1,270 EndpointSlices, most of them full
 * (`+ 97 more...`), some 110,000 endpoints in all. (The model keeps five nodes; only the Service
 * endpoints are at full scale.)
 *
 * Negative: the same kind of cluster, also on RHEL 8.4, with fewer tenants: about 510 slices and
 * 45,000 endpoints — big, but well below the limit.
 */
import { type Cluster, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { DAY, HOUR, kubectlAge } from '../lib/time.js';
import { snapshot } from '../lib/snapshot.js';
import { table } from '../lib/noise/kubectl.js';
import { addFiles } from '../lib/noise/install-bundle.js';

function cluster(): Cluster {
  return buildCluster({
    seed: 'batch-farm-2',
    name: 'batch-farm-2',
    controlPlanes: 3,
    workers: 2,
    os: 'rhel-8.4',
    anthosVersion: '1.9.2',
    kubernetesVersion: 'v1.21.4-gke.201',
    kubeProxy: { version: 'v1.21.4-gke.201', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2021-12-01T09:00:00Z',
    hours: 3,
  });
}

const APPS = ['render', 'ingest', 'score', 'transcode', 'index', 'shard', 'feature', 'worker', 'cache', 'query'];

/**
 * `kubectl get endpointslices -A` for `tenants` namespaces of scale-out services, plus the
 * cluster's own Services. Returns the table and the number of endpoints it holds.
 */
function endpointSlices(c: Cluster, tenants: number): { text: string; endpoints: number } {
  const rng = new Rng(`${c.seed}/slices/${tenants}`);
  const rows: string[][] = [];
  let endpoints = 0;
  let ip = 0;
  const addr = (): string => { ip = (ip + 1) % 64000; return `192.168.${Math.floor(ip / 250)}.${(ip % 250) + 2}`; };
  for (const s of c.services) {
    if (!s.selector) continue;
    rows.push([s.namespace, `${s.name}-${rng.k8sSuffix()}`, 'IPv4', String(s.ports[0].targetPort), `${addr()},${addr()}`, kubectlAge(c.end - s.created)]);
    endpoints += 2;
  }
  for (let t = 1; t <= tenants; t++) {
    const ns = `tenant-${String(t).padStart(3, '0')}`;
    const age = kubectlAge(rng.int(20, 200) * DAY + rng.int(0, 23) * HOUR);
    for (const app of rng.shuffle(APPS).slice(0, rng.int(3, 5))) {
      let pods = rng.int(240, 520);
      const port = rng.pick(['8080', '8443', '9090', '50051']);
      while (pods > 0) {
        const n = Math.min(100, pods);
        pods -= n;
        endpoints += n;
        const shown = [addr(), addr(), addr()].slice(0, Math.min(3, n)).join(',');
        rows.push([ns, `${app}-${rng.k8sSuffix()}`, 'IPv4', port, n > 3 ? `${shown} + ${n - 3} more...` : shown, age]);
      }
    }
  }
  rows.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return { text: table(['NAMESPACE', 'NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], rows), endpoints };
}

function build(tenants: number): BundleSpec {
  const c = cluster();
  const slices = endpointSlices(c, tenants);
  const spec = snapshot(c, { style: 'underscores' });
  return addFiles(spec, c, [{ path: 'kubectl/kubectl_get_endpointslices_-A', content: slices.text }]);
}

export const scenario: Scenario = {
  id: 'rhel-endpoint-limit',
  positive: () => build(75),
  negative: () => build(28),
};
export default scenario;
