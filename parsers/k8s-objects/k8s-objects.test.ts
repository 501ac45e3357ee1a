import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import k8sObjects from './k8s-objects.js';
import { parseQuantity } from './objects.js';
import { probeFor, runParser, type ParserRun } from '../testing.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

function byName(run: ParserRun, name: string) {
  const e = run.events.find((x) => x.fields.name === name);
  if (!e) throw new Error(`no event for ${name}`);
  return e;
}

describe('k8s-objects: bmctl cluster config (Anthos bare metal 1.8)', () => {
  const run = runParser(k8sObjects, fixture('abm-1.8-cluster.yaml'), 'bmctl-workspace/edge-1/edge-1.yaml');

  it('emits the Namespace, Cluster and NodePool, skipping the credentials-paths header document', () => {
    expect(run.events.map((e) => e.fields.objectKind)).toEqual(['Namespace', 'Cluster', 'NodePool']);
    expect(run.warnings).toEqual([]);
    expect(run.events.every((e) => e.source === 'bmctl' && e.kind === 'k8s.object')).toBe(true);
  });

  it('flattens the Cluster spec under dotted paths with typed values', () => {
    const c = byName(run, 'edge-1');
    expect(c.fields).toMatchObject({
      apiVersion: 'baremetal.cluster.gke.io/v1', objectKind: 'Cluster', namespace: 'cluster-edge-1',
      'spec.type': 'hybrid',
      'spec.anthosBareMetalVersion': '1.8.2',
      'spec.clusterNetwork.multipleNetworkInterfaces': true,
      'spec.clusterNetwork.pods.cidrBlocks.0': '192.168.0.0/16',
      'spec.clusterNetwork.services.cidrBlocks.0': '10.96.0.0/20',
      'spec.loadBalancer.mode': 'bundled',
      'spec.loadBalancer.ports.controlPlaneLBPort': 443,
      'spec.loadBalancer.addressPools.0.addresses.0': '10.200.0.50-10.200.0.70',
      'spec.proxy.url': 'http://proxy.corp.example:3128',
      'spec.proxy.noProxy.2': '10.200.0.0/24',
      'spec.nodeConfig.containerRuntime': 'containerd',
      'spec.nodeAccess.loginUser': 'abm',
      'spec.controlPlane.nodePoolSpec.nodes.0.address': '10.200.0.3',
    });
    expect(c.fields.kind).toBeUndefined();
    expect(c.line).toBe(19);
    expect(c.endLine).toBe(129);
  });

  it('records the cluster facts', () => {
    const facts = Object.fromEntries(run.facts.map((f) => [f.name, f.value]));
    expect(facts).toEqual({
      'cluster.name': 'edge-1', 'anthos-bare-metal': '1.8.2', 'pod.cidr': '192.168.0.0/16',
      'service.cidr': '10.96.0.0/20', 'container-runtime': 'containerd',
    });
    expect(run.facts.every((f) => f.line === 19)).toBe(true);
  });

  it('detects the config by path and content', () => {
    const text = fixture('abm-1.8-cluster.yaml');
    expect(k8sObjects.detect(probeFor('bmctl-workspace/edge-1/edge-1.yaml', text))).toBe(1);
    expect(k8sObjects.detect(probeFor('notes', text))).toBe(0.8);
  });
});

