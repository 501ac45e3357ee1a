/**
 * The kube-proxy container log of one node (`kubectl logs` form: bare klog lines). Start-up in
 * the mode and version the cluster runs, the service ports it programs, informer watch closes,
 * and, in IPVS mode before 1.16 (where graceful termination logged at the default level), the
 * `Trying to delete rs` / `Deleting rs` pairs of every endpoint a rollout removed.
 *
 * Two scenario switches: `stuck` reproduces kubernetes/kubernetes#71071 (from a moment on, the
 * only output is the same `Trying to delete rs` lines every minute), and `flapping` repeats
 * `Trying to delete rs` each minute but always followed by `Deleting rs` (a healthy proxy).
 *
 * Sample output:
 *   I0305 03:57:02.481604       1 server_others.go:189] Using ipvs Proxier.
 *   I0305 03:57:02.533712       1 server.go:464] Version: v1.13.0
 *   I0305 05:14:31.874607       1 graceful_termination.go:160] Trying to delete rs: 10.96.7.21:80/TCP/192.168.2.14:8080
 *   I0305 05:14:31.874765       1 graceful_termination.go:174] Deleting rs: 10.96.7.21:80/TCP/192.168.2.14:8080
 */
import { type Cluster, type Pod, type RealServerRef, formatRs, nodeByName, removedRealServers } from '../cluster.js';
import type { LineGenerator } from '../bundle.js';
import { Rng } from '../rng.js';
import { MIN, SEC } from '../time.js';
import { type Rec, type RecSource, fixed, klog, merge, scattered } from '../timeline.js';

export interface KubeProxyLogOptions {
  /** From `at` on, only `Trying to delete rs` for `rs`, once per minute (the IPVS deadlock). */
  stuck?: { at: number; rs: RealServerRef[] };
  /** From `from` to `to`, `Trying to delete rs` then `Deleting rs` for `rs`, once per minute. */
  flapping?: { from: number; to: number; rs: RealServerRef[] };
  extra?: RecSource[];
}

/** Minor version of a `v1.13.0` / `v1.20.8-gke.1500` string. */
export function minorVersion(v: string): number {
  const m = /^v?1\.(\d+)/.exec(v);
  return m ? Number(m[1]) : 0;
}

export function kubeProxyLog(c: Cluster, pod: Pod, o: KubeProxyLogOptions = {}): LineGenerator {
  return function* () {
    const rng = new Rng(`${c.seed}/kube-proxy/${pod.name}`);
    const normal = merge([fixed(startup(c, pod, rng.fork('startup'))), fixed(churn(c, pod, rng.fork('churn'), o)), watchCloses(c, pod, rng.fork('watch')), ...(o.extra ?? [])]);
    const sources: RecSource[] = [o.stuck ? until(normal, o.stuck.at) : normal];
    if (o.stuck) sources.push(stuckLoop(c, o.stuck, rng.fork('stuck')));
    if (o.flapping) sources.push(flappingLoop(o.flapping, rng.fork('flap')));
    for (const r of merge(sources)) yield r.text;
  };
}

function* until(src: Iterable<Rec>, t: number): Generator<Rec> {
  for (const r of src) {
    if (r.t >= t) return;
    yield r;
  }
}

