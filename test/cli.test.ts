/**
 * End-to-end: the CLI on the shipped sample bundles, as a support engineer runs it. Needs the
 * build (dist/) and the sample bundles (node dist/samples/build.js); `npm test` does both.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BUNDLES, CLI, cli } from './support/cli.js';
import { corruptHeader, unpack } from './support/archives.js';

const IPVS = join(BUNDLES, 'ipvs-stale-rules.tar.gz');
const HEALTHY = join(BUNDLES, 'healthy.tar.gz');
const NESTED = join(BUNDLES, 'upload-nested.tgz');
const PLEG = join(BUNDLES, 'pleg-unhealthy-runc.tar.gz');
const FULL = join(BUNDLES, 'full-snapshot.tar.gz');
let tmp: string;

beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'kubesleuth-cli-')); });
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

describe('scan', () => {
  it('explains the IPVS snapshot: ranked table, evidence with file:line and node, versions, fix', () => {
    const r = cli(['scan', 'samples/bundles/ipvs-stale-rules.tar.gz']);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /│ \d+ +│/.test(l));
    expect(rows[0]).toMatch(/│ 1 +│ confirmed +│ [01]\.\d\d +│ kube-proxy-ipvs-stale-rules/);
    expect(r.stdout).toMatch(/nodes\/10\.200\.0\.9\/ipvsadm_-Ln:\d+ +\[10\.200\.0\.9\]/);
    expect(r.stdout).toMatch(/logs\/kube-system\/kube-proxy-\w+\/kube-proxy\.log:\d+/);
    expect(r.stdout).toContain('kube-proxy v1.13.0 is affected (fixed in 1.11.7 / 1.12.5 / 1.13.2)');
    expect(r.stdout).toMatch(/Fix\n +Upgrade kube-proxy to 1\.11\.7, 1\.12\.5, 1\.13\.2 or later/);
    expect(r.stdout).toMatch(/^coverage: \d+ signatures evaluated/m);
  });

  it('prints the same data as a versioned JSON document', () => {
    const r = cli(['scan', IPVS, '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.summary).toMatchObject({ snapshotKind: 'bmctl snapshot', cluster: 'prod-edge-1' });
    expect(doc.findings[0]).toMatchObject({ id: 'kube-proxy-ipvs-stale-rules', confidence: 'confirmed', nodes: ['10.200.0.9'] });
    const empty = doc.findings[0].clauses.find((c: { name: string }) => c.name === 'empty');
    expect(empty.examples[0].file).toMatch(/ipvs-stale-rules\.tar\.gz!\/snapshot-prod-edge-1-\d{8}T\d{6}Z\/nodes\/10\.200\.0\.9\/ipvsadm_-Ln$/);
    expect(doc.findings[0].versions[0]).toMatchObject({ component: 'kube-proxy', verdict: 'affected' });
    expect(doc.facts['kube-proxy'].map((f: { value: string }) => f.value)).toContain('v1.13.0');
    expect(doc.facts['snapshot.kind'].map((f: { value: string }) => f.value)).toEqual(['bmctl snapshot']);
    expect(new Set(doc.facts.gke.map((f: { value: string }) => f.value))).toEqual(new Set(['1.20.8-gke.1500']));
    expect(doc.coverage.length).toBeGreaterThan(0);
    // Ordered by rank.
    const ranks = doc.findings.map((f: { confidence: string }) => ['confirmed', 'possible', 'advisory'].indexOf(f.confidence));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  it('says no known issue matched on the healthy bundle, and what it looked at', () => {
    const r = cli(['scan', HEALTHY]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No known issue matched\. Looked at \d+ files \(\d+ events\) from 3 nodes/);
    expect(r.stdout).toMatch(/^coverage: /m);
    expect(r.stdout).not.toMatch(/│ confirmed/);
  });

  it('reads a snapshot nested inside an upload archive and cites the full address', () => {
    const doc = JSON.parse(cli(['scan', NESTED, '--format', 'json']).stdout);
    expect(doc.findings[0]).toMatchObject({ id: 'kube-proxy-ipvs-stale-rules', confidence: 'confirmed' });
    expect(doc.findings[0].clauses[0].examples[0].file).toMatch(/upload-nested\.tgz!\/prod-edge-1-cluster-snapshot-\d{8}T\d{6}Z\.tar\.gz!\/snapshot-prod-edge-1-/);
    expect(doc.inventory.some((f: { address: string }) => f.address.endsWith('!/notes.txt'))).toBe(true);
  });
  it('says when --node or a time filter narrowed the analysis, so missing inputs read as filtered', () => {
    const table = cli(['scan', IPVS, '--node', '10.200.0.3']).stdout;
    expect(table).toMatch(/Looked at \d+ files \((\d+) of (\d+) events, filtered to node 10\.200\.0\.3\)/);
    expect(table).toMatch(/^coverage: .*\(filtered to node 10\.200\.0\.3: \d+ of \d+ events kept; inputs outside the filter count as missing\)/m);
    const doc = JSON.parse(cli(['scan', IPVS, '--format', 'json', '--since', '2024-03-05T06:00:00Z']).stdout);
    expect(doc.summary.filter.description).toBe('since 2024-03-05T06:00:00.000Z');
    expect(doc.summary.filter.eventsKept).toBeGreaterThan(0);
    expect(doc.summary.filter.eventsKept).toBeLessThan(doc.summary.events);
    expect(JSON.parse(cli(['scan', IPVS, '--format', 'json']).stdout).summary.filter).toBeUndefined();
  });
  it('names every cluster of an upload that holds snapshots of several', () => {
    const first = cli(['scan', join(BUNDLES, 'two-clusters-upload.tgz')]).stdout.split('\n')[0];
    expect(first).toMatch(/ · clusters prod-edge-1, metro-ingest-3 · Anthos bare metal 1\.8\.2\/1\.9\.1 · /);
  });

  it('reads an unpacked folder, a single file and stdin', async () => {
    const dir = join(tmp, 'unpacked');
    await unpack(IPVS, dir);
    const fromDir = JSON.parse(cli(['scan', dir, '--format', 'json']).stdout);
    expect(fromDir.findings[0]).toMatchObject({ id: 'kube-proxy-ipvs-stale-rules', confidence: 'confirmed', nodes: ['10.200.0.9'] });

    const fromStdin = JSON.parse(cli(['scan', '-', '--format', 'json'], { input: readFileSync(IPVS) }).stdout);
    expect(fromStdin.findings[0]).toMatchObject({ id: 'kube-proxy-ipvs-stale-rules', confidence: 'confirmed' });
    expect(fromStdin.findings[0].clauses[0].examples[0].file).toMatch(/^stdin!\//);

    // One kube-proxy log alone: the loop is there, the IPVS table is not — possible, with what is missing.
    const logs = readdirSync(dir, { recursive: true }).map(String).filter((p) => /kube-proxy-\w+\/kube-proxy\.log$/.test(p));
    const tries = (p: string) => readFileSync(join(dir, p), 'utf8').split('Trying to delete rs').length;
    const log = logs.sort((a, b) => tries(b) - tries(a))[0]; // the stuck node's kube-proxy
    const single = JSON.parse(cli(['scan', join(dir, log), '--format', 'json']).stdout);
    const f = single.findings.find((x: { id: string }) => x.id === 'kube-proxy-ipvs-stale-rules');
    expect(f.confidence).toBe('possible');
    expect(f.missing).toContainEqual(expect.objectContaining({ clause: 'empty', inputPresent: false, needs: expect.stringContaining('ipvsadm -Ln') }));

    // The same log saved under a name that says nothing: its klog callers say kube-proxy.
    const renamed = join(tmp, 'ticket-attachment-2.txt');
    writeFileSync(renamed, readFileSync(join(dir, log)));
    const anonymous = JSON.parse(cli(['scan', renamed, '--format', 'json']).stdout);
    expect(anonymous.inventory[0]).toMatchObject({ parser: 'klog', component: 'kube-proxy' });
    expect(anonymous.findings.find((x: { id: string }) => x.id === 'kube-proxy-ipvs-stale-rules')?.confidence).toBe('possible');
  });

  it('warns about a corrupt member by name and still analyzes the rest', () => {
    const bad = join(tmp, 'corrupt.tar.gz');
    writeFileSync(bad, corruptHeader(IPVS, 'nodes/10.200.0.8/dmesg'));
    const r = cli(['scan', bad, '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.warnings).toContainEqual(expect.objectContaining({ code: 'corrupt-tar-header', message: expect.stringMatching(/corrupt tar header at byte \d+ .*skipped \d+ bytes to the next valid member/) }));
    expect(doc.findings[0]).toMatchObject({ id: 'kube-proxy-ipvs-stale-rules', confidence: 'confirmed' });
    expect(doc.inventory.some((f: { address: string }) => f.address.endsWith('nodes/10.200.0.9/ipvsadm_-Ln'))).toBe(true);
  });

  it('uses the documented exit codes', () => {
    const missing = cli(['scan', 'no/such/bundle.tgz']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kubesleuth: no such file or directory: no\/such\/bundle\.tgz\n/);
    expect(missing.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(cli(['scan', PLEG, '--fail-on', 'high']).code).toBe(1);
    expect(cli(['scan', PLEG, '--fail-on', 'critical']).code).toBe(0);
    expect(cli(['scan', PLEG, '--format', 'yaml']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
  });

  it('renders Markdown for a ticket', () => {
    const r = cli(['scan', PLEG, '--format', 'markdown']);
    expect(r.stdout).toMatch(/^## kubesleuth: /);
    expect(r.stdout).toMatch(/\| 1 \| confirmed \| [01]\.\d\d \| `pleg-unhealthy-runc` \|/);
    expect(r.stdout).toContain('**Fix**');
  });
});

describe('explain, signatures', () => {
  it('explains a known issue', () => {
    const r = cli(['explain', 'kube-proxy-ipvs-stale-rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^kube-proxy stopped updating IPVS rules/);
    expect(r.stdout).toContain('affects     kube-proxy >= 1.11.5 < 1.11.7, >= 1.12.2 < 1.12.5, >= 1.13.0 < 1.13.2');
    expect(r.stdout).toMatch(/Evidence \(all on the same node\)\n  empty — IPVS virtual services with no real servers \(weight 3\)\n    from ipvs.service where realServers == 0/);
    expect(r.stdout).not.toContain('versions    any release');
    expect(cli(['explain', 'no-such-issue']).code).toBe(2);
  });
  it('says a known issue without a version rule applies to any release', () => {
    const r = cli(['explain', 'conntrack-table-full']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^platforms   .*\nversions    any release: no version rule\n/m);
    expect(r.stdout).not.toMatch(/^(affects|fixed in) /m);
  });
  it('lints a broken user folder with file:line:col and lists by component', () => {
    const dir = join(tmp, 'sigs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mine.sig'), 'signature mine\n  title "x"\n  evidence e from lgo\nend\n');
    const r = cli(['signatures', 'lint', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${join(dir, 'mine.sig')}:3:3: error[unknown-kind]: no parser emits events of kind 'lgo'`);
    const list = cli(['signatures', 'list', '--component', 'runc']);
    expect(list.stdout).toContain('pleg-unhealthy-runc');
    expect(list.stdout).not.toContain('kube-proxy-ipvs-stale-rules');
  });
  it('scan loads a user folder next to the shipped one; a broken file is reported, --strict exits 2', () => {
    const dir = join(tmp, 'sigs2');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'broken.sig'), 'signature broken\n  title\nend\n');
    const lenient = cli(['scan', PLEG, '--signatures', dir]);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toMatch(/broken\.sig:3:1: error\[syntax\]: expected a "string", found 'end'/);
    expect(lenient.stdout).toContain('pleg-unhealthy-runc');
    expect(cli(['scan', PLEG, '--signatures', dir, '--strict']).code).toBe(2);
  });
});

describe('inventory and events', () => {
  it('leaves nothing in a snapshot with every file type not understood', () => {
    const r = cli(['inventory', FULL]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Not understood (0)');
    for (const parser of ['journal', 'klog', 'ps', 'ipvsadm', 'dmesg', 'sysctl', 'ethtool', 'mount', 'ip', 'iptables', 'conntrack', 'uname', 'os-release', 'containers', 'systemctl', 'versions', 'kubectl-table', 'k8s-objects', 'kubectl-describe', 'container-log', 'ansible', 'audit', 'command-error']) {
      expect(r.stdout, parser).toMatch(new RegExp(`│ ${parser} +│`));
    }
    // Each input kind reaches the parser meant for it, not merely some parser.
    const files: { address: string; parser?: string; events: number }[] = JSON.parse(cli(['inventory', FULL, '--json']).stdout).files;
    const parserOf = (suffix: string) => files.filter((f) => f.address.endsWith(suffix)).map((f) => `${f.parser}:${f.events > 0}`);
    expect(parserOf('/nodes/10.200.0.2/ip link')).toEqual(['ip:true']);
    expect(parserOf('/nodes/10.200.0.2/proc/mounts')).toEqual(['mount:true']);
    expect(parserOf('/nodes/10.200.0.2/dmesg -T')).toEqual(['dmesg:true']);
    expect(parserOf('/nodes/10.200.0.2/journalctl -k')).toEqual(['journal:true']);
    expect(parserOf('/nodes/10.200.0.2/docker ps -a')).toEqual(['command-error:true']);
    expect(parserOf('/kubectlCommands/kubectl get pods -A')).toEqual(['kubectl-table:true']);
    expect(parserOf('NODE:.spec.nodeName,PHASE:.status.phase')).toEqual(['kubectl-table:true']);
    expect(parserOf('/kubectl get nodes -o json')).toEqual(['k8s-objects:true']);
    expect(parserOf('baremetalmachines -A -o yaml')).toEqual(['k8s-objects:true']);
    expect(parserOf('clientconfigs -A -o yaml')).toEqual(['k8s-objects:true']);
    expect(parserOf('kubectl logs anthos-cluster-operator-6c9f7d8b5d-q2w7x -c manager')).toEqual(['klog:true']);
    const doc = JSON.parse(cli(['inventory', FULL, '--json']).stdout);
    expect(doc.facts['anthos-bare-metal'][0].value).toBe('1.8.2');
  });
  it('says what the bundle is and lists each node with its roles, address, OS, kernel and runtime', () => {
    const r = cli(['inventory', FULL]);
    expect(r.stdout.split('\n')[0]).toMatch(/: bmctl snapshot · cluster lab-core-3$/);
    expect(r.stdout).toMatch(/│ lab-core-3-cp-1 +│ 10\.200\.0\.2 +│ control-plane,master +│ 10\.200\.0\.2 +│ Ubuntu 20\.04\.2 LTS +│ 5\.8\.0-63-generic +│ containerd:\/\/1\.4\.6 +│ v1\.20\.8-gke\.1500 +│/);
    const doc = JSON.parse(cli(['inventory', FULL, '--json']).stdout);
    expect(doc.snapshotKind).toBe('bmctl snapshot');
    expect(doc.nodeTable.map((n: { name: string; folder?: string }) => `${n.name}@${n.folder}`)).toEqual([
      'lab-core-3-cp-1@10.200.0.2', 'lab-core-3-worker-1@10.200.0.4', 'lab-core-3-worker-2@10.200.0.8',
    ]);
  });
  it('lists what a snapshot lacks', () => {
    const dir = join(tmp, 'partial');
    mkdirSync(join(dir, "nodes/10.0.0.5"), { recursive: true });
    writeFileSync(join(dir, 'nodes/10.0.0.5/ps -edF'), 'UID          PID    PPID  C    SZ   RSS PSR STIME TTY          TIME CMD\nroot           1       0  0 41688 11396   0 08:01 ?        00:00:09 /sbin/init\n');
    const r = cli(['inventory', dir]);
    expect(r.stdout).toMatch(/Missing from this bundle \(\d+\)\n(.*\n)*  10\.0\.0\.5: iptables-save/);
    expect(r.stdout).toContain('  10.0.0.5: journalctl --utc -u kubelet');
  });
  it('merges every node and source into one time-ordered timeline', () => {
    const r = cli(['events', PLEG, '--format', 'timeline', '--grep', 'PLEG|NodeNotReady']);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    const times = lines.map((l) => l.slice(0, 24));
    expect([...times].sort()).toEqual(times);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z  10\.200\.0\.\d+ +kubelet +/);
  });
  it('merges every node\'s sources of the full snapshot into one timeline, pod logs and kubectl rows on their node', () => {
    const r = cli(['events', FULL, '--format', 'timeline']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => {
      const m = /^(\S+) +(\S+) +(\S+)  /.exec(l);
      return { time: m?.[1] ?? '', node: m?.[2] ?? '', source: m?.[3] ?? '' };
    });
    const timed = rows.filter((x) => x.time !== '-');
    // `~`: a dmesg time derived from seconds since boot, by pairing with the kernel journal.
    expect(timed.every((x) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z~?$/.test(x.time))).toBe(true);
    const instant = (t: string) => t.replace(/~$/, '');
    expect(timed.map((x) => instant(x.time))).toEqual(timed.map((x) => instant(x.time)).sort());
    expect(timed.filter((x) => x.time.endsWith('~') && x.source === 'kernel').length).toBeGreaterThan(100);
    expect(rows.slice(timed.length).every((x) => x.time === '-')).toBe(true); // untimed rows last
    // Nodes appear under their snapshot address only, whether a path, kubectl or a pod named them.
    expect(new Set(rows.map((x) => x.node))).toEqual(new Set(['10.200.0.2', '10.200.0.4', '10.200.0.8', '-']));
    const sourcesOn = (node: string) => new Set(rows.filter((x) => x.node === node).map((x) => x.source));
    for (const source of ['kubelet', 'containerd', 'kernel', 'kube-proxy', 'cilium', 'ps', 'iptables', 'ipvsadm', 'mount', 'ip', 'kubectl']) {
      expect(sourcesOn('10.200.0.2'), source).toContain(source);
    }
    // One merged view: consecutive timed rows switch between nodes, not one node after another.
    const switches = timed.filter((x, i) => i > 0 && x.node !== timed[i - 1].node).length;
    expect(switches).toBeGreaterThan(100);
    // --node takes a kubectl node name as well as the folder address.
    const cp = cli(['events', FULL, '--format', 'timeline', '--node', 'lab-core-3-cp-1', '--source', 'kube-proxy']);
    const cpRows = cp.stdout.trim().split('\n');
    expect(cpRows.length).toBeGreaterThan(10);
    expect(cpRows.every((l) => /^\S+ +10\.200\.0\.2 +kube-proxy  /.test(l))).toBe(true);
  });
  it('prints a timeline of more events than a function call takes arguments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesleuth-timeline-'));
    try {
      const n = 150_000;
      const lines = Array.from({ length: n }, (_, i) => `I0305 ${String(Math.floor(i / 3600) % 24).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000000       1 proxier.go:1 sync ${i}`);
      const file = join(dir, 'kube-proxy.log');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const r = cli(['events', file, '--format', 'timeline']);
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('stops quietly when the reader closes the pipe early (events … | head)', async () => {
    const child = spawn(process.execPath, [CLI, 'events', FULL], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
  it('filters NDJSON events by node and source', () => {
    const r = cli(['events', IPVS, '--node', '10.200.0.9', '--source', 'ipvsadm']);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThan(5);
    expect(events.every((e) => e.node === '10.200.0.9' && e.source === 'ipvsadm')).toBe(true);
    expect(events.filter((e) => e.kind === 'ipvs.service' && e.fields.realServers === 0)).toHaveLength(2);
  });
});
