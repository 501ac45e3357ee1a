import { describe, expect, it } from 'vitest';
import { HEADER, ev, log, run, sig } from './helpers.js';

const T0 = Date.UTC(2024, 2, 5, 4, 0, 0);
const min = 60_000;

const stale = sig(`${HEADER('stale')}
  affects kube-proxy >= 1.13.0 < 1.13.2
  fixed kube-proxy 1.13.2
  evidence empty weight 3 from ipvs.service where realServers == 0
  evidence stuck weight 2 from log where source == "kube-proxy" and message ~ /Trying to delete rs: / count >= 3 span >= 10m
  evidence progress from log where source == "kube-proxy" and message ~ /Deleting rs: /
  condition per node empty and stuck and not progress
end`, 'stale.sig');

function stuckLines(node: string, n: number, every = 60_000) {
  return Array.from({ length: n }, (_, i) => log('kube-proxy', `Trying to delete rs: 10.96.0.1:443/TCP/10.0.0.${i}:6443`, { node, time: T0 + i * every }));
}

describe('conditions per node, windows and absence', () => {
  it('confirms when every clause holds on one node and the version is affected', () => {
    const out = run([stale], [
      ev('ipvs.service', 'ipvsadm', { realServers: 0, address: '10.98.205.56:5473' }, { node: 'n1' }),
      ...stuckLines('n1', 12),
      ev('ipvs.service', 'ipvsadm', { realServers: 2 }, { node: 'n2' }),
    ], [['kube-proxy', 'v1.13.0']]);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ id: 'stale', confidence: 'confirmed', nodes: ['n1'] });
    expect(out.findings[0].versions[0]).toMatchObject({ component: 'kube-proxy', verdict: 'affected' });
    expect(out.findings[0].score).toBeGreaterThan(0.9);
  });
  it('does not combine clauses from different nodes', () => {
    const out = run([stale], [ev('ipvs.service', 'ipvsadm', { realServers: 0 }, { node: 'n1' }), ...stuckLines('n2', 12)], [['kube-proxy', 'v1.13.0']]);
    expect(out.findings[0].confidence).toBe('possible');
  });
  it('is silenced by the absent clause when progress is logged on the same node', () => {
    const out = run([stale], [
      ev('ipvs.service', 'ipvsadm', { realServers: 0 }, { node: 'n1' }),
      ...stuckLines('n1', 12),
      log('kube-proxy', 'Deleting rs: 10.96.0.1:443/TCP/10.0.0.1:6443', { node: 'n1', time: T0 }),
    ], [['kube-proxy', 'v1.13.0']]);
    expect(out.findings[0]?.confidence).not.toBe('confirmed');
  });
  it('orders clauses in time: progress before the loop began does not rule it out, progress after it does', () => {
    const after = sig(`${HEADER('ordered')}
  evidence stuck from log where message ~ /Trying to delete rs: / count >= 3
  evidence progress from log where message ~ /Deleting rs: /
  condition per node stuck and not (progress after stuck)
end`, 'ordered.sig');
    const before = [log('kube-proxy', 'Deleting rs: x', { node: 'n1', time: T0 - 5 * min }), ...stuckLines('n1', 5)];
    expect(run([after], before).findings[0].confidence).toBe('confirmed');
    const later = [...stuckLines('n1', 5), log('kube-proxy', 'Deleting rs: x', { node: 'n1', time: T0 + 30 * min })];
    expect(run([after], later).findings[0]?.confidence).not.toBe('confirmed');
  });
  it('requires the span: three lines within a minute are not a stuck loop', () => {
    const out = run([stale], [ev('ipvs.service', 'ipvsadm', { realServers: 0 }, { node: 'n1' }), ...stuckLines('n1', 5, 1000)], [['kube-proxy', 'v1.13.0']]);
    expect(out.findings[0].confidence).toBe('possible');
    expect(out.findings[0].missing.map((m) => m.clause)).toEqual(['stuck']);
  });
  it('checks `count within` on a sliding window', () => {
    const burst = sig(`${HEADER('burst')}
  evidence e from log where message ~ /conn refused/ count >= 3 within 5m
end`, 'burst.sig');
    const spread = [0, 10, 20, 30].map((m) => log('x', 'conn refused', { time: T0 + m * min }));
    expect(run([burst], spread).findings).toEqual([]);
    const dense = [0, 10, 11, 12].map((m) => log('x', 'conn refused', { time: T0 + m * min }));
    expect(run([burst], dense).findings[0].confidence).toBe('confirmed');
  });
  it('places pod-log evidence on the node kubectl says the pod runs on', () => {
    const out = run([stale], [
      ev('ipvs.service', 'ipvsadm', { realServers: 0 }, { node: '10.200.0.9' }),
      ...stuckLines('x', 12).map((e) => ({ ...e, node: undefined, pod: 'kube-proxy-87b8t' })),
      ev('k8s.row', 'kubectl', { resource: 'pods', name: 'kube-proxy-87b8t', node: '10.200.0.9' }),
    ], [['kube-proxy', 'v1.13.0']]);
    expect(out.findings[0]).toMatchObject({ confidence: 'confirmed', nodes: ['10.200.0.9'] });
  });
  it('maps Kubernetes node names to the addresses snapshot folders use', () => {
    const out = run([stale], [
      ev('ipvs.service', 'ipvsadm', { realServers: 0 }, { node: '10.200.0.9' }),
      ...stuckLines('x', 12).map((e) => ({ ...e, node: undefined, pod: 'kube-proxy-87b8t' })),
      ev('k8s.row', 'kubectl', { resource: 'pods', name: 'kube-proxy-87b8t', node: 'edge-worker-2' }),
      ev('k8s.row', 'kubectl', { resource: 'nodes', name: 'edge-worker-2', 'internal-ip': '10.200.0.9' }),
    ], [['kube-proxy', 'v1.13.0']]);
    expect(out.findings[0]).toMatchObject({ confidence: 'confirmed', nodes: ['10.200.0.9'] });
    expect(out.findings[0].clauses.find((c) => c.name === 'stuck')!.nodes).toEqual(['10.200.0.9']);
  });
});

