import { describe, expect, it } from 'vitest';
import { loadSignatureText } from '../src/dsl/load-text.js';
import { formatDiagnostic } from '../src/dsl/diagnostics.js';
import { compileSignatures } from '../src/match/compile.js';
import { HEADER, sig } from './helpers.js';

function problems(text: string, file = 'x.sig'): string[] {
  return loadSignatureText(text, file).diagnostics.map((d) => `${d.line}:${d.column} ${d.code}: ${d.message}`);
}

describe('grammar', () => {
  it('reads every construct into the AST', () => {
    const s = sig(`# comment
signature all-constructs
  title "Every construct" kind issue severity medium component kube-proxy
  platforms anthos-bare-metal, gke
  references "kubernetes/kubernetes#71071", "https://example.com/x"
  affects kube-proxy >= 1.11.5 < 1.11.7, 1.13.0
  fixed kube-proxy 1.11.7, 1.13.2
  affects gke >= 1.22.0 < 1.25.6-gke.200
  evidence a "desc" weight 2.5 from log
    where source == "kube-proxy" and (message ~ /x y/ or message contains "abc") and not severity < warning
    count >= 3 within 10m span >= 1h30m needs "kube-proxy logs"
  evidence b from process where pid > 10 and state in ("D", "Z") and wchan not in ("-") and cgroup exists and comm !~ /^k/
    distinct pid >= 2
  evidence c from process where containerId not in d.address and args not contains "x" and user not exists
  evidence d from ipvs.realserver where weight == 1 and resolved == false
  condition per node (a or b) and not c and no d
  explanation """
    Two
      lines
    """
  remediation "fix"
  check "ps aux"
end`, 'all-constructs.sig');
    expect(s).toMatchObject({ id: 'all-constructs', kind: 'issue', severity: 'medium', perNode: true, platforms: ['anthos-bare-metal', 'gke'] });
    expect(s.affects[0].ranges.map((r) => r.text)).toEqual(['>= 1.11.5 < 1.11.7', '1.13.0']);
    expect(s.affects[1].ranges[0].bounds[1]).toEqual({ op: '<', version: '1.25.6-gke.200' });
    expect(s.fixed[0].versions).toEqual(['1.11.7', '1.13.2']);
    expect(s.evidence[0]).toMatchObject({ weight: 2.5, description: 'desc', needs: 'kube-proxy logs', agg: { count: { op: '>=', value: 3 }, within: { ms: 600000 }, span: { op: '>=', ms: 5400000 } } });
    expect(s.evidence[1].agg.distinct).toEqual({ field: 'pid', op: '>=', value: 2 });
    expect(s.explanation).toBe('Two\n  lines');
    expect(s.check).toBe('ps aux');
    const compiled = compileSignatures([s]);
    expect(compiled[0].sources).toEqual(new Set(['kube-proxy']));
    expect(compiled[0].prefilter).toEqual({ field: 'message', literals: ['x y', 'abc'], caseInsensitive: false });
    expect(compiled[2].join).toMatchObject({ negated: true, clause: 'd', otherField: 'address' });
    expect(compiled[3].trackFields).toEqual(['address']);
  });
});

