/**
 * Batch scans through the CLI: a folder of bundles with a corrupt one among them, NDJSON that
 * survives an interruption, resume, shards that partition the input, and merge.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES, CLI, cli } from './support/cli.js';
import { shardOf } from '../src/cli/options.js';
import { parseRecords } from '../src/batch/record.js';
import { gz, tar } from './hostile/corpus.js';

let dir: string;
let archive: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubesleuth-batch-'));
  archive = join(dir, 'incidents');
  mkdirSync(join(archive, 'case-1'), { recursive: true });
  mkdirSync(join(archive, 'case-2'), { recursive: true });
  mkdirSync(join(archive, 'case-3'), { recursive: true });
  copyFileSync(join(BUNDLES, 'ipvs-stale-rules.tar.gz'), join(archive, 'case-1/upload.tar.gz'));
  copyFileSync(join(BUNDLES, 'pleg-unhealthy-runc.tar.gz'), join(archive, 'case-2/upload.tar.gz'));
  copyFileSync(join(BUNDLES, 'healthy.tar.gz'), join(archive, 'case-3/upload.tar.gz'));
  // Not an archive at all, though named like one: its record carries the problem.
  writeFileSync(join(archive, 'case-3/broken.tar.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
});

/** A folder holding only unreadable uploads: one that cannot be opened, one with nothing in it. */
function unreadableArchive(): string {
  const bad = join(dir, 'unreadable');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, 'a.tar.gz'), Buffer.from('PK\x03\x04 not a tarball', 'latin1'));
  writeFileSync(join(bad, 'b.tar.gz'), Buffer.alloc(0));
  return bad;
}
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

const glob = () => `${archive}/**/*.tar.gz`;

