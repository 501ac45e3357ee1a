/**
 * egress-source-ip-duplicate: two EgressNATPolicy objects of the egress NAT gateway preview use
 * the same egressSourceIP, so their egress routing conflicts (Anthos clusters on bare metal,
 * seed 002).
 *
 * Positive: cluster ledger-dc-2 (1.8.2, egress NAT gateway preview). The AnthosNetworkGateway
 * floats 10.200.0.120 and 10.200.0.121. Three policies: `payments-to-acquirer` takes .120,
 * `reports-to-sftp` .121, and `audit-export`, added last week by another team, takes .120 again.
 *
 * Negative: the same cluster after the teams sorted it out: `audit-export` uses a third floating IP,
 * .122, added to the gateway. Each floating IP still appears twice in the bundle (gateway and
 * policy), and two policies send traffic to the same destination range.
 */
import { type Cluster, type ClusterOptions, buildCluster } from '../lib/cluster.js';
import type { BundleSpec } from '../lib/bundle.js';
import type { Scenario } from '../lib/scenario.js';
import { Rng } from '../lib/rng.js';
import { DAY, HOUR, isoSeconds } from '../lib/time.js';
import { withFiles } from '../lib/noise/net-node.js';
import { snapshot } from '../lib/snapshot.js';

function cluster(): Cluster {
  const options: ClusterOptions = {
    seed: 'ledger-dc-2',
    name: 'ledger-dc-2',
    controlPlanes: 1,
    workers: 3,
    os: 'rhel-8.4',
    anthosVersion: '1.8.2',
    kubernetesVersion: 'v1.20.9-gke.701',
    kubeProxy: { version: 'v1.20.9-gke.701', mode: 'iptables' },
    runcVersion: '1.0.0',
    containerdVersion: '1.4.6',
    start: '2024-01-16T09:00:00Z',
    hours: 5,
  };
  return buildCluster(options);
}

interface Policy {
  name: string;
  namespace: string;
  app: string;
  destinations: string[];
  ip: string;
  created: number;
}

function policiesYaml(c: Cluster, policies: Policy[]): string {
  const rng = new Rng(`${c.seed}/egress`);
  const out = ['apiVersion: v1', 'items:'];
  for (const p of policies) {
    out.push(
      '- apiVersion: networking.gke.io/v1alpha1',
      '  kind: EgressNATPolicy',
      '  metadata:',
      `    creationTimestamp: "${isoSeconds(p.created)}"`,
      '    generation: 1',
      `    name: ${p.name}`,
      `    resourceVersion: "${rng.int(1_000_000, 9_000_000)}"`,
      `    uid: ${rng.uuid()}`,
      '  spec:',
      '    destinationCIDRs:',
      ...p.destinations.map((d) => `    - ${d}`),
      '    egress:',
      '    - namespaceSelector:',
      '        matchLabels:',
      `          kubernetes.io/metadata.name: ${p.namespace}`,
      '      podSelector:',
      '        matchLabels:',
      `          app: ${p.app}`,
      `    egressSourceIP: ${p.ip}`,
    );
  }
  out.push('kind: List', 'metadata:', '  resourceVersion: ""', '  selfLink: ""');
  return `${out.join('\n')}\n`;
}

function gatewayYaml(c: Cluster, ips: string[]): string {
  return [
    'apiVersion: networking.gke.io/v1alpha1',
    'kind: AnthosNetworkGateway',
    'metadata:',
    `  creationTimestamp: "${isoSeconds(c.created + 3 * DAY)}"`,
    '  generation: 2',
    '  name: default',
    '  namespace: kube-system',
    '  resourceVersion: "2210934"',
    '  uid: 6f0c2d1e-8a43-4b7e-9d55-1c2b3a4d5e6f',
    'spec:',
    '  floatingIPs:',
    ...ips.map((ip) => `  - ${ip}`),
    'status:',
    '  nodes:',
    ...c.nodes.filter((n) => n.role === 'worker').slice(0, ips.length).map((n, i) => `    ${n.name}: ${ips[i]}`),
    '',
  ].join('\n');
}

function build(duplicate: boolean): BundleSpec {
  const c = cluster();
  const policies: Policy[] = [
    { name: 'payments-to-acquirer', namespace: 'shop', app: 'payments-api', destinations: ['203.0.113.0/27'], ip: '10.200.0.120', created: c.created + 6 * DAY },
    { name: 'reports-to-sftp', namespace: 'finance', app: 'report-export', destinations: ['198.51.100.16/28'], ip: '10.200.0.121', created: c.created + 9 * DAY },
    { name: 'audit-export', namespace: 'audit', app: 'audit-shipper', destinations: ['198.51.100.16/28'], ip: duplicate ? '10.200.0.120' : '10.200.0.122', created: c.end - 7 * DAY - 3 * HOUR },
  ];
  const floating = duplicate ? ['10.200.0.120', '10.200.0.121'] : ['10.200.0.120', '10.200.0.121', '10.200.0.122'];
  return withFiles(c, snapshot(c, { style: 'underscores' }), [
    { path: 'kubectl/kubectl_get_egressnatpolicies_-A_-o_yaml', content: policiesYaml(c, policies) },
    { path: 'kubectl/kubectl_get_anthosnetworkgateways_-A_-o_yaml', content: gatewayYaml(c, floating) },
  ]);
}

export const scenario: Scenario = { id: 'egress-source-ip-duplicate', positive: () => build(true), negative: () => build(false) };
export default scenario;
