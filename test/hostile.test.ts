/**
 * Hostile and broken bundles, run through the built CLI: nothing crashes, nothing readable is
 * lost, every problem is a warning naming the member and the reason. The corpus is generated
 * (test/hostile/corpus.ts); most cases put the damage between the IPVS snapshot's kube-proxy
 * logs and its node outputs, so the confirmed finding proves both sides were still read.
 * All CLI runs start together in beforeAll; the tests read their results.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, LONG_LINE_BYTES, type Corpus } from './hostile/corpus.js';
import { cliAsync, ROOT, type CliResult } from './support/cli.js';

interface Warning { code: string; address: string; line?: number; message: string }
interface FileRecord { address: string; parser?: string; reason?: string; events: number; lines: number; truncated: boolean }
interface Doc { warnings: Warning[]; inventory: FileRecord[]; findings: { id: string; confidence: string }[] }

const IPVS = 'kube-proxy-ipvs-stale-rules';
let tmp: string;
let corpus: Corpus;
const runs = new Map<string, Promise<CliResult>>();
let rootBefore: string[];

function run(key: string, args: string[], cwd?: string): void {
  runs.set(key, cliAsync(args, { cwd }));
}
const result = (key: string) => runs.get(key)!;
async function doc(key: string): Promise<Doc> {
  const r = await result(key);
  expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  return JSON.parse(r.stdout) as Doc;
}
function warning(d: Doc, code: string): Warning {
  const w = d.warnings.find((x) => x.code === code);
  expect(w, `warning ${code} in ${JSON.stringify(d.warnings)}`).toBeDefined();
  return w!;
}
function confirmed(d: Doc): void {
  expect(d.findings.find((f) => f.id === IPVS)?.confidence).toBe('confirmed');
  // Both sides of the damage were analyzed: the logs before it and the node outputs after it.
  const parsed = (re: RegExp) => d.inventory.some((f) => re.test(f.address) && f.parser && f.events > 0);
  expect(parsed(/kube-proxy-vppxm\/kube-proxy\.log$/)).toBe(true);
  expect(parsed(/nodes\/10\.200\.0\.9\/ipvsadm_-Ln$/)).toBe(true);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'kubesleuth-hostile-'));
  rootBefore = readdirSync(ROOT).sort();
  corpus = await buildCorpus(join(tmp, 'corpus'));
  const f = corpus.files;
  const scan = (key: string, file: string, ...extra: string[]) => run(key, ['scan', file, '--format', 'json', ...extra], tmp);
  for (const key of ['truncated-gzip', 'trailing-garbage', 'crc-mismatch', 'damaged-gz-member', 'corrupt-header', 'size-exceeds-data', 'zero-byte', 'empty-archive', 'nested-fakes', 'too-deep', 'paths', 'content', 'long-line']) scan(key, f[key]);
  scan('bomb', f.bomb, '--max-ratio', '100');
  scan('total-bytes', f['total-bytes'], '--max-bytes', '5M');
  scan('too-deep-1', f['too-deep'], '--max-depth', '1');
  scan('long-line-small', f['long-line'], '--max-line-bytes', '64K');
  run('zip', ['scan', f['zip-named-tgz'], '--format', 'json'], tmp);
  run('corrupt-table', ['scan', f['corrupt-header']], tmp);
  run('paths-table', ['scan', f.paths], tmp);
  run('paths-inventory', ['inventory', f.paths], tmp);
  run('times', ['events', f.times], tmp);
  run('times-timeline', ['events', f.times, '--format', 'timeline'], tmp);
  run('missing', ['scan', join(tmp, 'no-such-bundle.tar.gz')], tmp);
  run('missing-debug', ['scan', join(tmp, 'no-such-bundle.tar.gz'), '--debug'], tmp);
  run('bad-flag', ['scan', f.paths, '--format', 'yaml'], tmp);
  run('bad-size', ['scan', f.paths, '--max-bytes', 'lots'], tmp);

  // A folder input with a symlink pointing out of it.
  const dir = join(tmp, 'folder');
  mkdirSync(join(dir, 'nodes', 'n1'), { recursive: true });
  writeFileSync(join(dir, 'nodes', 'n1', 'dmesg'), '[    1.000000] Linux version 5.4.0\n');
  symlinkSync('/etc/passwd', join(dir, 'nodes', 'n1', 'passwd-link'));
  spawnSync('mkfifo', [join(dir, 'nodes', 'n1', 'a-fifo')]); // reading it would block forever
  run('folder', ['inventory', dir, '--json'], tmp);

  // User signatures: a malformed file and a catastrophic-backtracking regex.
  const sigs = join(tmp, 'sigs');
  mkdirSync(sigs);
  const { readFileSync } = await import('node:fs');
  const ipvs = readFileSync(join(ROOT, 'signatures', `${IPVS}.sig`), 'utf8');
  writeFileSync(join(sigs, 'my-ipvs.sig'), ipvs.replace(`signature ${IPVS}`, 'signature my-ipvs').replace('severity   high', 'severity   hihg'));
  writeFileSync(join(sigs, 'my-redos.sig'), ipvs.replace(`signature ${IPVS}`, 'signature my-redos').replace('message ~ /Trying to delete rs: |Adding rs to graceful delete rsList/', 'message ~ /(a+)+$/'));
  run('sigs', ['scan', f['corrupt-header'], '--signatures', sigs, '--format', 'json'], tmp);
  run('sigs-strict', ['scan', f['corrupt-header'], '--signatures', sigs, '--strict'], tmp);
  await Promise.all(runs.values());
}, 120_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

describe('archives', () => {
  it('truncated gzip: warns, keeps every member decoded before the cut', async () => {
    const d = await doc('truncated-gzip');
    expect(warning(d, 'truncated-gzip')).toMatchObject({ address: corpus.files['truncated-gzip'], message: expect.stringMatching(/^gzip data ends inside member 1 \(\d+ bytes decompressed\): the upload is truncated$/) });
    expect(warning(d, 'truncated-member').address).toMatch(/!\/snapshot-[^/]+\/extra\/tail\.bin$/);
    expect(warning(d, 'truncated-member').message).toMatch(/^member declares 262144 bytes but the archive ends after \d+$/);
    expect(d.inventory.find((x) => x.address.endsWith('/extra/tail.bin'))?.truncated).toBe(true);
    confirmed(d);
    expect((await result('truncated-gzip')).code).toBe(0);
  });

  it('gzip with trailing garbage: warns, reads everything', async () => {
    const d = await doc('trailing-garbage');
    expect(d.warnings).toEqual([{ code: 'trailing-garbage', address: corpus.files['trailing-garbage'], message: 'bytes after the end of the gzip data were ignored (trailing garbage after member 1)' }]);
    confirmed(d);
  });

  it('gzip trailer CRC-32 does not match the data: warns with both values, everything still analyzed', async () => {
    const d = await doc('crc-mismatch');
    expect(d.warnings).toEqual([{
      code: 'gzip-checksum-mismatch',
      address: corpus.files['crc-mismatch'],
      message: expect.stringMatching(/^gzip member 1 fails its integrity check: expected CRC-32 ([0-9a-f]{8}) and (\d+) bytes \(mod 2\^32\), found CRC-32 (?!\1)[0-9a-f]{8} and \2 bytes; its data or trailer is damaged$/),
    }]);
    confirmed(d);
    expect((await result('crc-mismatch')).code).toBe(0);
  });

  it('a .gz member damaged inside a stored block: the member is named, its lines still parsed', async () => {
    const d = await doc('damaged-gz-member');
    const w = warning(d, 'gzip-checksum-mismatch');
    expect(w.address).toMatch(/!\/snapshot-[^/]+\/extra\/kube-proxy-rotated\.log\.gz$/);
    expect(w.message).toMatch(/^gzip member 1 fails its integrity check: expected CRC-32 [0-9a-f]{8} and (\d+) bytes \(mod 2\^32\), found CRC-32 [0-9a-f]{8} and \1 bytes; its data or trailer is damaged$/);
    expect(d.warnings).toHaveLength(1);
    // The inflated data was read before the trailer was: it stays analyzed, damaged byte included.
    expect(d.inventory.find((x) => x.address === w.address)).toMatchObject({ parser: 'klog', lines: 2, events: 2, truncated: false });
    confirmed(d);
  });

  it('corrupt tar header in the middle: warns with the offset and the member before, reads the members after', async () => {
    const d = await doc('corrupt-header');
    const w = warning(d, 'corrupt-tar-header');
    expect(w.address).toBe(corpus.files['corrupt-header']);
    expect(w.message).toMatch(/^corrupt tar header at byte \d+ \(after snapshot-[^/]+\/logs\/shop\/payments-api-[\w-]+\/payments-api\.log\); skipped 1024 bytes to the next valid member$/);
    expect(d.inventory.some((x) => x.address.endsWith('/extra/damaged.log'))).toBe(false);
    // The member before the damage was read whole, not marked truncated.
    expect(d.inventory.find((x) => x.address.endsWith('payments-api-l48bw849qh-rp548/payments-api.log'))?.truncated).toBe(false);
    confirmed(d);
  });

  it('partial results are printed with the warnings listed (table format)', async () => {
    const r = await result('corrupt-table');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ 1 +│ confirmed +│ [01]\.\d\d +│ kube-proxy-ipvs-stale-rules/);
    expect(r.stdout).toMatch(/^warnings: 1\n {2}\S+corrupt-header\.tar\.gz: corrupt tar header at byte \d+/m);
  });

  it('member declaring more bytes than the archive holds: warns naming it', async () => {
    const d = await doc('size-exceeds-data');
    const w = warning(d, 'truncated-member');
    expect(w.address).toMatch(/!\/snapshot-[^/]+\/extra\/cut-short\.log$/);
    expect(w.message).toBe('member declares 1000000 bytes but the archive ends after 512');
    expect(d.inventory.find((x) => x.address === w.address)).toMatchObject({ truncated: true, events: 1 });
    confirmed(d);
  });

  it('zero-byte archive: a warning, exit 0', async () => {
    const d = await doc('zero-byte');
    expect(d.warnings).toEqual([{ code: 'empty-archive', address: corpus.files['zero-byte'], message: 'zero-byte file named like an archive: nothing to read' }]);
    expect((await result('zero-byte')).code).toBe(0);
  });

  it('empty archive (only the end blocks): a warning', async () => {
    const d = await doc('empty-archive');
    expect(d.warnings).toEqual([{ code: 'empty-archive', address: corpus.files['empty-archive'], message: 'archive holds no files' }]);
  });

  it('a zip named .tar.gz as the input: one-line error, exit 2', async () => {
    const r = await result('zip');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`kubesleuth: cannot read ${corpus.files['zip-named-tgz']}: zip archive: not supported (only tar, gzip and tar.gz are read)`);
  });

  it('zip, 7z, text and empty files named .tar.gz inside a bundle: a warning each, the rest analyzed', async () => {
    const d = await doc('nested-fakes');
    const by = (name: string) => d.warnings.filter((w) => w.address.endsWith(`/uploads/${name}`)).map((w) => [w.code, w.message]);
    expect(by('zero-byte.tar.gz')).toEqual([['empty-archive', 'zero-byte file named like an archive: nothing to read']]);
    expect(by('empty.tar.gz')).toEqual([['empty-archive', 'archive holds no files']]);
    expect(by('really-zip.tar.gz')).toEqual([['unsupported-archive', 'zip archive: not supported (only tar, gzip and tar.gz are read)']]);
    expect(by('really-7z.tar.gz')).toEqual([['unsupported-archive', '7z archive: not supported (only tar, gzip and tar.gz are read)']]);
    expect(by('really-text.tar.gz')).toEqual([['not-an-archive', 'named like an archive but holds plain text: read as a plain file']]);
    expect(d.inventory.find((x) => x.address.endsWith('/uploads/really-zip.tar.gz'))?.reason).toBe('zip archive (unsupported)');
    confirmed(d);
  });

  it('archives nested beyond the depth limit: listed, not opened; the limit is a flag', async () => {
    const d = await doc('too-deep');
    const w = warning(d, 'nesting-too-deep');
    expect(w.address).toMatch(/\/uploads\/level-1\.tar\.gz!\/level-2\.tar\.gz!\/level-3\.tar\.gz!\/level-4\.tar\.gz$/);
    expect(w.message).toBe('archive nested deeper than 4 levels: not opened');
    confirmed(d);
    const d1 = await doc('too-deep-1');
    expect(warning(d1, 'nesting-too-deep')).toMatchObject({ address: expect.stringMatching(/\/uploads\/level-1\.tar\.gz$/), message: 'archive nested deeper than 1 levels: not opened' });
    confirmed(d1);
  });

  it('decompression bomb: stopped by the ratio limit, named, the members after it analyzed', async () => {
    const d = await doc('bomb');
    const w = warning(d, 'decompression-bomb');
    expect(w.address).toMatch(/!\/snapshot-[^/]+\/uploads\/bomb\.gz$/);
    expect(w.message).toMatch(/^decompression ratio over 100:1 after \d+ bytes: stopped$/);
    confirmed(d);
  });

  it('total decompressed bytes: stopped at the member that crosses the limit, what came before analyzed', async () => {
    const d = await doc('total-bytes');
    const w = warning(d, 'total-bytes-exceeded');
    expect(w.address).toBe(corpus.files['total-bytes']);
    expect(w.message).toMatch(/^input exceeds 5242880 decompressed bytes: stopped at \S+!\/snapshot-[^/]+\/extra\/big\.bin$/);
    confirmed(d);
  });
});

describe('paths', () => {
  it('.. and absolute member names are data: listed as named, nothing written outside', async () => {
    const d = await doc('paths');
    const addrs = d.inventory.map((x) => x.address.slice(corpus.files.paths.length));
    expect(addrs).toContain(`!/../../../../../..${corpus.escapes[1]}`);
    expect(addrs).toContain(`!${corpus.escapes[0]}`);
    for (const p of corpus.escapes) expect(existsSync(p)).toBe(false);
    expect(readdirSync(ROOT).sort()).toEqual(rootBefore);
    confirmed(d);
  });

  it('symlinks and hard links are listed, never followed', async () => {
    const d = await doc('paths');
    const reason = (suffix: string) => d.inventory.find((x) => x.address.endsWith(suffix))?.reason;
    expect(reason('/links/passwd')).toBe('symlink → /etc/passwd (not followed)');
    expect(reason('/links/up')).toBe('symlink → ../../../../etc/shadow (not followed)');
    expect(reason('/links/hard')).toMatch(/^link → snapshot-[^/]+\/nodes\/10\.200\.0\.9\/ipvsadm_-Ln \(not followed\)$/);
    expect((await result('paths')).stdout).not.toMatch(/root:x:0:0/);
    const folder = JSON.parse((await result('folder')).stdout) as { files: FileRecord[] };
    expect(folder.files.find((x) => x.address.endsWith('/passwd-link'))?.reason).toBe('symbolic link (not followed)');
    expect((await result('folder')).stdout).not.toMatch(/root:x:0:0/);
    expect(folder.files.find((x) => x.address.endsWith('/a-fifo'))?.reason).toBe('fifo (not opened)');
    expect(folder.files.find((x) => x.address.endsWith('/dmesg'))?.parser).toBe('dmesg');
  });

  it('device files and fifos are listed, never opened', async () => {
    const d = await doc('paths');
    const reason = (suffix: string) => d.inventory.find((x) => x.address.endsWith(suffix))?.reason;
    expect(reason('/dev/null')).toBe('character-device (not followed)');
    expect(reason('/dev/sda')).toBe('block-device (not followed)');
    expect(reason('/dev/pipe')).toBe('fifo (not followed)');
  });

  it('names with newlines, escape sequences or invalid UTF-8 are shown escaped, and still read', async () => {
    const d = await doc('paths');
    const find = (suffix: string) => d.inventory.find((x) => x.address.endsWith(suffix));
    expect(find('/odd/line\\x0abreak.log')).toMatchObject({ parser: 'klog', events: 1 });
    expect(find('/odd/bad-\\xff\\xfe\\x80.log')).toMatchObject({ parser: 'klog', events: 1 });
    expect(find('/odd/esc\\x1b[31mred.log')).toMatchObject({ parser: 'klog', events: 1 });
    // No raw control character reaches any output.
    for (const key of ['paths', 'paths-table', 'paths-inventory']) {
      const r = await result(key);
      // eslint-disable-next-line no-control-regex
      expect(r.stdout.replace(/\n/g, '')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(r.stdout).not.toMatch(/line\nbreak/);
    }
  });
});

describe('content', () => {
  it('CRLF everywhere, binary members, NUL runs and invalid UTF-8: parsed or listed, never a crash', async () => {
    const d = await doc('content');
    confirmed(d); // every sample member was rewritten with CRLF line ends
    const find = (suffix: string) => d.inventory.find((x) => x.address.endsWith(suffix));
    expect(find('/nodes/10.200.0.9/core.dump')?.reason).toBe('binary data');
    expect(find('/kube-proxy-nul/kube-proxy.log')).toMatchObject({ parser: 'klog', lines: 2, events: 2 });
    expect(warning(d, 'nul-bytes')).toMatchObject({ line: 2, message: 'NUL bytes removed from this line (and any later ones)' });
    expect(find('/kube-proxy-utf/kube-proxy.log')).toMatchObject({ parser: 'klog', lines: 2, events: 2 });
  });

  it(`a ${LONG_LINE_BYTES / 2 ** 20} MB single line is cut to the line limit with a warning; the lines after it are read`, async () => {
    const d = await doc('long-line');
    const w = warning(d, 'line-truncated');
    expect(w).toMatchObject({ line: 1, message: `line of ${LONG_LINE_BYTES - 1} bytes cut to 1048576` });
    expect(w.address).toMatch(/\/kube-proxy-long\/kube-proxy\.log$/);
    expect(d.inventory.find((x) => x.address === w.address)).toMatchObject({ lines: 2, truncated: true });
    confirmed(d);
    const small = await doc('long-line-small');
    expect(warning(small, 'line-truncated').message).toBe(`line of ${LONG_LINE_BYTES - 1} bytes cut to 65536`);
  });

  it('timestamps going backwards, without a year, in mixed zones: all placed in UTC, the timeline ordered', async () => {
    const r = await result('times');
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; time?: number; message?: string });
    const at = (text: string) => new Date(events.find((e) => e.message?.startsWith(text))!.time!).toISOString();
    expect(at('second by time')).toBe('2024-03-05T10:05:00.000Z');
    expect(at('first by time')).toBe('2024-03-05T10:01:00.000Z');
    expect(at('at 10:02 UTC')).toBe('2024-03-05T10:02:00.000Z');
    expect(at('at 10:00 UTC')).toBe('2024-03-05T10:00:00.000Z');
    const timeline = (await result('times-timeline')).stdout.split('\n').filter((l) => /kubelet/.test(l)).map((l) => l.split(' ')[0]);
    expect(timeline).toEqual([...timeline].sort());
    expect(timeline).toHaveLength(6);
  });
});

describe('signatures', () => {
  it('a malformed user signature is reported at its exact location; the scan goes on', async () => {
    const r = await result('sigs');
    expect(r.stderr).toMatch(/sigs\/my-ipvs\.sig:5:3: error\[unknown-severity\]: unknown severity 'hihg'/);
    expect(r.stderr).toMatch(/\n5 \| {3}severity {3}hihg\n/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).findings[0].id).toBe(IPVS);
    const strict = await result('sigs-strict');
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/kubesleuth: 2 signature errors \(--strict\)\n$/);
  });

  it('a catastrophic-backtracking regex is rejected at load, with its location', async () => {
    const r = await result('sigs');
    expect(r.stderr).toMatch(/sigs\/my-redos\.sig:21:11: error\[bad-regex\]: regex has a quantified group containing a quantifier \(catastrophic backtracking risk\)/);
  });
});

describe('output and exit codes', () => {
  it('unreadable input: exit 2, one line and a hint, no stack; --debug shows the stack', async () => {
    const r = await result('missing');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kubesleuth: no such file or directory: \S+no-such-bundle\.tar\.gz\n {2}hint: [^\n]+\n$/);
    const dbg = await result('missing-debug');
    expect(dbg.code).toBe(2);
    expect(dbg.stderr).toMatch(/\n\s+at \S+/);
  });

  it('usage errors: exit 2 with a one-line message', async () => {
    const r = await result('bad-flag');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: option '-f, --format <format>' argument 'yaml' is invalid/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const size = await result('bad-size');
    expect(size.code).toBe(2);
    expect(size.stderr).toBe("kubesleuth: --max-bytes: 'lots' is not a size (e.g. 1048576, 512K, 100M, 2G)\n");
  });
});