describe('k8s-objects: kubectl get -o yaml / -o json', () => {
  it('reads a ConfigMap: data keys kept whole, managedFields skipped, last-applied kept', () => {
    const run = runParser(k8sObjects, fixture('cilium-config.yaml'), 'kubectl get cm cilium-config -n kube-system -o yaml');
    expect(run.events).toHaveLength(1);
    const e = run.events[0];
    expect(e.fields).toMatchObject({
      objectKind: 'ConfigMap', name: 'cilium-config', namespace: 'kube-system',
      'data.kube-proxy-replacement': 'strict', 'data.tunnel': 'vxlan', 'data.debug': 'false',
      'data.bpf-map-dynamic-size-ratio': '0.0025', 'metadata.resourceVersion': '1534',
    });
    expect(Object.keys(e.fields).some((k) => k.includes('managedFields'))).toBe(false);
    expect(e.fields['metadata.annotations.kubectl.kubernetes.io/last-applied-configuration']).toContain('"kube-proxy-replacement":"strict"');
    expect(e.source).toBe('kubectl');
    expect(e.text).toBe('ConfigMap kube-system/cilium-config');
  });

  it('splits a JSON List into its entries with their own line ranges and derived fields', () => {
    const run = runParser(k8sObjects, fixture('services-all-namespaces.json'), 'kubectl get svc -A -o json');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(2);
    const lb = byName(run, 'istio-ingress');
    expect(lb.fields).toMatchObject({
      objectKind: 'Service', namespace: 'gke-system', 'spec.externalTrafficPolicy': 'Local', 'spec.type': 'LoadBalancer',
      'spec.ports.1.nodePort': 30443, 'status.loadBalancer.ingress.0.ip': '10.200.0.50', ports: 2,
      'metadata.annotations.description': 'ingress gateway; "quoted" {braces} [and] brackets',
    });
    expect([lb.line, lb.endLine]).toEqual([31, 72]);
    expect(byName(run, 'kubernetes')).toMatchObject({ line: 4, endLine: 30, fields: { ports: 1, 'spec.ports.0.targetPort': 6444 } });
  });

  it('reads multi-document YAML: NetworkPolicy endPort, EgressNATPolicy source IPs, maintenance annotation', () => {
    const run = runParser(k8sObjects, fixture('network-objects.yaml'), 'kubectl get networkpolicies,egressnatpolicies,baremetalmachines -A -o yaml');
    expect(run.events.map((e) => e.fields.objectKind)).toEqual(['NetworkPolicy', 'EgressNATPolicy', 'EgressNATPolicy', 'BareMetalMachine']);
    expect(byName(run, 'allow-port-range').fields).toMatchObject({ 'spec.ingress.0.ports.0.endPort': 32768, 'spec.ingress.0.ports.0.port': 32000 });
    const egress = run.events.filter((e) => e.fields.objectKind === 'EgressNATPolicy').map((e) => e.fields['spec.egressSourceIP']);
    expect(egress).toEqual(['10.200.0.60', '10.200.0.60']);
    const bmm = byName(run, '10.200.0.4');
    expect(bmm.fields['metadata.annotations.baremetal.cluster.gke.io/maintenance-mode-duration']).toBe('1h0m0s');
    expect(bmm.fields['metadata.annotations.baremetal.cluster.gke.io/upgrade-from-version']).toBe('1.8.2');
    expect(bmm.fields['metadata.labels.baremetal.cluster.gke.io/cluster']).toBe('edge-1');
  });

  it('derives pod conveniences and puts each pod on its node', () => {
    const run = runParser(k8sObjects, fixture('pods-all-namespaces.yaml'), 'kubectl get pods -A -o yaml');
    expect(run.events).toHaveLength(2);
    const agent = byName(run, 'gke-connect-agent-20210615-7f9d8c6b5-x2k4j');
    expect(agent.fields).toMatchObject({
      terminating: false, restartCount: 18, oomKilled: true, memoryLimit: 128 * 1024 * 1024,
      'status.containerStatuses.0.state.waiting.reason': 'CrashLoopBackOff', 'status.phase': 'Running',
    });
    expect(agent.node).toBe('node-2');
    expect([agent.line, agent.endLine]).toEqual([3, 49]);
    const nfs = byName(run, 'nfs-client-6d5f7c8b9-abcde');
    expect(nfs.fields).toMatchObject({ terminating: true, restartCount: 0, oomKilled: false, 'metadata.deletionTimestamp': '2021-06-15T12:00:00Z' });
    expect(nfs.fields.memoryLimit).toBeUndefined();
  });

  it('records node facts from a Node object: roles from node-role labels, the InternalIP, versions', () => {
    const run = runParser(k8sObjects, fixture('nodes.json'), 'kubectl get node node-1 -o json');
    expect(run.events[0].node).toBe('node-1');
    expect(run.events[0].fields['spec.unschedulable']).toBe(true);
    const facts = run.facts.map((f) => `${f.name}=${f.value}@${f.node}`);
    expect(facts).toEqual([
      'node=node-1@node-1', 'node.role=control-plane@node-1', 'node.role=master@node-1', 'node.ip=10.200.0.4@node-1',
      'kubelet=v1.20.8-gke.1500@node-1', 'kubernetes=v1.20.8-gke.1500@node-1', 'kube-proxy=v1.20.8-gke.1500@node-1',
      'kernel=4.15.0-144-generic@node-1', 'os.name=Ubuntu 18.04.5 LTS@node-1',
      'container-runtime=containerd://1.4.6@node-1', 'containerd=1.4.6@node-1',
    ]);
  });

  it('detects kubectl structured output by name and content', () => {
    const yaml = fixture('pods-all-namespaces.yaml');
    expect(k8sObjects.detect(probeFor('kubectl get pods -A -o yaml', yaml))).toBe(1);
    expect(k8sObjects.detect(probeFor('kubectl_get_svc_-A_-o_json', fixture('services-all-namespaces.json')))).toBe(1);
    expect(k8sObjects.detect(probeFor('some-file', yaml))).toBe(0.8);
    expect(k8sObjects.detect(probeFor('kubectl get pods -o yaml', 'error: You must be logged in to the server (Unauthorized)\n'))).toBe(0.5);
    expect(k8sObjects.detect(probeFor('snapshot-config.yaml', 'numOfParallelThreads: 10\nexcludeWords:\n- password\n'))).toBe(0);
    expect(k8sObjects.detect(probeFor('kubectl get pods -o wide', 'NAME   READY   STATUS\n'))).toBe(0);
  });
});

