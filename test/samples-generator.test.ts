/**
 * The sample-bundle generator (samples/): builds are byte-identical, archives have the layout of
 * real snapshots, and each scenario's positive shows its known issue while its negative does not.
 * Archives are read back with tar-stream, as kubesleuth's ingest reads them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll, plannedFiles } from '../samples/build.js';
import { type BundleSpec, writeBundle } from '../samples/lib/bundle.js';
import { kubectlAge } from '../samples/lib/time.js';
import { realSample } from '../parsers/testing.js';

interface Member {
  name: string;
  type: string;
  mtime: number;
  uid: number;
  body: Buffer;
}

async function untar(archive: Buffer): Promise<Member[]> {
  const data = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  const ex = tar.extract();
  const out: Member[] = [];
  const reading = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      const h = entry.header;
      out.push({ name: h.name, type: h.type, mtime: h.mtime.getTime(), uid: h.uid, body: Buffer.concat(chunks) });
    }
  })();
  ex.end(data);
  await reading;
  return out;
}

/** A snapshot's files by path below its top folder, plus the top folder's name. */
interface Snapshot {
  top: string;
  files: Map<string, string>;
  members: Member[];
}

function snapshotOf(members: Member[]): Snapshot {
  const tops = new Set(members.map((m) => m.name.split('/')[0]));
  expect(tops.size, 'one top folder').toBe(1);
  const top = [...tops][0];
  const files = new Map<string, string>();
  for (const m of members) if (m.type === 'file') files.set(m.name.slice(top.length + 1), m.body.toString('utf8'));
  return { top, files, members };
}

function file(s: Snapshot, path: string): string {
  const text = s.files.get(path);
  if (text === undefined) throw new Error(`no ${path} in ${s.top}`);
  return text;
}

/** Files of every node: node IP → (file name → text). */
function nodes(s: Snapshot): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [path, text] of s.files) {
    const m = /^nodes\/(\d+\.\d+\.\d+\.\d+)\/(.+)$/.exec(path);
    if (!m) continue;
    if (!out.has(m[1])) out.set(m[1], new Map());
    (out.get(m[1]) as Map<string, string>).set(m[2], text);
  }
  return out;
}

/** A kubectl table as rows of header → cell (cells are separated by 3+ spaces). */
function table(text: string): Record<string, string>[] {
  const [head, ...rows] = text.trimEnd().split('\n');
  const cols = head.split(/ {3,}/);
  return rows.map((r) => Object.fromEntries(r.split(/ {3,}/).map((cell, i) => [cols[i], cell])));
}

/** Virtual services of an `ipvsadm -Ln` output with their real-server counts. */
function virtualServices(text: string): { proto: string; vip: string; port: number; realServers: number }[] {
  const out: { proto: string; vip: string; port: number; realServers: number }[] = [];
  for (const line of text.split('\n')) {
    const vs = /^(TCP|UDP|SCTP) {2}(\S+):(\d+) /.exec(line);
    if (vs) out.push({ proto: vs[1], vip: vs[2], port: Number(vs[3]), realServers: 0 });
    else if (/^ {2}-> \d/.test(line)) out[out.length - 1].realServers++;
  }
  return out;
}

/** Per node: virtual services without real servers whose service has endpoints. */
function staleServices(s: Snapshot, svcText: string, epText: string): Map<string, string[]> {
  const byIp = new Map(table(svcText).map((r) => [r['CLUSTER-IP'], `${r.NAMESPACE}/${r.NAME}`]));
  const endpoints = new Map(table(epText).map((r) => [`${r.NAMESPACE}/${r.NAME}`, r.ENDPOINTS]));
  const out = new Map<string, string[]>();
  for (const [ip, files] of nodes(s)) {
    const ipvs = files.get('ipvsadm_-Ln') ?? files.get('ipvsadm -Ln') ?? '';
    const stale = virtualServices(ipvs)
      .filter((v) => v.realServers === 0 && byIp.has(v.vip))
      .filter((v) => /\d+\.\d+\.\d+\.\d+:\d+/.test(endpoints.get(byIp.get(v.vip) as string) ?? ''))
      .map((v) => `${v.vip}:${v.port}`);
    if (stale.length) out.set(ip, stale);
  }
  return out;
}

