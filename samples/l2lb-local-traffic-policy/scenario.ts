/**
 * l2lb-local-traffic-policy: a LoadBalancer Service with `externalTrafficPolicy: Local` behind the
 * bundled layer 2 load balancer of Anthos clusters on bare metal; clients get `No route to host`
 * (seed 002).
 *
 * Positive: cluster harbor-pos-1 (bundled load balancing). The shop team added a LoadBalancer
 * Service `shop/storefront` with `externalTrafficPolicy: Local` to keep client addresses in the
 * front end's access log; `kubectl get svc -A -o yaml` shows it next to the other Services, which
 * keep the default `Cluster`. The cluster config says `loadBalancer.mode: bundled`.
 *
 * Negative: the same cluster and Service with `externalTrafficPolicy: Cluster`; the near misses
 * are a ClusterIP Service with `internalTrafficPolicy: Local` and a pod logging
 * `connect: no route to host` to an external host that is down.
 */
import { type Cluster, type ClusterOptions, buildCluster, findPod } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, rfc3339Nano } from '../lib/time.js';
import { type Rec, fixed } from '../lib/timeline.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { servicesYaml, withFiles } from '../lib/noise/net-node.js';
import { snapshot } from '../lib/snapshot.js';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'harbor-pos-1',
    name: 'harbor-pos-1',
    controlPlanes: 3,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.9.3',
    kubernetesVersion: 'v1.21.5-gke.1200',
    kubeProxy: { version: 'v1.21.5-gke.1200', mode: 'iptables' },
    runcVersion: '1.0.1',
    containerdVersion: '1.4.9',
    start: '2024-07-02T08:00:00Z',
    hours: 4.5,
  };
  const c = buildCluster(options);
  // The storefront Service: a second address from the bundled load balancer's pool.
  const rng = new Rng(`${c.seed}/storefront`);
  c.services.push({
    namespace: 'shop', name: 'storefront', type: 'LoadBalancer', clusterIP: `10.96.${rng.int(0, 15)}.${rng.int(2, 254)}`,
    externalIP: c.ingressVIP.replace(/\d+$/, (n) => String(Number(n) + 1)), selector: 'frontend', created: c.end - 26 * 60 * MIN,
    ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 31480 }],
  });
  return c;
}

/** A payments client calling an external acquirer that is down: a `no route to host` with another cause. */
function unrelatedNoRoute(c: Cluster, from: number): Rec[] {
  const rng = new Rng(`${c.seed}/noroute`);
  const out: Rec[] = [];
  for (let t = from; t < from + 6 * MIN; t += rng.int(40 * SEC, 90 * SEC)) {
    out.push({ t, text: JSON.stringify({ level: 'error', ts: rfc3339Nano(t), caller: 'acquirer/client.go:77', msg: 'settlement upload failed', error: 'Post "https://10.210.8.40:9443/v2/batches": dial tcp 10.210.8.40:9443: connect: no route to host' }) });
  }
  return out;
}

function build(local: boolean): BundleSpec {
  const c = cluster();
  const checkout = findPod(c, 'shop', 'checkout');
  const specExtra: Record<string, string[]> = local
    ? { 'shop/storefront': ['externalTrafficPolicy: Local', 'healthCheckNodePort: 32214'] }
    : { 'shop/storefront': ['externalTrafficPolicy: Cluster'], 'shop/cart': ['internalTrafficPolicy: Local'] };
  const spec = snapshot(c, {
    style: 'spaces',
    podLog: (pod, container) => (!local && pod === checkout ? podLog(c, pod, container, { extra: [fixed(unrelatedNoRoute(c, c.end - 70 * MIN))] }) : undefined),
  });
  return withFiles(c, spec, [{ path: 'kubectlCommands/kubectl get svc -A -o yaml', content: servicesYaml(c, { specExtra }) }]);
}

export const scenario: Scenario = { id: 'l2lb-local-traffic-policy', positive: () => build(true), negative: () => build(false) };
export default scenario;
