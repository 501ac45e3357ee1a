/**
 * dpv2-netpol-endport-ignored: a NetworkPolicy port range (`port` + `endPort`) has no effect on
 * Dataplane V2; only the first port is allowed (seed 001).
 *
 * Positive: cluster shop-prod-5 (anetd / Dataplane V2, Kubernetes v1.25.5-gke.1001). Two hours
 * before the snapshot the shop team replaced the explicit port list of
 * `payments-api-from-checkout` by the range 8440-8450. The stored policy keeps `endPort: 8450`,
 * but Dataplane V2 only allows 8440, so checkout's calls to payments-api on 8443 time out from
 * then on. `kubectl get networkpolicies -A -o yaml` holds the shop's four policies.
 *
 * Negative: the same cluster after the fix: the policy lists the ports it needs (8440, 8443,
 * 8444, 8450) one by one, and its change annotation still talks about the endPort range it
 * replaced; checkout is fine.
 */
import { type Cluster, type ClusterOptions, type Pod, buildCluster, findService } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { HOUR, SEC, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { addFiles, kubectlPath } from '../lib/noise/dpv2node-bundle.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { type NameStyle, snapshot } from '../lib/snapshot.js';

const STYLE: NameStyle = 'underscores';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'shop-prod-5',
    name: 'shop-prod-5',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.14.1',
    kubernetesVersion: 'v1.25.5-gke.1001',
    kubeProxy: { version: 'v1.25.5-gke.1001', mode: 'iptables' },
    runcVersion: '1.1.4',
    containerdVersion: '1.6.12',
    start: '2025-01-14T06:00:00Z',
    hours: 5,
    rollouts: [],
  };
  return buildCluster(options);
}

function iso(t: number): string {
  return new Date(Math.floor(t / 1000)).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The shop's NetworkPolicies as `kubectl get networkpolicies -A -o yaml` prints them. */
function policies(c: Cluster, changedAt: number, fixedPorts: boolean): string {
  const rng = new Rng(`${c.seed}/netpol`);
  const meta = (name: string, created: number, generation = 1): string => `  metadata:
    creationTimestamp: "${iso(created)}"
    generation: ${generation}
    name: ${name}
    namespace: shop
    resourceVersion: "${rng.int(1_000_000, 9_000_000)}"
    uid: ${rng.uuid()}`;
  const created = c.created + 2 * 24 * HOUR;
  return `apiVersion: v1
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
${meta('default-deny-ingress', created)}
  spec:
    podSelector: {}
    policyTypes:
    - Ingress
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
${meta('frontend-to-catalog', created + 60 * SEC)}
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
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
${meta('orders-db-from-apps', created + 120 * SEC)}
  spec:
    ingress:
    - from:
      - podSelector:
          matchLabels:
            app: checkout
      - podSelector:
          matchLabels:
            app: db-backup
      ports:
      - port: 5432
        protocol: TCP
    podSelector:
      matchLabels:
        app: orders-db
    policyTypes:
    - Ingress
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
${meta('payments-api-from-checkout', created + 180 * SEC, fixedPorts ? 5 : 4)}
    annotations:
      shop.acme.example/changed: "${fixedPorts ? `${iso(changedAt)} endPort range 8440-8450 replaced by explicit ports (Dataplane V2 ignores endPort)` : `${iso(changedAt)} range for the 8440-8450 admin and metrics ports`}"
  spec:
    ingress:
    - from:
      - podSelector:
          matchLabels:
            app: checkout
      ports:
${fixedPorts ? [8440, 8443, 8444, 8450].map((p) => `      - port: ${p}\n        protocol: TCP`).join('\n') : `      - endPort: 8450
        port: 8440
        protocol: TCP`}
    podSelector:
      matchLabels:
        app: payments-api
    policyTypes:
    - Ingress
kind: List
metadata:
  resourceVersion: ""
`;
}

/** checkout failing to reach payments-api once the range replaced the port list. */
function timeouts(c: Cluster, from: number, pod: Pod): Rec[] {
  const rng = new Rng(`${c.seed}/payments-timeouts/${pod.name}`);
  const payments = findService(c, 'shop', 'payments-api');
  const out: Rec[] = [];
  for (let t = from + rng.int(20 * SEC, 70 * SEC); t < c.end; t += rng.int(30 * SEC, 180 * SEC)) {
    out.push({ t, text: JSON.stringify({ level: 'error', ts: rfc3339Nano(t), caller: 'payments/client.go:142', msg: 'payment call failed', error: `Post "https://payments-api.shop.svc:8443/v1/charges": dial tcp ${payments.clusterIP}:8443: i/o timeout` }) });
  }
  return out;
}

function positive(): BundleSpec {
  const c = cluster();
  const changedAt = c.end - 2 * HOUR;
  const spec = snapshot(c, {
    style: STYLE,
    podLog: (p, container) => (p.workload.name === 'checkout' ? podLog(c, p, container, { extra: [fixed(timeouts(c, changedAt, p))] }) : undefined),
  });
  return addFiles(spec, c, [{ path: kubectlPath(STYLE, 'kubectl get networkpolicies -o yaml', 'shop'), content: policies(c, changedAt, false) }]);
}

function negative(): BundleSpec {
  const c = cluster();
  const spec = snapshot(c, { style: STYLE });
  return addFiles(spec, c, [{ path: kubectlPath(STYLE, 'kubectl get networkpolicies -o yaml', 'shop'), content: policies(c, c.end - 2 * HOUR, true) }]);
}

export const scenario: Scenario = { id: 'dpv2-netpol-endport-ignored', positive, negative };
export default scenario;
