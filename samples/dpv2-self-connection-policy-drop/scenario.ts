/**
 * dpv2-self-connection-policy-drop: a pod that calls its own Service is dropped by its own
 * ingress NetworkPolicy on Dataplane V2, because the reply misses its conntrack entry (seed 001).
 *
 * Positive: cluster mkt-web-2 (Dataplane V2, Kubernetes v1.26.5-gke.1200). The catalog service
 * renders pages by calling its own Service (`catalog.shop.svc:80`, target port 3000). The shop's
 * policies deny all ingress except frontend → catalog on 3000. With network policy logging on,
 * the anetd pod of the node running catalog records `"disposition":"deny"` verdicts whose source
 * and destination are the catalog pod itself, and catalog logs `connect ETIMEDOUT` towards its
 * own Service; frontend → catalog flows are allowed.
 *
 * Negative: the same cluster, version and policies. The policy log holds deny verdicts too, but
 * between different pods (a debug pod and checkout probing catalog), which is the policy doing
 * its job; catalog does not call itself.
 */
import { type Cluster, type ClusterOptions, type Node, type Pod, buildCluster, findPod, findService, nodeByName } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, MIN, SEC, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { addFiles, kubectlPath } from '../lib/noise/dpv2node-bundle.js';
import { type PolicyVerdict, anetdCapturePath, policyActionLog } from '../lib/noise/dpv2node-dpv2.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { type NameStyle, snapshot } from '../lib/snapshot.js';

const STYLE: NameStyle = 'spaces';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'mkt-web-2',
    name: 'mkt-web-2',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.15.3',
    kubernetesVersion: 'v1.26.5-gke.1200',
    kubeProxy: { version: 'v1.26.5-gke.1200', mode: 'iptables' },
    runcVersion: '1.1.5',
    containerdVersion: '1.6.20',
    start: '2025-02-11T07:00:00Z',
    hours: 4,
    rollouts: [],
  };
  return buildCluster(options);
}

const POLICIES = (c: Cluster): string => {
  const created = new Date(Math.floor((c.created + 3 * 24 * HOUR) / 1000)).toISOString().replace(/\.\d+Z$/, 'Z');
  return `apiVersion: v1
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    creationTimestamp: "${created}"
    generation: 1
    name: default-deny-ingress
    namespace: shop
  spec:
    podSelector: {}
    policyTypes:
    - Ingress
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    creationTimestamp: "${created}"
    generation: 2
    name: frontend-to-catalog
    namespace: shop
  spec:
    ingress:
    - from:
      - podSelector:
          matchLabels:
            app: frontend
      ports:
      - port: 3000
        protocol: TCP
    podSelector:
      matchLabels:
        app: catalog
    policyTypes:
    - Ingress
kind: List
metadata:
  resourceVersion: ""
`;
};

interface Story {
  verdicts: PolicyVerdict[];
  catalogErrors: Rec[];
}

/** Verdicts recorded on the catalog pod's node: frontend allowed, and the scenario's denials. */
function story(c: Cluster, node: Node, catalog: Pod, selfCalls: boolean): Story {
  const rng = new Rng(`${c.seed}/verdicts/${selfCalls}`);
  const frontends = c.pods.filter((p) => p.workload.name === 'frontend');
  const svc = findService(c, 'shop', 'catalog');
  const verdicts: PolicyVerdict[] = [];
  const catalogErrors: Rec[] = [];
  const from = c.end - 3 * HOUR;
  for (let t = from; t < c.end; t += rng.int(20 * SEC, 90 * SEC)) {
    verdicts.push({ t, src: { pod: rng.pick(frontends), port: rng.int(32768, 60999) }, dest: { pod: catalog, port: 3000 }, disposition: 'allow', policies: ['frontend-to-catalog'], node });
  }
  if (selfCalls) {
    for (let t = from + rng.int(0, 5 * MIN); t < c.end; t += rng.int(40 * SEC, 4 * MIN)) {
      const port = rng.int(32768, 60999);
      verdicts.push({ t, src: { pod: catalog, port }, dest: { pod: catalog, port: 3000 }, disposition: 'deny', node });
      const e = t + 10 * SEC + rng.int(0, 900_000);
      catalogErrors.push({ t: e, text: JSON.stringify({ level: 'error', time: rfc3339Nano(e), msg: 'render failed', page: rng.pick(['/products', '/products?page=2', '/']), err: `GET http://catalog.shop.svc/api/products/featured: connect ETIMEDOUT ${svc.clusterIP}:80` }) });
    }
  } else {
    const checkout = findPod(c, 'shop', 'checkout');
    const debugPod: Pod = { ...catalog, namespace: 'default', name: 'netshoot-debug', ip: `192.168.${node.index}.233`, workload: { ...catalog.workload, namespace: 'default', name: 'netshoot-debug', kind: 'Static' } };
    for (let t = from + rng.int(0, 20 * MIN); t < c.end; t += rng.int(10 * MIN, 40 * MIN)) {
      verdicts.push({ t, src: { pod: rng.chance(0.5) ? checkout : debugPod, port: rng.int(32768, 60999) }, dest: { pod: catalog, port: 3000 }, disposition: 'deny', node });
    }
  }
  return { verdicts, catalogErrors };
}

function build(selfCalls: boolean): BundleSpec {
  const c = cluster();
  const catalog = findPod(c, 'shop', 'catalog');
  const node = nodeByName(c, catalog.node);
  const s = story(c, node, catalog, selfCalls);
  const spec = snapshot(c, {
    style: STYLE,
    podLog: (p, container) => (p === catalog && s.catalogErrors.length ? podLog(c, p, container, { extra: [fixed(s.catalogErrors)] }) : undefined),
  });
  return addFiles(spec, c, [
    { path: kubectlPath(STYLE, 'kubectl get networkpolicies -o yaml', 'shop'), content: POLICIES(c) },
    { path: anetdCapturePath(c, node, 'policy-action.log'), content: policyActionLog(s.verdicts) },
  ]);
}

export const scenario: Scenario = { id: 'dpv2-self-connection-policy-drop', positive: () => build(true), negative: () => build(false) };
export default scenario;