/** klog header time of a line (same year assumed), ms. */
function klogTime(line: string): number {
  const m = /^[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6}) /.exec(line);
  if (!m) throw new Error(`not klog: ${line}`);
  return Date.UTC(2024, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]) / 1000);
}

/** Time of a journal line's klog body. */
function journalKlogTime(line: string): number {
  return klogTime(line.slice(line.indexOf(': ') + 2));
}

const KLOG = /^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ [^:\]\s]+:\d+\] /;
const JOURNAL = /^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \S+ [\w.-]+(\[\d+\])?: /;

let dirA = '';
let dirB = '';
let built: string[] = [];
const archives = new Map<string, Member[]>();

async function read(rel: string): Promise<Member[]> {
  if (!archives.has(rel)) archives.set(rel, await untar(await readFile(join(dirA, rel))));
  return archives.get(rel) as Member[];
}

beforeAll(async () => {
  dirA = await mkdtemp(join(tmpdir(), 'kubesleuth-samples-a-'));
  dirB = await mkdtemp(join(tmpdir(), 'kubesleuth-samples-b-'));
  // The first scenarios and the README bundles: every generator runs, in a few seconds.
  const some = ['bundles', 'kube-proxy-ipvs-stale-rules', 'pleg-unhealthy-runc'];
  built = (await buildAll(dirA, some)).map((b) => b.file);
  await buildAll(dirB, some);
}, 120_000);

afterAll(async () => {
  await rm(dirA, { recursive: true, force: true });
  await rm(dirB, { recursive: true, force: true });
});

describe('determinism', () => {
  it('plans a positive and a negative per scenario, and builds the ones asked for', () => {
    const planned = plannedFiles().map((p) => p.file);
    for (const id of ['kube-proxy-ipvs-stale-rules', 'pleg-unhealthy-runc']) {
      expect(planned).toContain(`${id}/positive.tar.gz`);
      expect(planned).toContain(`${id}/negative.tar.gz`);
    }
    expect(built.sort()).toEqual([
      'bundles/full-snapshot.tar.gz',
      'bundles/healthy.tar.gz',
      'bundles/ipvs-stale-rules.tar.gz',
      'bundles/pleg-unhealthy-runc.tar.gz',
      'bundles/two-clusters-upload.tgz',
      'bundles/upload-nested.tgz',
      'kube-proxy-ipvs-stale-rules/negative.tar.gz',
      'kube-proxy-ipvs-stale-rules/positive.tar.gz',
      'pleg-unhealthy-runc/negative.tar.gz',
      'pleg-unhealthy-runc/positive.tar.gz',
    ]);
  });

  it('gives byte-identical archives on two builds', async () => {
    for (const rel of built) {
      const a = await readFile(join(dirA, rel));
      const b = await readFile(join(dirB, rel));
      expect(a.equals(b), rel).toBe(true);
    }
  });

  it('writes plain tar as well as tar.gz, with line generators streamed', async () => {
    const spec: BundleSpec = {
      name: 'x.tar', format: 'tar', mtime: Date.UTC(2024, 2, 5) * 1000,
      entries: [
        { path: 'top/a.txt', content: 'hello\n' },
        { path: 'top/deep/b.log', content: function* () { for (let i = 0; i < 50_000; i++) yield `line ${i} é`; } },
      ],
    };
    const out = join(dirA, 'plain.tar');
    await writeBundle(spec, out);
    const members = await untar(await readFile(out));
    expect(members.map((m) => `${m.type}:${m.name}`)).toEqual(['directory:top/', 'file:top/a.txt', 'directory:top/deep/', 'file:top/deep/b.log']);
    const b = members[3].body.toString('utf8').split('\n');
    expect(b.length).toBe(50_001);
    expect(b[49_999]).toBe('line 49999 é');
  });
});

