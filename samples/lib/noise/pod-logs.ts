/**
 * Container logs (`kubectl logs` form) for the pods of the model, one generator per kind of
 * workload: anetd (Cilium, logfmt), CoreDNS, the shop's nginx front end (access log), the
 * checkout service (JSON lines), and a short start-up log for everything else. kube-proxy has
 * its own module.
 *
 * Sample output (anetd):
 *   level=info msg="Cilium 1.9.5 5bbfcd2 2021-03-16T20:42:01-07:00 go version go1.15.10 linux/amd64" subsys=daemon
 *   level=info msg="Create endpoint request" addressing="&{192.168.1.12 …}" … subsys=daemon
 */
import { type Cluster, type Pod, endpointAddresses, findService, nodeByName, podsOn } from '../cluster.js';
import type { LineGenerator } from '../bundle.js';
import { Rng } from '../rng.js';
import { MIN, SEC, clfStamp, isoSeconds, rfc3339Nano } from '../time.js';
import { type Rec, type RecSource, every, fixed, klog, merge, scattered } from '../timeline.js';
import { vethName } from './kernel.js';
import { kubeProxyLog } from './kube-proxy.js';

export interface PodLogOptions {
  extra?: RecSource[];
}

/** The log of one container of a pod. */
export function podLog(c: Cluster, pod: Pod, container: string, o: PodLogOptions = {}): LineGenerator {
  const w = pod.workload.name;
  if (w === 'kube-proxy') return kubeProxyLog(c, pod, { extra: o.extra });
  const make = (recs: () => RecSource[]): LineGenerator => function* () {
    for (const r of merge([...recs(), ...(o.extra ?? [])])) yield r.text;
  };
  const rng = (): Rng => new Rng(`${c.seed}/log/${pod.name}/${container}`);
  if (w === 'anetd') return make(() => anetd(c, pod, rng()));
  if (w === 'coredns') return make(() => coredns(c, pod, rng()));
  if (w === 'frontend') return make(() => frontend(c, pod, rng()));
  if (w === 'checkout') return make(() => checkout(c, pod, rng()));
  return make(() => [fixed(generic(c, pod, container, rng()))]);
}

const started = (p: Pod): number => p.containers[0].started + 150_000;