function startup(c: Cluster, pod: Pod, rng: Rng): Rec[] {
  const node = nodeByName(c, pod.node);
  const out: Rec[] = [];
  let t = pod.containers[0].started + rng.int(100_000, 400_000);
  const k = (sev: 'I' | 'W' | 'E', caller: string, msg: string, gap = rng.int(30, 30_000)): void => {
    t += gap;
    out.push({ t, text: klog(sev, t, 1, caller, msg) });
  };
  const v = c.kubeProxy.version;
  const ipvs = c.kubeProxy.mode === 'ipvs';
  const legacy = minorVersion(v) < 16;
  const refused = `dial tcp ${c.controlPlaneVIP}:443: connect: connection refused`;
  if (legacy) {
    if (node.role === 'control-plane') k('W', 'node.go:103', `Failed to retrieve node info: Get https://${c.controlPlaneVIP}:443/api/v1/nodes/${node.name}: ${refused}`);
    k('I', 'server_others.go:148', ipvs ? 'Using ipvs Proxier.' : 'Using iptables Proxier.');
    if (ipvs) {
      k('W', 'proxier.go:365', 'clusterCIDR not specified, unable to distinguish between internal and external traffic');
      k('W', 'proxier.go:411', 'IPVS scheduler not specified, use rr by default');
    }
    k('I', 'server_others.go:216', 'Tearing down inactive rules.');
    k('I', 'server.go:464', `Version: ${v}`, rng.int(20_000, 60_000));
    k('I', 'conntrack.go:52', `Setting nf_conntrack_max to ${Math.max(131072, 32768 * node.cpus)}`);
    k('I', 'conntrack.go:83', `Setting conntrack hashsize to ${Math.max(131072, 32768 * node.cpus) / 4}`);
    k('I', 'conntrack.go:98', "Set sysctl 'net/netfilter/nf_conntrack_tcp_timeout_established' to 86400");
    k('I', 'conntrack.go:98', "Set sysctl 'net/netfilter/nf_conntrack_tcp_timeout_close_wait' to 3600");
    k('I', 'config.go:202', 'Starting service config controller');
    k('I', 'controller_utils.go:1027', 'Waiting for caches to sync for service config controller');
    k('I', 'config.go:102', 'Starting endpoints config controller');
    k('I', 'controller_utils.go:1027', 'Waiting for caches to sync for endpoints config controller');
    k('I', 'controller_utils.go:1034', 'Caches are synced for endpoints config controller', rng.int(80_000, 120_000));
    k('I', 'controller_utils.go:1034', 'Caches are synced for service config controller');
  } else {
    if (node.role === 'control-plane') {
      k('E', 'node.go:161', `Failed to retrieve node info: Get "https://${c.controlPlaneVIP}:443/api/v1/nodes/${node.name}": ${refused}`);
      k('E', 'node.go:161', `Failed to retrieve node info: Get "https://${c.controlPlaneVIP}:443/api/v1/nodes/${node.name}": ${refused}`, rng.int(900_000, 1_100_000));
    }
    k('I', 'node.go:172', `Successfully retrieved node IP: ${node.ip}`, rng.int(900_000, 2_000_000));
    k('I', 'server_others.go:142', `kube-proxy node IP is an IPv4 address (${node.ip}), assume IPv4 operation`);
    if (ipvs) {
      k('I', 'server_others.go:258', 'Using ipvs Proxier.');
      k('W', 'proxier.go:445', 'IPVS scheduler not specified, use rr by default');
    } else {
      k('W', 'server_others.go:578', 'Unknown proxy mode "", assuming iptables proxy');
      k('I', 'server_others.go:185', 'Using iptables Proxier.');
    }
    k('I', 'server.go:650', `Version: ${v}`);
    k('I', 'conntrack.go:100', `Set sysctl 'net/netfilter/nf_conntrack_max' to ${Math.max(131072, 32768 * node.cpus)}`);
    k('I', 'conntrack.go:52', `Setting nf_conntrack_max to ${Math.max(131072, 32768 * node.cpus)}`);
    k('I', 'conntrack.go:100', "Set sysctl 'net/netfilter/nf_conntrack_tcp_timeout_established' to 86400");
    k('I', 'conntrack.go:100', "Set sysctl 'net/netfilter/nf_conntrack_tcp_timeout_close_wait' to 3600");
    k('I', 'config.go:315', 'Starting service config controller');
    k('I', 'shared_informer.go:240', 'Waiting for caches to sync for service config');
    k('I', 'config.go:224', 'Starting endpoint slice config controller');
    k('I', 'shared_informer.go:240', 'Waiting for caches to sync for endpoint slice config');
    k('I', 'shared_informer.go:247', 'Caches are synced for endpoint slice config', rng.int(80_000, 120_000));
    k('I', 'shared_informer.go:247', 'Caches are synced for service config');
  }
  for (const s of c.services) {
    if (!legacy) k('I', 'service.go:275', `Service ${s.namespace}/${s.name} updated: ${s.ports.length} ports`, rng.int(20, 200));
    for (const p of s.ports) {
      const name = `${s.namespace}/${s.name}${p.name ? `:${p.name}` : ''}`;
      k('I', legacy ? 'service.go:309' : 'service.go:390', `Adding new service port "${name}" at ${s.clusterIP}:${p.port}/${p.protocol}`, rng.int(20, 200));
    }
  }
  return out;
}