describe('layout', () => {
  it('puts each snapshot under one top folder that is not named after the archive', async () => {
    for (const { file: rel, spec } of plannedFiles().filter((p) => built.includes(p.file))) {
      if (rel.endsWith('.tgz')) continue; // uploads that hold snapshots, not snapshots
      const s = snapshotOf(await read(rel));
      const base = rel.split('/').pop() as string;
      expect(s.top).not.toBe(base.replace(/\.(tar\.gz|tgz)$/, ''));
      expect(s.top).not.toBe(spec().name.replace(/\.(tar\.gz|tgz)$/, ''));
      expect(s.top).toMatch(/^snapshot-[a-z0-9-]+-\d{8}T\d{6}Z$/);
    }
  });

  it('stamps every member with the end of the window and root ownership', async () => {
    const members = await read('kube-proxy-ipvs-stale-rules/positive.tar.gz');
    expect(new Set(members.map((m) => m.mtime))).toEqual(new Set([Date.UTC(2024, 2, 5, 10, 15, 0)]));
    expect(new Set(members.map((m) => m.uid))).toEqual(new Set([0]));
  });

  it('has several node folders named by IP, with both command-name styles across samples', async () => {
    const ipvs = snapshotOf(await read('kube-proxy-ipvs-stale-rules/positive.tar.gz'));
    const pleg = snapshotOf(await read('pleg-unhealthy-runc/positive.tar.gz'));
    for (const s of [ipvs, pleg]) expect(nodes(s).size).toBeGreaterThanOrEqual(3);
    for (const files of nodes(ipvs).values()) {
      expect([...files.keys()]).toEqual(expect.arrayContaining([
        'journalctl_--utc_-u_kubelet', 'ps_-edF', 'ipvsadm_-Ln', 'runc_--version',
        'ps_-eo_pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup_--cumulative_-H', 'cat__etc_os-release',
      ]));
    }
    for (const files of nodes(pleg).values()) {
      expect([...files.keys()]).toEqual(expect.arrayContaining([
        'journalctl --utc -u kubelet', 'ps -edF', 'ipvsadm -Ln', 'runc --version', 'journalctl --utc --boot --dmesg',
        'ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H', 'etc/os-release', 'proc/sys/net/netfilter/nf_conntrack_max',
      ]));
    }
    expect(ipvs.files.has('kubectl/kubectl_get_endpoints_-A')).toBe(true);
    expect(pleg.files.has('kubectlCommands/kube-system/kubectl get pods -o wide')).toBe(true);
    expect([...ipvs.files.keys()].some((p) => /^logs\/kube-system\/kube-proxy-[a-z0-9]{5}\/kube-proxy\.log$/.test(p))).toBe(true);
    expect(ipvs.files.has('bmctl-workspace/prod-edge-1/prod-edge-1.yaml')).toBe(true);
  });

  it('nests the positive IPVS snapshot and the notes in the upload', async () => {
    const members = await read('bundles/upload-nested.tgz');
    expect(members.map((m) => m.name)).toEqual(['notes.txt', 'prod-edge-1-cluster-snapshot-20240305T101500Z.tar.gz']);
    const inner = members[1].body;
    expect(inner.equals(await readFile(join(dirA, 'kube-proxy-ipvs-stale-rules/positive.tar.gz')))).toBe(true);
    expect(snapshotOf(await untar(inner)).top).toBe('snapshot-prod-edge-1-20240305T101500Z');
  });

  it('writes the line formats of the real tools', async () => {
    const s = snapshotOf(await read('kube-proxy-ipvs-stale-rules/positive.tar.gz'));
    for (const [, files] of nodes(s)) {
      const journal = (files.get('journalctl_--utc_-u_kubelet') as string).trimEnd().split('\n');
      expect(journal[0]).toMatch(/^-- Logs begin at \w{3} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, end at .* UTC\. --$/);
      for (const line of journal.slice(1)) expect(line).toMatch(JOURNAL);
      const ipvs = (files.get('ipvsadm_-Ln') as string).split('\n');
      expect(ipvs.slice(0, 3)).toEqual(realSample('ipvsadm/ipvsadm-Ln-kube-proxy.txt').split('\n').slice(0, 3));
      for (const line of ipvs.filter((l) => l.startsWith('  -> 1'))) expect(line).toMatch(/^ {2}-> \S+ +Masq {4}1 {6}\d+ +\d+ +$/);
      const tree = (files.get('ps_-eo_pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup_--cumulative_-H') as string).split('\n');
      expect(tree[0]).toBe(realSample('ps/ps-eo-tree-nested-local.txt').split('\n')[0]);
    }
    const rhel = nodes(snapshotOf(await read('pleg-unhealthy-runc/positive.tar.gz')));
    for (const [, files] of rhel) {
      const tree = (files.get('ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H') as string).split('\n');
      expect(tree[0]).toBe(realSample('ps/ps-eo-tree-wchan-netns-cgroup-kthreads-local.txt').split('\n')[0]);
      expect((files.get('ps -edF') as string).split('\n')[0]).toBe(realSample('ps/ps-edF-kthreads-local.txt').split('\n')[0]);
    }
    for (const [path, text] of s.files) {
      if (!path.endsWith('kube-proxy.log')) continue;
      for (const line of text.trimEnd().split('\n')) expect(line).toMatch(KLOG);
    }
  });

  it('carries a few secret-looking strings for redaction to find', async () => {
    for (const rel of ['kube-proxy-ipvs-stale-rules/positive.tar.gz', 'pleg-unhealthy-runc/positive.tar.gz', 'bundles/healthy.tar.gz']) {
      const all = [...snapshotOf(await read(rel)).files.values()].join('\n');
      const bearer = all.match(/Authorization: Bearer eyJ/g) ?? [];
      const password = all.match(/[?&]password=/g) ?? [];
      expect(bearer.length, rel).toBe(1);
      expect(password.length, rel).toBe(1);
    }
  });

  it('keeps each bundle in the thousands to tens of thousands of lines', async () => {
    for (const rel of ['kube-proxy-ipvs-stale-rules/positive.tar.gz', 'pleg-unhealthy-runc/negative.tar.gz', 'bundles/healthy.tar.gz']) {
      const lines = [...snapshotOf(await read(rel)).files.values()].reduce((n, t) => n + t.split('\n').length - 1, 0);
      expect(lines, rel).toBeGreaterThan(5_000);
      expect(lines, rel).toBeLessThan(100_000);
    }
  });
});