function anetd(c: Cluster, pod: Pod, rng: Rng): RecSource[] {
  const node = nodeByName(c, pod.node);
  const out: Rec[] = [];
  let t = started(pod);
  const l = (text: string, gap = rng.int(100, 20_000)): void => { t += gap; out.push({ t, text }); };
  l('level=info msg="Skipped reading configuration file" reason="Config File \\"ciliumd\\" Not Found in \\"[/root]\\"" subsys=config');
  l('level=info msg="Started gops server" address="127.0.0.1:9890" subsys=daemon');
  l('level=info msg="  --agent-health-port=\'9876\'" subsys=daemon');
  l('level=info msg="  --bpf-lb-mode=\'snat\'" subsys=daemon');
  l('level=info msg="  --cluster-name=\'default\'" subsys=daemon');
  l('level=info msg="  --enable-endpoint-routes=\'true\'" subsys=daemon');
  l('level=info msg="  --enable-policy=\'default\'" subsys=daemon');
  l(`level=info msg="  --kube-proxy-replacement='${c.kubeProxy.mode === 'ipvs' ? 'disabled' : 'partial'}'" subsys=daemon`);
  l('level=info msg="  --tunnel=\'geneve\'" subsys=daemon');
  l('level=info msg="Cilium 1.9.5 5bbfcd2 2021-03-16T20:42:01-07:00 go version go1.15.10 linux/amd64" subsys=daemon');
  l('level=info msg="cilium-envoy  version: 4c5ac2fd7b8f1f4e2c8e36e4b8f0c3a7a6c1c1e0/1.16.2/Distribution/RELEASE/BoringSSL" subsys=daemon');
  l(`level=info msg="clang (10.0.0) and kernel (${c.os.kernel.split('-')[0]}) versions: OK!" subsys=linux-datapath`);
  l('level=info msg="linking environment: OK!" subsys=linux-datapath');
  l('level=info msg="Detected mounted BPF filesystem at /sys/fs/bpf" subsys=bpf');
  l('level=info msg="Valid label prefix configuration:" subsys=labels-filter');
  l(`level=info msg="Initializing daemon" subsys=daemon`);
  l(`level=info msg="Establishing connection to apiserver" host="https://${c.controlPlaneVIP}:443" subsys=k8s`);
  if (node.role === 'control-plane') {
    l(`level=info msg="Establishing connection to apiserver" host="https://${c.controlPlaneVIP}:443" subsys=k8s`, rng.int(1 * SEC, 2 * SEC));
    l(`level=error msg="Unable to contact k8s api-server" error="Get \\"https://${c.controlPlaneVIP}:443/api/v1/namespaces/kube-system\\": dial tcp ${c.controlPlaneVIP}:443: connect: connection refused" ipAddr="https://${c.controlPlaneVIP}:443" subsys=k8s`);
  }
  l(`level=info msg="Connected to apiserver" subsys=k8s`, rng.int(1 * SEC, 4 * SEC));
  l(`level=info msg="Retrieved node information from kubernetes node" nodeName=${node.name} subsys=k8s`);
  l(`level=info msg="Received own node information from API server" ipAddr.ipv4=${node.ip} ipAddr.ipv6="<nil>" k8sNodeIP=${node.ip} labels="map[baremetal.cluster.gke.io/node-pool:np1 kubernetes.io/hostname:${node.name} kubernetes.io/os:linux]" nodeName=${node.name} subsys=k8s v4Prefix=${node.podCidr} v6Prefix="<nil>"`);
  l('level=info msg="Restored services from maps" failed=0 restored=0 subsys=service');
  l(`level=info msg="Initializing node addressing" subsys=daemon`);
  l(`level=info msg="  Cluster-Node-Name: ${node.name}" subsys=daemon`);
  l(`level=info msg="  IPv4 allocation prefix: ${node.podCidr}" subsys=daemon`);
  l(`level=info msg="  IPv4 router address: 192.168.${node.index}.1" subsys=daemon`);
  l('level=info msg="Setting up BPF datapath" bpfClockSource=ktime bpfInsnSet=v2 subsys=datapath-loader');
  l('level=info msg="Daemon initialization completed" bootstrapTime=6.212304119s subsys=daemon');
  l('level=info msg="Initializing Cilium API" subsys=daemon');
  l('level=info msg="Launching Cilium health daemon" subsys=daemon');
  for (const p of [...c.pods, ...c.pastPods]) {
    if (p.node !== pod.node || p.hostNetwork || p.phase !== 'Running' || p.started < node.boot) continue;
    const at = p.started + rng.int(300_000, 900_000);
    const id = rng.int(100, 3999);
    out.push({ t: at, text: `level=info msg="Create endpoint request" addressing="&{${p.ip} ${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}  }" containerID=${p.sandboxId} datapathConfiguration="&{false true false true 0xc000f${rng.hex(5)}}" interface=${vethName(p.sandboxId)} k8sPodName=${p.namespace}/${p.name} labels="[]" subsys=daemon sync-build=true` });
    out.push({ t: at + 300, text: `level=info msg="New endpoint" containerID=${p.sandboxId.slice(0, 10)} datapathPolicyRevision=0 desiredPolicyRevision=0 endpointID=${id} ipv4=${p.ip} ipv6= k8sPodName=${p.namespace}/${p.name} subsys=endpoint` });
    out.push({ t: at + 2600, text: `level=info msg="Resolving identity labels (blocking)" containerID=${p.sandboxId.slice(0, 10)} datapathPolicyRevision=0 desiredPolicyRevision=0 endpointID=${id} identityLabels="k8s:app=${p.workload.name},k8s:io.kubernetes.pod.namespace=${p.namespace}" ipv4=${p.ip} ipv6= k8sPodName=${p.namespace}/${p.name} subsys=endpoint` });
    out.push({ t: at + rng.int(600_000, 1_400_000), text: `level=info msg="Rewrote endpoint BPF program" containerID=${p.sandboxId.slice(0, 10)} datapathPolicyRevision=0 desiredPolicyRevision=1 endpointID=${id} identity=${rng.int(1000, 65000)} ipv4=${p.ip} ipv6= k8sPodName=${p.namespace}/${p.name} subsys=endpoint` });
    if (p.deleted !== undefined) {
      out.push({ t: p.deleted + rng.int(1 * SEC, 3 * SEC), text: `level=info msg="Delete endpoint request" containerID=${p.sandboxId.slice(0, 10)} subsys=daemon` });
      out.push({ t: p.deleted + rng.int(3 * SEC, 4 * SEC), text: `level=info msg="Removed endpoint" containerID=${p.sandboxId.slice(0, 10)} datapathPolicyRevision=1 desiredPolicyRevision=1 endpointID=${id} ipv4=${p.ip} ipv6= k8sPodName=${p.namespace}/${p.name} subsys=endpoint` });
    }
  }
  const regen = every(rng, { from: started(pod) + 20 * MIN, to: c.end, period: 45 * MIN, jitter: 10 * MIN }, (tick) => ({
    t: tick, text: 'level=info msg="regenerating all endpoints" reason="one or more identities created or deleted" subsys=endpoint-manager',
  }));
  const mine = podsOn(c, node).filter((p) => !p.hostNetwork && p.phase === 'Running');
  const ipcache = scattered(rng, started(pod) + 30 * MIN, c.end, 60 * MIN, 150 * MIN, (tick) => {
    const p = rng.pick(mine);
    return { t: tick, text: `level=warning msg="Unable to update ipcache map entry on pod add" error="ipcache entry for podIP ${p.ip} owned by kvstore or agent" hostIP=${node.ip} k8sNamespace=${p.namespace} k8sPodName=${p.name} podIP=${p.ip} podIPs="[{${p.ip}}]" subsys=k8s-watcher` };
  });
  return [fixed(out), regen, ipcache];
}

