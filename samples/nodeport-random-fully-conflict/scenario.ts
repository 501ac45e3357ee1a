/**
 * nodeport-random-fully-conflict: a custom ip-masq-agent ≥ 2.10 masquerades with
 * `--random-fully`, so source ports of masqueraded connections land in the NodePort range and
 * clash with NodePort/LoadBalancer Services on Dataplane V2 (seed 001).
 *
 * Positive: cluster coast-dp2-3 (Dataplane V2: anetd on every node, NodePort and LoadBalancer
 * Services) runs its own ip-masq-agent DaemonSet, image v2.10.0, deployed with only
 * `--masq-chain` and `--nomasq-all-reserved-ranges`. Its log starts with
 * `ip-masq-agent version: v2.10.0` and its flags; every node's nat table ends the IP-MASQ-AGENT
 * chain with `-j MASQUERADE --random-fully`. Outbound calls of the checkout service fail now
 * and then (`connection reset by peer`, timeouts).
 *
 * Negative: the same cluster with ip-masq-agent v2.11.0 deployed with `--random-fully=false`: the
 * log shows `FLAG: --random-fully="false"` and the masquerade rule has no `--random-fully`;
 * kube-proxy's own `KUBE-POSTROUTING … MASQUERADE --random-fully` rule is still there, as on every
 * cluster.
 */
import { type Cluster, type ClusterOptions, type Pod, type WorkloadDef, buildCluster, findPod, imageId } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { MIN, SEC, isoSeconds, rfc3339Nano } from '../lib/time.js';
import { type Rec, every, fixed, klog, merge } from '../lib/timeline.js';
import { iptablesSave } from '../lib/noise/iptables.js';
import { podLog } from '../lib/noise/pod-logs.js';
import { servicesYaml, withFiles } from '../lib/noise/net-node.js';
import { snapshot } from '../lib/snapshot.js';

interface Agent {
  version: string;
  args: string[];
}

const RESERVED = ['100.64.0.0/10', '192.0.0.0/24', '192.0.2.0/24', '192.88.99.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4'];

function cluster(agent: Agent): Cluster {
  const options: ClusterOptions = {
    seed: 'coast-dp2-3',
    name: 'coast-dp2-3',
    controlPlanes: 1,
    workers: 3,
    os: 'ubuntu-20.04',
    anthosVersion: '1.16.2',
    kubernetesVersion: 'v1.27.4-gke.900',
    kubeProxy: { version: 'v1.27.4-gke.900', mode: 'iptables' },
    runcVersion: '1.1.9',
    containerdVersion: '1.6.20',
    start: '2024-04-23T05:00:00Z',
    hours: 5,
  };
  const c = buildCluster(options);
  // The customer's own ip-masq-agent DaemonSet: one host-network pod per node.
  const image = `registry.k8s.io/networking/ip-masq-agent:v${agent.version}`;
  const w: WorkloadDef = {
    namespace: 'kube-system', name: 'ip-masq-agent', kind: 'DaemonSet', placement: 'all', hostNetwork: true,
    containers: [{ name: 'ip-masq-agent', image, processes: [{ comm: 'ip-masq-agent', user: 'root', rssKiB: 15120, threads: true, args: `/ip-masq-agent ${agent.args.join(' ')}` }] }],
  };
  const rng = new Rng(`${c.seed}/ip-masq-agent`);
  const created = c.end - 9 * 24 * 60 * MIN;
  for (const node of c.nodes) {
    const started = node.kubeletStart + rng.int(25 * SEC, 50 * SEC);
    const pod: Pod = {
      namespace: w.namespace, name: `ip-masq-agent-${rng.k8sSuffix()}`, uid: rng.uuid(), workload: w, node: node.name, ip: node.ip, hostNetwork: true,
      created, started, phase: 'Running', sandboxId: rng.hex(64), netns: 0,
      containers: [{ name: 'ip-masq-agent', image, imageId: imageId(image), id: rng.hex(64), started: started + rng.int(300_000, 1_500_000), restarts: 0, processes: w.containers[0].processes }],
    };
    c.pods.push(pod);
  }
  return c;
}