describe('batch scan', () => {
  it('scans a folder of bundles on 2 workers, one record per bundle, the corrupt one recorded', () => {
    const out = join(dir, 'all.ndjson');
    const r = cli(['scan', glob(), '--jobs', '2', '--format', 'ndjson', '--output', out, '-q']);
    expect(r.code).toBe(0);
    const { records, bad } = parseRecords(readFileSync(out, 'utf8'));
    expect(bad).toBe(0);
    expect(records.map((x) => x.path.slice(archive.length + 1)).sort()).toEqual(['case-1/upload.tar.gz', 'case-2/upload.tar.gz', 'case-3/broken.tar.gz', 'case-3/upload.tar.gz']);
    const byCase = (c: string) => records.find((x) => x.path.endsWith(c))!;
    expect(byCase('case-1/upload.tar.gz').findings[0]).toMatchObject({ id: 'kube-proxy-ipvs-stale-rules', confidence: 'confirmed' });
    expect(byCase('case-2/upload.tar.gz').findings[0]).toMatchObject({ id: 'pleg-unhealthy-runc', confidence: 'confirmed' });
    expect(byCase('case-1/upload.tar.gz').hash).toMatch(/^[0-9a-f]{64}$/);
    expect(byCase('case-1/upload.tar.gz').facts['kube-proxy']).toEqual(['v1.13.0']);
    const broken = byCase('case-3/broken.tar.gz');
    expect(broken.findings).toEqual([]);
    expect(broken.warnings).toBe(1);
    expect(broken.firstWarnings).toEqual([{ code: 'corrupt-gzip', address: broken.path, message: 'gzip: invalid block type' }]);
    expect(broken.error).toBe('nothing could be read: gzip: invalid block type');
    expect(byCase('case-1/upload.tar.gz').error).toBeUndefined();
  });

  it('exits 2 only when no bundle at all could be read, recording each one\'s reason', () => {
    const bad = unreadableArchive();
    const r = cli(['scan', `${bad}/*.tar.gz`, '--jobs', '2', '-q']);
    expect(r.stdout).toMatch(/a\.tar\.gz: failed: zip archive: not supported/);
    expect(r.stdout).toMatch(/b\.tar\.gz: failed: nothing could be read: zero-byte file named like an archive/);
    expect(r.stdout).toMatch(/Batch summary: 2 bundles scanned, 2 failed, 0 with nothing explaining them/);
    // A bundle that cannot be opened fails the run only when it is alone in failing.
    expect(r.code).toBe(0);
    expect(cli(['scan', `${bad}/a.tar.gz`, `${bad}/a.tar.gz`, '-q']).code).toBe(2);
    const mixed = cli(['scan', `${bad}/a.tar.gz`, join(archive, 'case-1/upload.tar.gz'), '-q']);
    expect(mixed.code).toBe(0);
    expect(mixed.stdout).toMatch(/Batch summary: 2 bundles scanned, 1 failed/);
  });

  it('redacts secrets quoted in the warnings and errors of records', () => {
    const f = join(dir, 'secret-member.tar.gz');
    // A member cut short whose name carries a credential: its warning names it.
    writeFileSync(f, gz(tar([{ name: 'logs/password=Hunter2Secret.log', data: Buffer.from('x\n'), declaredSize: 4096 }], { end: false })));
    const r = cli(['scan', f, '--format', 'ndjson', '-q']);
    const [rec] = parseRecords(r.stdout).records;
    expect(rec.firstWarnings?.[0].address).toMatch(/password=\[REDACTED \d+ B\]/);
    expect(r.stdout).not.toContain('Hunter2Secret');
  });

  it('scans a bundle named several ways (relative, ./, absolute, glob hit) once', () => {
    const r = cli(['scan', 'incidents/case-1/upload.tar.gz', './incidents/case-1/upload.tar.gz', join(archive, 'case-1/upload.tar.gz'), 'incidents/*/upload.tar.gz', '--format', 'ndjson', '-q'], { cwd: dir });
    const paths = parseRecords(r.stdout).records.map((x) => x.path).sort();
    expect(paths).toEqual(['incidents/case-1/upload.tar.gz', 'incidents/case-2/upload.tar.gz', 'incidents/case-3/upload.tar.gz']);
  });

  it('ends a table-format batch with a summary', () => {
    const r = cli(['scan', glob(), '--jobs', '2', '-q']);
    expect(r.stdout).toMatch(/case-1\/upload\.tar\.gz: confirmed kube-proxy-ipvs-stale-rules/);
    expect(r.stdout).toMatch(/Batch summary: 4 bundles scanned, 1 failed, 1 with nothing explaining them/);
    expect(r.stdout).toMatch(/case-3\/broken\.tar\.gz: failed: nothing could be read: gzip: invalid block type\n/);
    // A failed upload is not a lead for a new signature.
    expect(r.stdout).toMatch(/Unexplained \(leads for new signatures\): \S+case-3\/upload\.tar\.gz\n/);
    expect(r.stdout).toMatch(/│ kube-proxy-ipvs-stale-rules +│ 1 +│ 0 +│/);
    expect(r.stdout).toMatch(/Versions in bundles with a confirmed finding: .*kube-proxy v1\.13\.0 \(1\)/);
  });

  it('leaves valid NDJSON when killed mid-write, and resume skips what is done', () => {
    const out = join(dir, 'resume.ndjson');
    cli(['scan', glob(), '--jobs', '1', '--format', 'ndjson', '--output', out, '-q']);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    // An interrupted run: two complete records and half of a third.
    writeFileSync(out, `${lines.slice(0, 2).join('\n')}\n${lines[2].slice(0, 40)}`);
    const again = cli(['scan', glob(), '--jobs', '1', '--format', 'ndjson', '--output', out, '--resume', out]);
    expect(again.stderr).toContain('1 incomplete line(s) ignored (an interrupted run)');
    const { records, bad } = parseRecords(readFileSync(out, 'utf8'));
    expect(bad).toBe(1); // the cut line stays; readers skip it
    const paths = records.map((x) => x.path);
    expect(new Set(paths).size).toBe(4); // each bundle once: two kept, two scanned now
    expect(paths.length).toBe(4);
  });

  it('a run killed after its first record leaves only whole records, and resume finishes it', async () => {
    const many = join(dir, 'many');
    mkdirSync(many, { recursive: true });
    for (let i = 0; i < 12; i++) copyFileSync(join(BUNDLES, 'ipvs-stale-rules.tar.gz'), join(many, `case-${String(i).padStart(2, '0')}.tar.gz`));
    const out = join(dir, 'killed.ndjson');
    const child = spawn(process.execPath, [CLI, 'scan', `${many}/*.tar.gz`, '--jobs', '1', '--format', 'ndjson', '--output', out], { stdio: 'ignore' });
    const exited = new Promise((done) => child.on('exit', done));
    // Kill it as soon as one record is on disk.
    while (!(existsSync(out) && readFileSync(out, 'utf8').includes('\n'))) await sleep(10);
    child.kill('SIGKILL');
    await exited;
    const text = readFileSync(out, 'utf8');
    const { records, bad } = parseRecords(text);
    expect(bad).toBe(0);
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records.length).toBeLessThan(12);
    expect(text.endsWith('\n')).toBe(true);
    const resumed = cli(['scan', `${many}/*.tar.gz`, '--jobs', '2', '--format', 'ndjson', '--output', out, '--resume', out]);
    expect(resumed.code).toBe(0);
    const after = parseRecords(readFileSync(out, 'utf8'));
    expect(after.bad).toBe(0);
    // Each bundle once: the records of the killed run kept, the rest added.
    expect(after.records.map((x) => x.path).sort()).toEqual(Array.from({ length: 12 }, (_, i) => join(many, `case-${String(i).padStart(2, '0')}.tar.gz`)));
    expect(after.records.slice(0, records.length)).toEqual(records);
    expect(after.records.every((x) => x.findings[0]?.id === 'kube-proxy-ipvs-stale-rules')).toBe(true);
    // stderr is not a terminal here: no progress bar, not even a carriage return.
    expect(resumed.stderr).not.toContain('\r');
  });

  it('refuses to write a table over the NDJSON it resumes', () => {
    const out = join(dir, 'keep.ndjson');
    writeFileSync(out, '{"schemaVersion":1}\n');
    const r = cli(['scan', glob(), '--output', out, '--resume', `${dir}/./keep.ndjson`, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kubesleuth: --output \S+keep\.ndjson is the file --resume reads: add --format ndjson, or write elsewhere\n$/);
    expect(readFileSync(out, 'utf8')).toBe('{"schemaVersion":1}\n');
  });

  it('re-runs only changed signatures on resume', () => {
    const out = join(dir, 'changed.ndjson');
    cli(['scan', glob(), '--format', 'ndjson', '--output', out, '-q', '--jobs', '1']);
    const first = parseRecords(readFileSync(out, 'utf8')).records;
    // A user folder that overrides one signature with a changed copy.
    const sigs = join(dir, 'sigs');
    mkdirSync(sigs, { recursive: true });
    const original = readFileSync(new URL('../signatures/pleg-unhealthy-runc.sig', import.meta.url), 'utf8');
    const changed = original.replace(/count >= 3\b/, 'count >= 4');
    expect(changed).not.toBe(original);
    writeFileSync(join(sigs, 'pleg-unhealthy-runc.sig'), changed);
    const out2 = join(dir, 'changed2.ndjson');
    cli(['scan', glob(), '--format', 'ndjson', '--output', out2, '--resume', out, '--signatures', sigs, '-q', '--jobs', '1']);
    const second = parseRecords(readFileSync(out2, 'utf8')).records;
    const rec = (rs: typeof first, c: string) => rs.find((x) => x.path.endsWith(c))!;
    expect(rec(second, 'case-1/upload.tar.gz').signatures['pleg-unhealthy-runc']).not.toBe(rec(first, 'case-1/upload.tar.gz').signatures['pleg-unhealthy-runc']);
    expect(rec(second, 'case-1/upload.tar.gz').signatures['kube-proxy-ipvs-stale-rules']).toBe(rec(first, 'case-1/upload.tar.gz').signatures['kube-proxy-ipvs-stale-rules']);
    // Findings of unchanged signatures are carried over; the changed one is re-evaluated.
    expect(rec(second, 'case-1/upload.tar.gz').findings.find((f) => f.id === 'kube-proxy-ipvs-stale-rules')?.confidence).toBe('confirmed');
    expect(rec(second, 'case-2/upload.tar.gz').findings.find((f) => f.id === 'pleg-unhealthy-runc')?.confidence).toBe('confirmed');
  });

  it('shards are disjoint, cover every input for several n, and merge gives the single-run summary', () => {
    const paths = Array.from({ length: 200 }, (_, i) => `incidents/case-${i}/upload.tgz`);
    for (const n of [1, 2, 3, 7, 16]) {
      const seen = new Map<string, number>();
      for (let i = 0; i < n; i++) for (const p of paths) if (shardOf(p, n) === i) seen.set(p, (seen.get(p) ?? 0) + 1);
      expect(seen.size).toBe(paths.length);
      expect([...seen.values()].every((c) => c === 1)).toBe(true);
    }
    // Stable under reordering: assignment depends only on the path.
    expect(paths.map((p) => shardOf(p, 7))).toEqual([...paths].reverse().map((p) => shardOf(p, 7)).reverse());

    const full = join(dir, 'full.ndjson');
    cli(['scan', glob(), '--format', 'ndjson', '--output', full, '-q']);
    const shards = [0, 1, 2].map((i) => {
      const f = join(dir, `shard-${i}.ndjson`);
      cli(['scan', glob(), '--shard', `${i}/3`, '--format', 'ndjson', '--output', f, '-q']);
      return f;
    });
    const counts = shards.map((f) => parseRecords(readFileSync(f, 'utf8')).records.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
    const merged = cli(['merge', ...shards, '--json']);
    const single = cli(['merge', full, '--json']);
    const strip = (s: string) => { const x = JSON.parse(s); delete x.slowest; delete x.durationMs; return x; };
    expect(strip(merged.stdout)).toEqual(strip(single.stdout));
    expect(JSON.parse(merged.stdout).bundles).toBe(4);
  });

  it('computes precision and recall against labels', () => {
    const full = join(dir, 'labels.ndjson');
    cli(['scan', glob(), '--format', 'ndjson', '--output', full, '-q']);
    const labels = join(dir, 'labels.csv');
    writeFileSync(labels, `path,root-cause\n${archive}/case-1/upload.tar.gz,kube-proxy-ipvs-stale-rules\n${archive}/case-2/upload.tar.gz,conntrack-table-full\n${archive}/case-3/upload.tar.gz,healthy\n`);
    const s = JSON.parse(cli(['merge', full, '--labels', labels, '--json']).stdout);
    expect(s.labels.find((l: { id: string }) => l.id === 'kube-proxy-ipvs-stale-rules')).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 0, precision: 1, recall: 1 });
    expect(s.labels.find((l: { id: string }) => l.id === 'pleg-unhealthy-runc')).toMatchObject({ truePositives: 0, falsePositives: 1, precision: 0 });
    expect(s.labels.find((l: { id: string }) => l.id === 'conntrack-table-full')).toMatchObject({ falseNegatives: 1, recall: 0 });
  });

  it('matches labelled paths written relative to the CSV, with ./, or from another machine, and names the ones that match nothing', () => {
    const full = join(dir, 'labels-spelling.ndjson');
    cli(['scan', glob(), '--format', 'ndjson', '--output', full, '-q']);
    const labels = join(archive, 'labels.csv');
    writeFileSync(labels, [
      'path,root-cause',
      './case-1/upload.tar.gz,kube-proxy-ipvs-stale-rules', // relative to the CSV's folder
      '/mnt/archive/incidents/case-2/upload.tar.gz,conntrack-table-full', // same tail, another machine
      'case-9/upload.tar.gz,pleg-unhealthy-runc', // no such bundle
      'upload.tar.gz,pleg-unhealthy-runc', // fits three bundles
      '',
    ].join('\n'));
    const r = cli(['merge', full, '--labels', labels, '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.labels.find((l: { id: string }) => l.id === 'kube-proxy-ipvs-stale-rules')).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 0 });
    expect(s.labels.find((l: { id: string }) => l.id === 'conntrack-table-full')).toMatchObject({ truePositives: 0, falseNegatives: 1 });
    // case-2 is labelled, so its pleg finding counts against precision; case-3 is not.
    expect(s.labels.find((l: { id: string }) => l.id === 'pleg-unhealthy-runc')).toMatchObject({ truePositives: 0, falsePositives: 1, falseNegatives: 0 });
    expect(r.stderr).toContain(`notice: ${labels}: 2 of 4 labelled paths match no scanned bundle, left out of precision and recall: case-9/upload.tar.gz, upload.tar.gz (fits several bundles)`);
  });

  it('matches absolute labelled paths to a scan given relative paths, and says nothing when all match', () => {
    const labels = join(dir, 'labels-absolute.csv');
    writeFileSync(labels, `${archive}/case-1/upload.tar.gz,kube-proxy-ipvs-stale-rules\n${archive}/case-2/upload.tar.gz,pleg-unhealthy-runc\n`);
    const r = cli(['scan', 'incidents/case-1/upload.tar.gz', 'incidents/case-2/upload.tar.gz', '--labels', labels], { cwd: dir });
    expect(r.code).toBe(0);
    const against = r.stdout.slice(r.stdout.indexOf('Against labels:'));
    expect(against).toMatch(/kube-proxy-ipvs-stale-rules\s*│\s*1\s*│\s*0\s*│\s*0\s*│\s*100%\s*│\s*100%/);
    expect(against).toMatch(/pleg-unhealthy-runc\s*│\s*1\s*│\s*0\s*│\s*0\s*│\s*100%\s*│\s*100%/);
    expect(r.stderr).not.toContain('labelled path');
  });

  it('retro-hunts one signature with --only', () => {
    const r = cli(['scan', glob(), '--only', 'pleg-unhealthy-runc', '--format', 'ndjson', '-q']);
    const recs = parseRecords(r.stdout).records;
    expect(recs.flatMap((x) => x.findings.map((f) => f.id)).every((id) => id === 'pleg-unhealthy-runc')).toBe(true);
    expect(Object.keys(recs[0].signatures)).toEqual(['pleg-unhealthy-runc']);
  });
});