function coredns(c: Cluster, pod: Pod, rng: Rng): RecSource[] {
  const out: Rec[] = [];
  const t0 = started(pod);
  ['.:53', `[INFO] plugin/reload: Running configuration MD5 = ${rng.hex(32)}`, 'CoreDNS-1.7.0', 'linux/amd64, go1.14.4, f59c03d'].forEach((text, i) => out.push({ t: t0 + i * 50, text }));
  const names = ['metadata.google.internal.', 'storage.googleapis.com.', 'us-docker.pkg.dev.', 'oauth2.googleapis.com.'];
  const errs = scattered(rng, t0 + 10 * MIN, c.end, 25 * MIN, 110 * MIN, (t) => ({
    t, text: `[ERROR] plugin/errors: 2 ${rng.pick(names)} ${rng.pick(['A', 'AAAA'])}: read udp ${pod.ip}:${rng.int(32768, 60999)}->10.200.0.1:53: i/o timeout`,
  }));
  return [fixed(out), errs];
}

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'kube-probe/1.20',
];
const PAGES = ['/', '/products', '/products?page=2', '/products/sku-10442', '/products/sku-20871', '/cart', '/api/cart', '/api/products?category=garden', '/static/app.8f3a1c.js', '/static/app.8f3a1c.css', '/healthz'];

function frontend(c: Cluster, pod: Pod, rng: Rng): RecSource[] {
  const t0 = started(pod);
  const end = pod.deleted ?? c.end;
  const out: Rec[] = [
    { t: t0, text: '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration' },
    { t: t0 + 900, text: '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/' },
    { t: t0 + 2100, text: '/docker-entrypoint.sh: Configuration complete; ready for start up' },
  ];
  const first = c.pods.find((p) => p.workload.name === 'frontend');
  if (first === pod) {
    // Someone logged in through a form that sends the password in the query string.
    const t = t0 + Math.floor((end - t0) * 0.43);
    out.push({ t, text: `10.200.0.1 - - [${clfStamp(t)}] "GET /account/login?user=ops-admin&password=${rng.alnum(6)}${rng.int(10, 99)}! HTTP/1.1" 302 0 "-" "${AGENTS[2]}"` });
  }
  const access = scattered(rng, t0 + 10 * SEC, end, 2 * SEC, 14 * SEC, (t) => {
    const page = rng.pick(PAGES);
    const agent = page === '/healthz' ? AGENTS[3] : rng.pick(AGENTS.slice(0, 3));
    const client = page === '/healthz' ? nodeByName(c, pod.node).ip : `10.200.0.${rng.int(1, 40)}`;
    const status = rng.chance(0.015) ? 404 : rng.chance(0.004) ? 502 : 200;
    return { t, text: `${client} - - [${clfStamp(t)}] "GET ${page} HTTP/1.1" ${status} ${status === 200 ? rng.int(300, 48000) : 153} "-" "${agent}"` };
  });
  return [fixed(out), access];
}

/** JSON log line of the checkout service. */
function json(t: number, level: string, msg: string, fields: Record<string, string | number>): string {
  return JSON.stringify({ level, ts: rfc3339Nano(t), caller: 'server/handler.go:88', msg, ...fields });
}