/** The agent's log: version and flags at start, then its config every resync (verbosity 2). */
function agentLog(c: Cluster, pod: Pod, agent: Agent): () => Iterable<string> {
  return function* () {
    const rng = new Rng(`${c.seed}/ip-masq-agent-log/${pod.name}`);
    const t0 = pod.containers[0].started + rng.int(50_000, 200_000);
    const flag = (name: string, fallback: string): string => {
      const a = agent.args.find((x) => x.startsWith(`--${name}=`));
      return a ? a.slice(name.length + 3) : fallback;
    };
    const head: Rec[] = [{ t: t0, text: klog('I', t0, 1, 'ip-masq-agent.go:136', `ip-masq-agent version: v${agent.version}`) }];
    const flags: [string, string][] = [
      ['alsologtostderr', 'false'], ['enable-ipv6', 'false'], ['log_backtrace_at', ':0'], ['log_dir', ''], ['logtostderr', 'true'],
      ['masq-chain', flag('masq-chain', 'IP-MASQ-AGENT')], ['nomasq-all-reserved-ranges', flag('nomasq-all-reserved-ranges', 'false')],
      ...(agent.version >= '2.11' ? [['random-fully', flag('random-fully', 'true')] as [string, string]] : []),
      ['stderrthreshold', '2'], ['v', flag('v', '2')], ['vmodule', ''],
    ];
    flags.forEach(([n, v], i) => head.push({ t: t0 + 40 + i * 7, text: klog('I', t0 + 40 + i * 7, 1, 'ip-masq-agent.go:139', `FLAG: --${n}="${v}"`) }));
    const cidrs = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', ...RESERVED];
    const resync = every(rng, { from: t0 + 2000, to: c.end, period: 60 * SEC, jitter: 30_000 }, (t) => [
      { t, text: klog('I', t, 1, 'ip-masq-agent.go:191', 'config file found at "/etc/config/ip-masq-agent"') },
      { t: t + 310, text: klog('I', t + 310, 1, 'ip-masq-agent.go:180', `using config: {"nonMasqueradeCIDRs":${JSON.stringify(cidrs)},"cidrLimit":64,"masqLinkLocal":false,"masqLinkLocalIPv6":false,"resyncInterval":60000000000}`) },
    ]);
    for (const r of merge([fixed(head), resync])) yield r.text;
  };
}