describe('versions', () => {
  const events = () => [ev('ipvs.service', 'ipvsadm', { realServers: 0 }, { node: 'n1' }), ...stuckLines('n1', 12)];
  it('rules out a finding when the bundle carries the fix, with the reason', () => {
    const f = run([stale], events(), [['kube-proxy', 'v1.13.2']]).findings[0];
    expect(f.confidence).toBe('ruled-out');
    expect(f.reason).toBe('kube-proxy v1.13.2 carries the fix (fixed in 1.13.2)');
  });
  it('rules out a version outside the affected range', () => {
    expect(run([stale], events(), [['kube-proxy', 'v1.10.0']]).findings[0].reason).toBe('kube-proxy v1.10.0 is outside the affected range (>= 1.13.0 < 1.13.2)');
  });
  it('confirms with a lower score when the version is unknown', () => {
    const known = run([stale], events(), [['kube-proxy', 'v1.13.0']]).findings[0];
    const unknown = run([stale], events()).findings[0];
    expect(unknown.confidence).toBe('confirmed');
    expect(unknown.score).toBeLessThan(known.score);
    expect(unknown.versions[0].verdict).toBe('unknown');
  });
  it('is affected when any node runs an affected version', () => {
    expect(run([stale], events(), [['kube-proxy', 'v1.13.2', 'n2'], ['kube-proxy', 'v1.13.0', 'n1']]).findings[0].confidence).toBe('confirmed');
  });
});

describe('joins', () => {
  const shim = sig(`${HEADER('shim')}
  evidence bind from log where message ~ /bind: address already in use/i
  evidence orphan from process where comm == "docker-containerd-shim" and containerId not in known.id
  evidence known from container where id exists
  condition per node bind and orphan
end`, 'shim.sig');
  const base = () => [
    log('app', 'listen tcp :8080: bind: address already in use', { node: 'n1' }),
    ev('process', 'ps', { comm: 'docker-containerd-shim', containerId: 'aaa' }, { node: 'n1' }),
    ev('process', 'ps', { comm: 'docker-containerd-shim', containerId: 'bbb' }, { node: 'n1' }),
    ev('container', 'docker', { id: 'bbb' }, { node: 'n1' }),
  ];
  it('keeps only values absent from the other clause (`not in`)', () => {
    const f = run([shim], base()).findings[0];
    expect(f.confidence).toBe('confirmed');
    const orphan = f.clauses.find((c) => c.name === 'orphan')!;
    expect(orphan.count).toBe(1);
  });
  it('stays silent when every shim belongs to a known container', () => {
    const out = run([shim], [...base(), ev('container', 'docker', { id: 'aaa' }, { node: 'n1' })]);
    expect(out.findings[0]?.confidence).not.toBe('confirmed');
  });
  it('joins per node for per-node signatures', () => {
    // `aaa` is known, but on another node: on n1 it is still an orphan.
    const out = run([shim], [...base(), ev('container', 'docker', { id: 'aaa' }, { node: 'n2' })]);
    expect(out.findings[0].confidence).toBe('confirmed');
  });
});