function checkout(c: Cluster, pod: Pod, rng: Rng): RecSource[] {
  const t0 = started(pod);
  const end = pod.deleted ?? c.end;
  const payments = findService(c, 'shop', 'payments-api');
  const out: Rec[] = [
    { t: t0, text: json(t0, 'info', 'starting checkout-service', { version: pod.containers[0].image.split(':').pop() ?? '', listen: ':8080' }) },
    { t: t0 + 4000, text: json(t0 + 4000, 'info', 'payments client configured', { target: 'payments-api.shop.svc:8443', timeout: '5s' }) },
  ];
  const orders = scattered(rng, t0 + 30 * SEC, end, 10 * SEC, 90 * SEC, (t) => ({
    t, text: json(t, 'info', 'order placed', { order: `ORD-${rng.int(100000, 999999)}`, items: rng.int(1, 6), latency_ms: rng.int(18, 240), payments_endpoints: endpointAddresses(c, payments).length }),
  }));
  const retries = scattered(rng, t0 + 40 * MIN, end, 70 * MIN, 180 * MIN, (t) => ({
    t, text: json(t, 'warn', 'payment call retried', { attempt: 2, error: 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)' }),
  }));
  return [fixed(out), orders, retries];
}

function generic(c: Cluster, pod: Pod, container: string, rng: Rng): Rec[] {
  const t = started(pod);
  const w = pod.workload.name;
  const lines: string[] = (() => {
    switch (w) {
      case 'metrics-server':
        return [
          klog('I', t, 1, 'serving.go:325', 'Generated self-signed cert (/tmp/apiserver.crt, /tmp/apiserver.key)'),
          klog('I', t + 420_000, 1, 'requestheader_controller.go:169', 'Starting RequestHeaderAuthRequestController'),
          klog('I', t + 421_000, 1, 'secure_serving.go:197', 'Serving securely on [::]:4443'),
          klog('E', t + 61_000_000, 1, 'scraper.go:139', `"Failed to scrape node" err="Get \\"https://${c.nodes[0].ip}:10250/stats/summary?only_cpu_and_memory=true\\": context deadline exceeded" node="${c.nodes[0].name}"`),
        ];
      case 'localpv':
        return [
          klog('I', t, 1, 'main.go:67', 'Configuration parsing has been completed, ready to run...'),
          klog('I', t + 2000, 1, 'common.go:396', 'Creating client using in-cluster config'),
          klog('I', t + 90_000, 1, 'main.go:148', 'Starting controller'),
          klog('I', t + 91_000, 1, 'controller.go:79', 'Initializing volume cache'),
        ];
      case 'stackdriver-log-forwarder':
        return [
          `[${fluentStamp(t)}] [ info] [engine] started (pid=1)`,
          `[${fluentStamp(t + 3000)}] [ info] [storage] version=1.0.6, initializing...`,
          `[${fluentStamp(t + 3100)}] [ info] [storage] root path '/var/log/fluent-bit-buffers/'`,
          `[${fluentStamp(t + 3200)}] [ info] [storage] full synchronization mode, checksum enabled, max_chunks_up=128`,
          `[${fluentStamp(t + 3300)}] [ info] [storage] backlog input plugin: storage_backlog.1`,
          `[${fluentStamp(t + 5000)}] [ info] [sp] stream processor started`,
        ];
      case 'orders-db':
        return [
          `PostgreSQL Database directory appears to contain a database; Skipping initialization`,
          `${isoSeconds(t).replace('T', ' ').replace('Z', '')}.${String(rng.int(100, 999))} UTC [1] LOG:  starting PostgreSQL 13.3 (Debian 13.3-1.pgdg100+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 8.3.0-6) 8.3.0, 64-bit`,
          `${isoSeconds(t + SEC).replace('T', ' ').replace('Z', '')}.${String(rng.int(100, 999))} UTC [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
          `${isoSeconds(t + 2 * SEC).replace('T', ' ').replace('Z', '')}.${String(rng.int(100, 999))} UTC [27] LOG:  database system was interrupted; last known up at ${isoSeconds(t - 6 * MIN).replace('T', ' ').replace('Z', '')} UTC`,
          `${isoSeconds(t + 3 * SEC).replace('T', ' ').replace('Z', '')}.${String(rng.int(100, 999))} UTC [27] LOG:  database system was not properly shut down; automatic recovery in progress`,
          `${isoSeconds(t + 4 * SEC).replace('T', ' ').replace('Z', '')}.${String(rng.int(100, 999))} UTC [1] LOG:  database system is ready to accept connections`,
        ];
      case 'cart':
        return [
          `1:C ${redisStamp(t)}.${rng.int(100, 999)} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
          `1:M ${redisStamp(t)}.${rng.int(100, 999)} * Running mode=standalone, port=6379.`,
          `1:M ${redisStamp(t)}.${rng.int(100, 999)} # WARNING: The TCP backlog setting of 511 cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of 128.`,
          `1:M ${redisStamp(t)}.${rng.int(100, 999)} * Ready to accept connections`,
        ];
      default:
        return [
          klog('I', t, 1, 'main.go:84', `starting ${container}`),
          klog('I', t + 310_000, 1, 'main.go:132', 'ready'),
        ];
    }
  })();
  return lines.map((text, i) => ({ t: t + i * 1000, text }));
}

function fluentStamp(t: number): string {
  return isoSeconds(t).replace('T', ' ').replace('Z', '').replaceAll('-', '/');
}

/** `05 Mar 2024 04:01:02`, Redis's log stamp. */
function redisStamp(t: number): string {
  const d = new Date(Math.floor(t / 1000));
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${String(d.getUTCDate()).padStart(2, '0')} ${month} ${d.getUTCFullYear()} ${isoSeconds(t).slice(11, 19)}`;
}