/**
 * Endpoints removed by rollouts, as graceful termination handles them: deleted at once, or kept
 * a few minutes while connections drain. Only versions before 1.16 log this at the default level.
 */
function churn(c: Cluster, pod: Pod, rng: Rng, o: KubeProxyLogOptions): Rec[] {
  if (c.kubeProxy.mode !== 'ipvs' || minorVersion(c.kubeProxy.version) >= 16) return [];
  const skip = new Set([...(o.stuck?.rs ?? []), ...(o.flapping?.rs ?? [])].map(formatRs));
  const out: Rec[] = [];
  const start = pod.containers[0].started;
  for (const r of c.rollouts) {
    for (const { at, rs } of removedRealServers(c, r)) {
      const name = formatRs(rs);
      if (skip.has(name) || at < start) continue;
      let t = at + rng.int(300_000, 1_200_000);
      if (rng.chance(0.35)) {
        // Connections still open: checked again every minute until they drain.
        for (let i = 0, n = rng.int(1, 3); i < n; i++) {
          out.push({ t, text: klog('I', t, 1, 'graceful_termination.go:160', `Trying to delete rs: ${name}`) });
          out.push({ t: t + 120, text: klog('I', t + 120, 1, 'graceful_termination.go:171', `Not deleting, RS ${name}: ${rng.int(1, 4)} ActiveConn, ${rng.int(0, 3)} InactiveConn`) });
          t += 60 * SEC + rng.int(1000, 4000);
        }
      }
      out.push({ t, text: klog('I', t, 1, 'graceful_termination.go:160', `Trying to delete rs: ${name}`) });
      const d = t + rng.int(90, 300);
      out.push({ t: d, text: klog('I', d, 1, 'graceful_termination.go:174', `Deleting rs: ${name}`) });
    }
  }
  return out;
}

function watchCloses(c: Cluster, pod: Pod, rng: Rng): Generator<Rec> {
  const legacy = minorVersion(c.kubeProxy.version) < 16;
  const start = pod.containers[0].started + 15 * MIN;
  let rv = rng.int(1_400_000, 1_600_000);
  return scattered(rng, start, c.end, 25 * MIN, 80 * MIN, (t) => {
    rv += rng.int(2000, 9000);
    if (legacy) {
      const obj = rng.pick(['*v1.Endpoints', '*v1.Service']);
      return { t, text: klog('W', t, 1, 'reflector.go:270', `k8s.io/client-go/informers/factory.go:132: watch of ${obj} ended with: too old resource version: ${rv} (${rv + rng.int(3, 40)})`) };
    }
    const obj = rng.pick(['*v1beta1.EndpointSlice', '*v1.Service']);
    return { t, text: klog('W', t, 1, 'reflector.go:436', `k8s.io/client-go/informers/factory.go:134: watch of ${obj} ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding`) };
  });
}

/** kubernetes/kubernetes#71071: the graceful-termination loop is all that still runs. */
function* stuckLoop(c: Cluster, stuck: { at: number; rs: RealServerRef[] }, rng: Rng): Generator<Rec> {
  let tick = stuck.at;
  while (tick < c.end) {
    let t = tick;
    for (const rs of stuck.rs) {
      yield { t, text: klog('I', t, 1, 'graceful_termination.go:160', `Trying to delete rs: ${formatRs(rs)}`) };
      t += rng.int(120, 260);
    }
    tick += 60 * SEC + rng.int(300, 3500);
  }
}

function* flappingLoop(f: { from: number; to: number; rs: RealServerRef[] }, rng: Rng): Generator<Rec> {
  for (let tick = f.from; tick < f.to; tick += 60 * SEC + rng.int(300, 3500)) {
    let t = tick;
    for (const rs of f.rs) {
      yield { t, text: klog('I', t, 1, 'graceful_termination.go:160', `Trying to delete rs: ${formatRs(rs)}`) };
      t += rng.int(90, 300);
      yield { t, text: klog('I', t, 1, 'graceful_termination.go:174', `Deleting rs: ${formatRs(rs)}`) };
      t += rng.int(120, 260);
    }
  }
}