describe('errors', () => {
  const base = (body: string, id = 'x') => `${HEADER(id)}\n${body}\nend\n`;

  it('reports syntax errors as file:line:col with expected and found, and a caret excerpt', () => {
    const text = 'signature x\n  title "a"\n  severity\n  evidence e from log where message ~ /abc\n  condition e and\nend\n';
    const { diagnostics } = loadSignatureText(text, 'x.sig');
    expect(diagnostics.map((d) => formatDiagnostic(d, text))).toEqual([
      "x.sig:4:3: error[syntax]: expected a name, found 'evidence'\n  |\n4 |   evidence e from log where message ~ /abc\n  |   ^^^^^^^^",
      "x.sig:4:39: error[syntax]: unexpected character '/' (unterminated regex?)\n  |\n4 |   evidence e from log where message ~ /abc\n  |                                       ^",
      "x.sig:4:40: error[syntax]: expected a /regex/, found 'abc'\n  |\n4 |   evidence e from log where message ~ /abc\n  |                                        ^^^",
      "x.sig:6:1: error[syntax]: expected 'not' or 'no' or '(' or a name, found 'end'\n  |\n6 | end\n  | ^^^",
    ]);
  });
  it('names an unknown event kind and lists the known ones', () => {
    expect(problems(base('  evidence e from logz where message ~ /abc/'))[0]).toMatch(/^4:3 unknown-kind: no parser emits events of kind 'logz'; known kinds: .*\bfact\b.*\blog\b/);
  });
  it('names an unknown field of a kind', () => {
    expect(problems(base('  evidence e from ipvs.service where realServerz == 0'))[0]).toMatch(/^4:38 unknown-field: events of kind 'ipvs.service' have no field 'realServerz'; fields: .*realServers/);
  });
  it('accepts a wildcard path only when it matches a field of the kind', () => {
    expect(problems(base('  evidence e from ipvs.service where "*" exists'))).toEqual([]);
    expect(problems(base('  evidence e from ipvs.service where "nosuch.*" exists'))[0]).toMatch(/^4:38 unknown-field: events of kind 'ipvs.service' have no field 'nosuch\.\*'/);
  });
  it('rejects unknown components, severities, kinds and platforms', () => {
    const text = `signature x\n  title "t" kind issu severity urgent component kube-proxi platforms mars references "r"\n  explanation "e" remediation "r"\n  evidence e from log where message ~ /abc/\nend\n`;
    expect(problems(text)).toEqual([
      "2:13 unknown-kind: unknown kind 'issu'; expected one of: issue, benign, advisory",
      "2:23 unknown-severity: unknown severity 'urgent'; expected one of: critical, high, medium, low, info",
      "2:39 unknown-component: unknown component 'kube-proxi'; expected one of: anetd, anthos-cluster-operator, bmctl, cilium, cluster-lifecycle, containerd, dataplane-v2, docker, egress-nat, gke-connect-agent, install, ip-masq-agent, kernel, kube-proxy, kubelet, load-balancer, logging, networking, node, os, runc, security, selinux, snapshot, storage, upgrade",
      "2:60 unknown-platforms: unknown platforms 'mars'; expected one of: anthos-bare-metal, gke, gke-on-vmware, kubernetes, any",
    ]);
  });
  it('rejects a regex that does not compile and one that can backtrack catastrophically', () => {
    expect(problems(base('  evidence e from log where message ~ /a(b/'))).toEqual([
      '4:29 bad-regex: regex does not compile: /a(b/: Unterminated group',
    ]);
    expect(problems(base('  evidence e from log where message ~ /(a+)+$/'))[0]).toMatch(/^4:29 bad-regex: regex has a quantified group containing a quantifier/);
  });
  it('rejects impossible version ranges and unknown version components', () => {
    expect(problems(base('  affects kube-proxy >= 1.13.2 < 1.13.0\n  evidence e from log where message ~ /abc/'))).toEqual([
      "4:3 impossible-range: version range '>= 1.13.2 < 1.13.0' of kube-proxy can never match",
    ]);
    expect(problems(base('  affects kube-proxi < 1.0.0\n  evidence e from log where message ~ /abc/'))[0]).toMatch(/^4:3 unknown-version-component: no version fact named 'kube-proxi'/);
  });
  it('rejects a condition naming an undeclared clause, duplicates, and an id that is not the file name', () => {
    expect(problems(base('  evidence e from log where message ~ /abc/\n  condition e and f'))).toEqual([
      "5:19 unknown-evidence: condition names 'f', which is not a declared evidence clause (declared: e)",
    ]);
    expect(problems(base('  evidence e from log where message ~ /abc/\n  evidence e from log where message ~ /abd/'))[0]).toBe("5:3 duplicate-evidence: evidence 'e' is declared twice");
    expect(problems(base('  evidence e from log where message ~ /abc/', 'y'))[0]).toBe("1:1 id-mismatch: signature id 'y' must equal the file name 'x'");
    expect(problems(`signature x\n  title "a" title "b"\nend\n`)[0]).toBe("2:13 duplicate-property: 'title' is already set at line 2");
  });
  it('requires the metadata a reader needs', () => {
    expect(problems('signature x\n  evidence e from log where message ~ /abc/\nend\n')).toEqual([
      "1:1 missing-property: signature 'x' has no 'title'",
      "1:1 missing-property: signature 'x' has no 'severity'",
      "1:1 missing-property: signature 'x' has no 'component'",
      "1:1 missing-property: signature 'x' has no 'explanation'",
      "1:1 missing-property: signature 'x' has no 'remediation'",
      "1:1 missing-property: signature 'x' has no 'references'",
    ]);
  });
  it('rejects joins against unknown clauses, self-joins and joins under or/not', () => {
    expect(problems(base('  evidence e from process where containerId in z.id'))[0]).toBe("4:33 unknown-evidence: 'z' is not a declared evidence clause");
    expect(problems(base('  evidence e from process where containerId in e.id'))[0]).toBe("4:33 self-join: evidence 'e' cannot join with itself");
    expect(problems(base('  evidence e from process where pid > 1 or containerId in d.id\n  evidence d from container'))[0]).toBe("4:3 join-not-top-level: the join in evidence 'e' must be a top-level 'and' term (not inside 'or' or 'not')");
  });
});