describe('kube-proxy-ipvs-stale-rules', () => {
  const tables = (s: Snapshot): [string, string] => [file(s, 'kubectl/kubectl_get_svc_-A'), file(s, 'kubectl/kubectl_get_endpoints_-A')];

  it('positive: one node has 2+ empty virtual services whose services have endpoints', async () => {
    const s = snapshotOf(await read('kube-proxy-ipvs-stale-rules/positive.tar.gz'));
    const stale = staleServices(s, ...tables(s));
    expect([...stale.keys()]).toHaveLength(1);
    const [node, vips] = [...stale][0];
    expect(vips.length).toBeGreaterThanOrEqual(2);
    expect(nodes(s).size).toBeGreaterThan(1);

    // That node's kube-proxy: v1.13.0, then only "Trying to delete rs" every minute for hours.
    const pods = table(file(s, 'kubectl/kubectl_get_pods_-o_wide_--all-namespaces'));
    const proxyPod = pods.find((p) => p.NAME.startsWith('kube-proxy-') && p.IP === node) as Record<string, string>;
    const log = file(s, `logs/kube-system/${proxyPod.NAME}/kube-proxy.log`).trimEnd().split('\n');
    expect(log.some((l) => l.endsWith('] Version: v1.13.0'))).toBe(true);
    expect(log.some((l) => l.includes('Using ipvs Proxier'))).toBe(true);
    const firstStuck = log.findIndex((l, i) => l.includes('Trying to delete rs') && log.slice(i).every((x) => x.includes('graceful_termination.go:160] Trying to delete rs: ')));
    expect(firstStuck).toBeGreaterThan(0);
    const stuck = log.slice(firstStuck);
    const span = klogTime(stuck[stuck.length - 1]) - klogTime(stuck[0]);
    expect(span).toBeGreaterThan(4 * 3600_000);
    const perRs = new Map<string, number[]>();
    for (const l of stuck) {
      const rs = l.slice(l.indexOf('rs: ') + 4);
      perRs.set(rs, [...(perRs.get(rs) ?? []), klogTime(l)]);
    }
    for (const times of perRs.values()) {
      for (let i = 1; i < times.length; i++) expect(Math.abs(times[i] - times[i - 1] - 60_000)).toBeLessThan(5_000);
    }
    // The stuck real servers belong to the services whose virtual servers are empty.
    const stuckVips = new Set([...perRs.keys()].map((rs) => rs.split('/')[0]));
    for (const vip of vips) expect(stuckVips.has(vip)).toBe(true);

    // The other nodes delete what they try to delete.
    const others = pods.filter((p) => p.NAME.startsWith('kube-proxy-') && p.IP !== node);
    for (const p of others) expect(file(s, `logs/kube-system/${p.NAME}/kube-proxy.log`)).toContain('Deleting rs: ');
  });

  it('negative: no empty virtual service, fixed version, every try followed by a delete', async () => {
    const s = snapshotOf(await read('kube-proxy-ipvs-stale-rules/negative.tar.gz'));
    expect(staleServices(s, ...tables(s)).size).toBe(0);
    let repeated = 0;
    for (const [path, text] of s.files) {
      if (!path.endsWith('/kube-proxy.log')) continue;
      const log = text.trimEnd().split('\n');
      expect(log.some((l) => l.endsWith('] Version: v1.13.2'))).toBe(true);
      log.forEach((l, i) => {
        if (!l.includes('Trying to delete rs: ')) return;
        const rs = l.slice(l.indexOf('rs: ') + 4);
        expect(log[i + 1], l).toMatch(new RegExp(`(Deleting rs: |Not deleting, RS )${rs.replaceAll('.', '\\.')}`));
      });
      repeated = Math.max(repeated, log.filter((l) => l.includes('Trying to delete rs: ')).length);
    }
    expect(repeated).toBeGreaterThan(200);
  });

  it('healthy bundle: no empty virtual service with endpoints', async () => {
    const s = snapshotOf(await read('bundles/healthy.tar.gz'));
    const svc = [...s.files].filter(([p]) => p.endsWith('/kubectl get svc')).map(([, t]) => t);
    const ep = [...s.files].filter(([p]) => p.endsWith('/kubectl get endpoints')).map(([, t]) => t);
    expect(svc.length).toBeGreaterThan(2);
    const withNamespace = (texts: string[], paths: string[]): string => {
      const rows = texts.flatMap((t, i) => t.trimEnd().split('\n').slice(1).map((r) => `${paths[i]}   ${r}`));
      const header = `NAMESPACE   ${texts[0].split('\n')[0]}`;
      return `${header}\n${rows.join('\n')}\n`;
    };
    const nsOf = (suffix: string): string[] => [...s.files.keys()].filter((p) => p.endsWith(suffix)).map((p) => p.split('/')[1]);
    const stale = staleServices(s, withNamespace(svc, nsOf('/kubectl get svc')), withNamespace(ep, nsOf('/kubectl get endpoints')));
    expect(stale.size).toBe(0);
    const all = [...s.files.values()].join('\n');
    expect(all).not.toContain('pleg was last seen active');
    expect(all).not.toMatch(/ runc init$/m);
  });
});