/** The node's iptables-save with the agent's chain in the nat table. */
function withMasqChain(save: string, randomFully: boolean): string {
  const rules = [
    '-A POSTROUTING -m comment --comment "ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom IP-MASQ-AGENT chain" -m addrtype ! --dst-type LOCAL -j IP-MASQ-AGENT',
    ...['169.254.0.0/16', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', ...RESERVED].map((d) => `-A IP-MASQ-AGENT -d ${d} -m comment --comment "ip-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN`),
    `-A IP-MASQ-AGENT -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE${randomFully ? ' --random-fully' : ''}`,
  ];
  const out: string[] = [];
  let table = '';
  for (const line of save.replace(/\n$/, '').split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    if (table === 'nat' && line === 'COMMIT') out.push(...rules);
    if (table === 'nat' && line.startsWith(':KUBE-KUBELET-CANARY')) out.push(':IP-MASQ-AGENT - [0:0]');
    out.push(line);
  }
  return `${out.join('\n')}\n`;
}

/** `kubectl get ds -n kube-system -o yaml`, trimmed to what matters here (image and args). */
function daemonSetsYaml(c: Cluster): string {
  const rng = new Rng(`${c.seed}/ds-yaml`);
  const seen = new Map<string, Pod>();
  for (const p of c.pods) if (p.workload.kind === 'DaemonSet' && !seen.has(p.workload.name)) seen.set(p.workload.name, p);
  const out = ['apiVersion: v1', 'items:'];
  for (const p of [...seen.values()].sort((a, b) => (a.workload.name < b.workload.name ? -1 : 1))) {
    const w = p.workload;
    const n = c.pods.filter((x) => x.workload === w).length;
    const args = w.containers[0].processes[0]?.args.split(' ').slice(1) ?? [];
    out.push(
      '- apiVersion: apps/v1',
      '  kind: DaemonSet',
      '  metadata:',
      `    creationTimestamp: "${isoSeconds(p.created)}"`,
      '    generation: 1',
      '    labels:',
      `      k8s-app: ${w.name}`,
      `    name: ${w.name}`,
      `    namespace: ${w.namespace}`,
      `    resourceVersion: "${rng.int(1_000_000, 9_000_000)}"`,
      `    uid: ${rng.uuid()}`,
      '  spec:',
      '    selector:',
      '      matchLabels:',
      `        k8s-app: ${w.name}`,
      '    template:',
      '      metadata:',
      '        labels:',
      `          k8s-app: ${w.name}`,
      '      spec:',
      '        containers:',
      ...w.containers.flatMap((ct, i) => [
        ...(i === 0 && args.length ? ['        - args:', ...args.map((a) => `          - ${a}`), `          image: ${ct.image}`] : [`        - image: ${ct.image}`]),
        '          imagePullPolicy: IfNotPresent',
        `          name: ${ct.name}`,
        ...(w.name === 'ip-masq-agent' ? ['          securityContext:', '            capabilities:', '              add:', '              - NET_ADMIN', '              - NET_RAW', '            privileged: false', '          volumeMounts:', '          - mountPath: /etc/config', '            name: config'] : []),
      ]),
      ...(w.hostNetwork ? ['        hostNetwork: true'] : []),
      ...(w.name === 'ip-masq-agent' ? ['        volumes:', '        - configMap:', '            name: ip-masq-agent', '            optional: true', '          name: config'] : []),
      '    updateStrategy:',
      '      rollingUpdate:',
      '        maxUnavailable: 1',
      '      type: RollingUpdate',
      '  status:',
      `    currentNumberScheduled: ${n}`,
      `    desiredNumberScheduled: ${n}`,
      `    numberAvailable: ${n}`,
      `    numberReady: ${n}`,
      `    updatedNumberScheduled: ${n}`,
    );
  }
  out.push('kind: List', 'metadata:', '  resourceVersion: ""');
  return `${out.join('\n')}\n`;
}

/** Outbound calls of the checkout service that die now and then. */
function resets(c: Cluster): Rec[] {
  const rng = new Rng(`${c.seed}/resets`);
  const out: Rec[] = [];
  for (let t = c.start + 25 * MIN; t < c.end; t += rng.int(6 * MIN, 22 * MIN)) {
    const err = rng.chance(0.5)
      ? 'Post "https://api.acquirer.example.com/v2/charges": read tcp 192.168.2.14:41877->198.51.100.21:443: read: connection reset by peer'
      : 'Post "https://api.acquirer.example.com/v2/charges": dial tcp 198.51.100.21:443: i/o timeout';
    out.push({ t, text: JSON.stringify({ level: 'error', ts: rfc3339Nano(t), caller: 'acquirer/client.go:77', msg: 'charge failed', error: err }) });
  }
  return out;
}

function build(agent: Agent, randomFully: boolean): BundleSpec {
  const c = cluster(agent);
  const checkout = findPod(c, 'shop', 'checkout');
  const spec = snapshot(c, {
    style: 'spaces',
    node: (n, files) => { files.iptablesSave = withMasqChain(iptablesSave(c, n), randomFully); },
    podLog: (pod, container) => {
      if (pod.workload.name === 'ip-masq-agent') return agentLog(c, pod, agent);
      if (randomFully && pod === checkout) return podLog(c, pod, container, { extra: [fixed(resets(c))] });
      return undefined;
    },
  });
  return withFiles(c, spec, [
    { path: 'kubectlCommands/kube-system/kubectl get ds -o yaml', content: daemonSetsYaml(c) },
    { path: 'kubectlCommands/kubectl get svc -A -o yaml', content: servicesYaml(c) },
  ]);
}

export const scenario: Scenario = {
  id: 'nodeport-random-fully-conflict',
  positive: () => build({ version: '2.10.0', args: ['--masq-chain=IP-MASQ-AGENT', '--nomasq-all-reserved-ranges=true'] }, true),
  negative: () => build({ version: '2.11.0', args: ['--masq-chain=IP-MASQ-AGENT', '--nomasq-all-reserved-ranges=true', '--random-fully=false'] }, false),
};
export default scenario;