describe('k8s-objects: secrets', () => {
  const run = runParser(k8sObjects, fixture('secret-and-kubeconfig.yaml'), 'kubectl get secret,cm,clientconfig -A -o yaml');

  it('never emits Secret values, only key names with their size', () => {
    const secret = byName(run, 'db-creds');
    expect(secret.fields).toMatchObject({
      'data.password': '[REDACTED 15 bytes]', 'data.username': '[REDACTED 5 bytes]',
      'stringData.api-token': '[REDACTED 17 bytes]', type: 'Opaque',
    });
    expect(secret.fields['metadata.annotations.kubectl.kubernetes.io/last-applied-configuration']).toMatch(/^\[REDACTED \d+ bytes\]$/);
    const all = JSON.stringify(run.events);
    for (const leaked of ['czNjcjN0LXA0c3N3MHJk', 's3cr3t-p4ssw0rd', 'YWRtaW4=', 'plain-t0ken-value', 'UzNDUjNUS0VZREFUQQ==', 'cl13nt-s3cr3t']) {
      expect(all).not.toContain(leaked);
    }
  });

  it('does not quote a broken Secret in its warning', () => {
    const yaml = runParser(k8sObjects, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: [czNjcjN0LXA0c3N3MHJk\n', 'x.yaml');
    const json = runParser(k8sObjects, '{"apiVersion": "v1", "kind": "Secret", "data": {"password": czNjcjN0LXA0c3N3MHJk}}\n', 'x.json');
    for (const r of [yaml, json]) {
      expect(r.events).toHaveLength(0);
      expect(r.warnings).toHaveLength(1);
      expect(JSON.stringify(r.warnings)).not.toContain('czNjcjN0');
    }
  });

  it('redacts kubeconfig-looking values and credential keys in other objects', () => {
    expect(byName(run, 'user-kubeconfig').fields['data.kubeconfig']).toMatch(/^\[REDACTED \d+ bytes\]$/);
    const cc = byName(run, 'default');
    expect(cc.fields['spec.authentication.0.oidc.clientSecret']).toBe('[REDACTED 13 bytes]');
    expect(cc.fields['spec.authentication.0.oidc.clientID']).toBe('kube');
    // Certificate data keeps a fingerprint so two copies can be compared.
    expect(cc.fields['spec.certificateAuthorityData']).toMatch(/^\[REDACTED 36 bytes sha256:[0-9a-f]{16}\]$/);
  });
});

describe('k8s-objects: broken and hostile input', () => {
  it('skips an invalid YAML document in the middle with a warning at its line, keeping the others', () => {
    const text = [
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: first', '---',
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: [broken', '  labels: {a: 1', '---',
      'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: third', '',
    ].join('\n');
    const run = runParser(k8sObjects, text, 'objects.yaml');
    expect(run.events.map((e) => e.fields.name)).toEqual(['first', 'third']);
    expect(run.events[1].line).toBe(12);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatchObject({ code: 'k8s-objects.bad-yaml' });
    expect(run.warnings[0].line).toBeGreaterThanOrEqual(9);
    expect(run.warnings[0].line).toBeLessThanOrEqual(10);
  });

  it('keeps the complete entries of a truncated JSON List and warns about the cut', () => {
    const full = fixture('services-all-namespaces.json').split('\n');
    const cut = full.slice(0, 40).join('\n');
    const run = runParser(k8sObjects, cut, 'kubectl get svc -A -o json');
    expect(run.events.map((e) => e.fields.name)).toEqual(['kubernetes']);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['k8s-objects.truncated', 31], ['k8s-objects.truncated', 1]]);
  });

  it('warns on a malformed JSON entry at its line and reads the next one', () => {
    const text = '{"kind":"List","apiVersion":"v1","items":[\n{"kind":"Pod","apiVersion":"v1","metadata":{"name":"a"}},\n{"kind":"Pod",\n "metadata": {"name": nope}},\n{"kind":"Pod","apiVersion":"v1","metadata":{"name":"c"}}\n]}\n';
    const run = runParser(k8sObjects, text, 'x.json');
    expect(run.events.map((e) => e.fields.name)).toEqual(['a', 'c']);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatchObject({ code: 'k8s-objects.bad-json', line: 4 });
  });

  it('survives binary bytes and stray text without throwing', () => {
    const bin = '\u0000\u0001\u00ff\ufffd\u0007garbage\n{"kind":"Pod","apiVersion":"v1","metadata":{"name":"ok"}}\n\u0000\u0000\n';
    const run = runParser(k8sObjects, bin, 'x.json');
    expect(run.events.map((e) => e.fields.name)).toEqual(['ok']);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['k8s-objects.stray-text', 1], ['k8s-objects.stray-text', 3]]);
    const yamlBin = runParser(k8sObjects, 'kind: Pod\napiVersion: v1\nmetadata:\n  name: x\n\u0000\u0001: [\u00ff\n', 'x.yaml');
    expect(yamlBin.events).toHaveLength(0);
    expect(yamlBin.warnings[0].code).toBe('k8s-objects.bad-yaml');
  });

  it('caps the leaves of a huge object and the length of a huge value', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: huge', 'data:'];
    for (let i = 0; i < 1000; i++) lines.push(`  key${i}: value${i}`);
    lines.push(`  big: ${'x'.repeat(10_000)}`);
    const run = runParser(k8sObjects, lines.join('\n'), 'x.yaml');
    const f = run.events[0].fields;
    expect(Object.keys(f).filter((k) => k.startsWith('data.')).length).toBe(400 - 1);
    expect(f.leavesDropped).toBe(602);
    expect(f.name).toBe('huge');
    const long = runParser(k8sObjects, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\ndata:\n  big: ${'x'.repeat(10_000)}\n`, 'x.yaml');
    expect(String(long.events[0].fields['data.big']).length).toBe(4097);
  });

  it('splits a YAML List by entries so each is parsed alone (a bad entry costs only itself)', () => {
    const text = 'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: [b\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: c\nkind: List\nmetadata:\n  resourceVersion: ""\n';
    const run = runParser(k8sObjects, text, 'kubectl get pods -o yaml');
    expect(run.events.map((e) => [e.fields.name, e.line, e.endLine])).toEqual([['a', 3, 6], ['c', 11, 14]]);
    expect(run.warnings).toEqual([expect.objectContaining({ code: 'k8s-objects.bad-yaml', line: 10 })]);
  });

  it('drops a document larger than the cap without holding it', async () => {
    const { YamlSplitter } = await import('./split.js');
    const units: number[] = [];
    const dropped: [string, number][] = [];
    const s = new YamlSplitter({ unit: (u) => units.push(u.lineNos[0]), dropped: (c, l) => dropped.push([c, l]) }, 100);
    ['a: 1', '---', `b: ${'x'.repeat(200)}`, 'c: 2', '---', 'd: 3'].forEach((l, i) => s.line(l, i + 1));
    s.end();
    expect(units).toEqual([1, 6]);
    expect(dropped).toEqual([['k8s-objects.too-large', 3]]);
  });
});

describe('quantities', () => {
  it('parses binary and decimal suffixes', () => {
    expect(parseQuantity('256Mi')).toBe(268435456);
    expect(parseQuantity('1Gi')).toBe(1073741824);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('512Ki')).toBe(524288);
    expect(parseQuantity('100m')).toBe(0);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('lots')).toBeUndefined();
  });
});