describe('pleg-unhealthy-runc', () => {
  it('positive: one node logs PLEG not healthy every 5 s for 20+ minutes, flaps, and has old runc init processes', async () => {
    const s = snapshotOf(await read('pleg-unhealthy-runc/positive.tar.gz'));
    const sick = [...nodes(s)].filter(([, f]) => (f.get('journalctl --utc -u kubelet') as string).includes('pleg was last seen active'));
    expect(sick).toHaveLength(1);
    const [ip, files] = sick[0];
    const journal = (files.get('journalctl --utc -u kubelet') as string).split('\n');
    const pleg = journal.filter((l) => /skipping pod synchronization - \[PLEG is not healthy: pleg was last seen active \S+ ago; threshold is 3m0s\]/.test(l)).map(journalKlogTime);
    expect(pleg[pleg.length - 1] - pleg[0]).toBeGreaterThanOrEqual(20 * 60_000);
    // The longest run of lines 5 s apart lasts 20 minutes or more.
    let run = 0;
    let best = 0;
    for (let i = 1; i < pleg.length; i++) {
      const gap = pleg[i] - pleg[i - 1];
      expect(gap).toBeGreaterThan(0);
      run = gap <= 6_000 ? run + gap : 0;
      best = Math.max(best, run);
    }
    expect(best).toBeGreaterThanOrEqual(20 * 60_000);
    const gaps = pleg.slice(1).map((t, i) => t - pleg[i]).sort((a, b) => a - b);
    expect(Math.abs(gaps[Math.floor(gaps.length / 2)] - 5_000)).toBeLessThan(1_000);
    const text = journal.join('\n');
    expect(text.match(/Recording NodeNotReady event message for node/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/Node became not ready: .*Reason:KubeletNotReady Message:PLEG is not healthy/);
    expect(text).toContain('Recording NodeReady event message for node');

    const nodesTable = table(file(s, 'kubectlCommands/kubectl get nodes -o wide'));
    expect(nodesTable.find((n) => n['INTERNAL-IP'] === ip)?.STATUS).toBe('NotReady');

    const ps = (files.get('ps -edF') as string).split('\n');
    const snapshotAt = Date.UTC(2024, 2, 12, 12, 30);
    const init = ps.filter((l) => / runc init$/.test(l));
    expect(init.length).toBeGreaterThanOrEqual(2);
    for (const l of init) {
      const [hh, mm] = (l.split(/\s+/)[7] as string).split(':').map(Number);
      expect(snapshotAt - Date.UTC(2024, 2, 12, hh, mm)).toBeGreaterThan(90 * 60_000);
    }
    const tree = files.get('ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H') as string;
    expect(tree).toMatch(/runc:\[2:I/);
    expect(files.get('runc --version')).toMatch(/^runc version 1\.0\.0-rc92\n/);
  });

  it('negative: a single start-up PLEG line, no runc init, runc 1.0.0', async () => {
    const s = snapshotOf(await read('pleg-unhealthy-runc/negative.tar.gz'));
    const all = [...s.files.values()].join('\n');
    const lines = all.split('\n').filter((l) => l.includes('PLEG is not healthy'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('pleg has yet to be successful');
    expect(all).not.toMatch(/ runc init$/m);
    for (const [, files] of nodes(s)) expect(files.get('runc --version')).toMatch(/^runc version 1\.0\.0\n/);
    expect(table(file(s, 'kubectlCommands/kubectl get nodes -o wide')).every((n) => n.STATUS === 'Ready')).toBe(true);
  });
});

describe('time helpers', () => {
  it('formats ages as kubectl does', () => {
    const s = 1_000_000;
    expect(kubectlAge(45 * s)).toBe('45s');
    expect(kubectlAge(312 * s)).toBe('5m12s');
    expect(kubectlAge(47 * 60 * s)).toBe('47m');
    expect(kubectlAge((6 * 3600 + 15 * 60) * s)).toBe('6h15m');
    expect(kubectlAge(20 * 3600 * s)).toBe('20h');
    expect(kubectlAge((3 * 24 + 4) * 3600 * s)).toBe('3d4h');
    expect(kubectlAge(47 * 24 * 3600 * s)).toBe('47d');
  });
});