describe('ranking', () => {
  const confirmedSig = sig(`${HEADER('a-confirmed')}
  evidence e from log where message ~ /disk on fire/
end`, 'a-confirmed.sig');
  const possibleSig = sig(`${HEADER('b-possible')}
  evidence one weight 2 from log where message ~ /first symptom/
  evidence two from log where message ~ /second symptom/
end`, 'b-possible.sig');
  const advisorySig = sig(`${HEADER('c-advisory', 'advisory')}
  affects kube-proxy < 1.20.0
end`, 'c-advisory.sig');

  it('orders confirmed, then possible, then advisory, and lists what is missing', () => {
    const out = run([advisorySig, possibleSig, confirmedSig], [log('x', 'the disk on fire'), log('x', 'a first symptom')], [['kube-proxy', '1.13.0']]);
    expect(out.findings.map((f) => [f.id, f.confidence])).toEqual([['a-confirmed', 'confirmed'], ['b-possible', 'possible'], ['c-advisory', 'advisory']]);
    expect(out.findings[1].missing).toEqual([{ clause: 'two', description: undefined, needs: 'log events', inputPresent: true }]);
  });
  it('reports no advisory on version alone when the version is unknown, and records why in the coverage', () => {
    const out = run([advisorySig], []);
    expect(out.findings).toEqual([]);
    expect(out.coverage).toEqual([{ id: 'c-advisory', status: 'skipped', missingInputs: ['kube-proxy version'], truncatedInputs: [] }]);
  });
  it('does not report partial evidence below half the weight', () => {
    const out = run([possibleSig], [log('x', 'a second symptom')]);
    expect(out.findings).toEqual([]);
  });
  it('ties are broken by id, so output is stable', () => {
    const s1 = sig(`${HEADER('zz')}\n  evidence e from log where message ~ /same thing/\nend`, 'zz.sig');
    const s2 = sig(`${HEADER('aa')}\n  evidence e from log where message ~ /same thing/\nend`, 'aa.sig');
    expect(run([s1, s2], [log('x', 'same thing')]).findings.map((f) => f.id)).toEqual(['aa', 'zz']);
  });
});

describe('benign signatures', () => {
  const benign = sig(`signature webhook-retry-benign
  title "b" kind benign severity info component install
  explanation "e" remediation "none"
  evidence e from log where message ~ /failed calling webhook/
end`, 'webhook-retry-benign.sig');
  const generic = sig(`${HEADER('generic-conn-refused')}
  evidence e from log where message ~ /connection refused/ count >= 3
end`, 'generic-conn-refused.sig');
  const lines = [1, 2, 3].map((i) => log('kube-apiserver', `failed calling webhook "x.io": dial tcp 10.0.0.${i}:443: connect: connection refused`));

  it('claims its lines so generic signatures do not see them', () => {
    const out = run([generic, benign], lines);
    expect(out.findings.map((f) => [f.id, f.confidence])).toEqual([['webhook-retry-benign', 'benign']]);
    expect(out.matcher.benignConsumed).toBe(3);
  });
  it('leaves other lines to the generic signature', () => {
    const out = run([generic, benign], [1, 2, 3].map(() => log('x', 'dial tcp: connect: connection refused')));
    expect(out.findings[0]).toMatchObject({ id: 'generic-conn-refused', confidence: 'confirmed' });
  });
});

describe('coverage ledger', () => {
  it('says which inputs were missing for a signature', () => {
    const out = run([stale], [...stuckLines('n1', 12), ...Array.from({ length: 50 }, (_, i) => log('kubelet', `line ${i}`))]);
    expect(out.coverage[0]).toEqual({ id: 'stale', status: 'partial', missingInputs: [expect.stringContaining('ipvsadm')], truncatedInputs: [] });
    expect(out.findings[0].missing[0]).toMatchObject({ clause: 'empty', inputPresent: false });
  });
  it('says a signature was skipped when none of its inputs exist', () => {
    expect(run([stale], [log('kubelet', 'hello')]).coverage[0].status).toBe('skipped');
  });
});

describe('explanations', () => {
  it('fills templates with counts, nodes, spans, values and versions', () => {
    const s = sig(`${HEADER('tpl')}
  evidence stuck from log where source == "kube-proxy" and message ~ /Trying to delete rs: / count >= 3
  evidence empty from ipvs.service where realServers == 0
end`.replace('explanation "e"', 'explanation "{empty.count} empty ({empty.address}); {stuck.count}x over {stuck.span} on {stuck.nodes}; kube-proxy {version.kube-proxy}"'), 'tpl.sig');
    const out = run([s], [...stuckLines('n1', 11), ev('ipvs.service', 'ipvsadm', { realServers: 0, address: '10.1.1.1:53' }, { node: 'n1' })], [['kube-proxy', 'v1.13.0']]);
    expect(out.findings[0].explanation).toBe('1 empty (10.1.1.1:53); 11x over 10m on n1; kube-proxy v1.13.0');
  });
});

describe('benign claims are provisional', () => {
  const benign = sig(`signature pull-retry-benign
  title "b" kind benign severity info component kubelet
  explanation "e" remediation "none"
  evidence backoff from log where message ~ /Back-off pulling image/
  evidence pulled from log where message ~ /Successfully pulled image/
  condition per node backoff and pulled after backoff
end`, 'pull-retry-benign.sig');
  const stuck = sig(`${HEADER('image-missing')}
  evidence backoff from log where message ~ /Back-off pulling image/ count >= 3
end`, 'image-missing.sig');
  const backoffs = (node: string) => [0, 1, 2].map((i) => log('kubelet', 'Back-off pulling image "registry/x:1"', { node, time: T0 + i * min }));

  it('keeps the lines away from other signatures when the benign signature holds', () => {
    const out = run([stuck, benign], [...backoffs('n1'), log('kubelet', 'Successfully pulled image "registry/x:1"', { node: 'n1', time: T0 + 5 * min })]);
    expect(out.findings.map((f) => [f.id, f.confidence])).toEqual([['pull-retry-benign', 'benign']]);
  });
  it('gives them back when it does not hold (the pull never succeeded)', () => {
    const out = run([stuck, benign], backoffs('n1'));
    expect(out.findings.map((f) => [f.id, f.confidence])).toEqual([['image-missing', 'confirmed']]);
  });
  it('decides per node for per-node benign signatures', () => {
    const out = run([stuck, benign], [...backoffs('n1'), log('kubelet', 'Successfully pulled image "registry/x:1"', { node: 'n1', time: T0 + 5 * min }), ...backoffs('n2')]);
    expect(out.findings.find((f) => f.id === 'image-missing')).toMatchObject({ confidence: 'confirmed', nodes: ['n2'] });
  });
});

describe('wildcard field paths', () => {
  const policy = (fields: Record<string, string | number>) => ev('k8s.object', 'kubectl', { objectKind: 'NetworkPolicy', ...fields }, { node: 'n1' });
  const ranged = sig(`${HEADER('ranged')}
  evidence endport from k8s.object where objectKind == "NetworkPolicy" and "spec.*.*.ports.*.endPort" exists
  condition endport
end`, 'ranged.sig');
  const noRange = sig(`${HEADER('no-range')}
  evidence plain from k8s.object where objectKind == "NetworkPolicy" and "spec.*.*.ports.*.endPort" not exists
  condition plain
end`, 'no-range.sig');
  const bigPort = sig(`${HEADER('big-port')}
  evidence big from k8s.object where "spec.ingress.*.ports.*.port" > 30000
  condition big
end`, 'big-port.sig');

  it('matches a field at any list index or key, however deep', () => {
    const deep = policy({ 'spec.egress.3.ports.7.endPort': 32010, 'spec.egress.3.ports.7.port': 32000 });
    expect(run([ranged], [deep]).findings.map((f) => f.confidence)).toEqual(['confirmed']);
    expect(run([ranged], [policy({ 'spec.ingress.0.ports.0.port': 80 })]).findings).toEqual([]);
  });
  it('holds a negated predicate only when no matching field satisfies the positive one', () => {
    expect(run([noRange], [policy({ 'spec.ingress.0.ports.0.port': 80 })]).findings.map((f) => f.confidence)).toEqual(['confirmed']);
    expect(run([noRange], [policy({ 'spec.ingress.0.ports.0.port': 80, 'spec.ingress.1.ports.2.endPort': 90 })]).findings).toEqual([]);
  });
  it('compares any of the values it matches, and a star stands for one path segment only', () => {
    expect(run([bigPort], [policy({ 'spec.ingress.0.ports.0.port': 80, 'spec.ingress.2.ports.1.port': 32000 })]).findings).toHaveLength(1);
    expect(run([bigPort], [policy({ 'spec.ingress.0.ports.0.port': 80, 'spec.ingress.0.from.0.ports.1.port': 32000 })]).findings).toEqual([]);
  });
});
