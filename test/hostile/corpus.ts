/**
 * The hostile-input corpus: broken, malicious and oversized bundles, generated in code (tar
 * headers written by hand, gzip by node:zlib) so no binary is checked in. Most cases wrap the
 * damage between real members of the IPVS sample snapshot — the kube-proxy logs before it, the
 * node command outputs after it — so a test can assert that the finding (which needs both) is
 * still reported.
 *
 * `buildCorpus(dir)` writes every case and returns their paths; `bigCases(dir)` writes the
 * large ones used by bench/hostile-memory.ts.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';
import { members, type Member } from '../support/archives.js';

const BLOCK = 512;
const HERE = fileURLToPath(new URL('.', import.meta.url));
/** The repository root, from test/hostile/ or its compiled copy in dist/test/hostile/. */
const ROOT = resolve(HERE, /[\\/]dist[\\/]test[\\/]/.test(HERE) ? '../../..' : '../..');
export const SAMPLE = join(ROOT, 'samples/bundles/ipvs-stale-rules.tar.gz');
/** Where the IPVS snapshot's members start being node outputs: the damage goes here. */
const SPLIT = /\/nodes\//;

export type TarType = '0' | '1' | '2' | '3' | '4' | '5' | '6';

export interface Entry {
  /** Raw bytes allowed, for names that are not valid UTF-8. */
  name: string | Buffer;
  data?: Buffer;
  type?: TarType;
  linkname?: string;
  /** Declared size when it must differ from the data (a member cut short). */
  declaredSize?: number;
  /** Write a header whose checksum does not match. */
  corrupt?: boolean;
}

function field(h: Buffer, value: string | Buffer, offset: number, length: number): void {
  const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  b.copy(h, offset, 0, Math.min(b.length, length));
}

const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, '0')}\0`;

/** One 512-byte ustar header with a correct checksum (unless `corrupt`). */
export function header(e: Entry): Buffer {
  const h = Buffer.alloc(BLOCK);
  let name = Buffer.from(typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name);
  let prefix = Buffer.alloc(0);
  if (name.length > 100) {
    // ustar: split at a slash into a prefix (≤155) and a name (≤100).
    const s = name.toString('latin1');
    let cut = -1;
    for (let i = s.indexOf('/'); i !== -1; i = s.indexOf('/', i + 1)) if (s.length - i - 1 <= 100 && i <= 155) { cut = i; break; }
    if (cut <= 0) throw new Error(`name too long for ustar: ${s}`);
    prefix = name.subarray(0, cut);
    name = name.subarray(cut + 1);
  }
  const size = e.declaredSize ?? e.data?.length ?? 0;
  field(h, name, 0, 100);
  field(h, octal(e.type === '5' ? 0o755 : 0o644, 8), 100, 8);
  field(h, octal(0, 8), 108, 8);
  field(h, octal(0, 8), 116, 8);
  field(h, octal(size, 12), 124, 12);
  field(h, octal(1709633700, 12), 136, 12); // 2024-03-05T10:15:00Z
  h.fill(0x20, 148, 156);
  h[156] = (e.type ?? '0').charCodeAt(0);
  if (e.linkname) field(h, e.linkname, 157, 100);
  field(h, 'ustar\0', 257, 6);
  field(h, '00', 263, 2);
  field(h, 'root', 265, 32);
  field(h, 'root', 297, 32);
  if (e.type === '3' || e.type === '4') { field(h, octal(1, 8), 329, 8); field(h, octal(3, 8), 337, 8); }
  field(h, prefix, 345, 155);
  let sum = 0;
  for (const b of h) sum += b;
  field(h, `${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  if (e.corrupt) h[148] = '7'.charCodeAt(0) === h[148] ? 0x36 : 0x37; // checksum off by one digit
  return h;
}

const pad = (n: number) => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

/** A tar stream; `end: false` leaves out the two zero blocks (an archive cut short). */
export function tar(entries: Entry[], opts: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e));
    if (e.data?.length) parts.push(e.data, pad(e.data.length));
  }
  if (opts.end !== false) parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

export const gz = (b: Buffer, level = 6) => gzipSync(b, { level });

let cached: Member[] | undefined;
/** Every regular file of the IPVS sample snapshot, in archive order. */
export async function sample(): Promise<Member[]> {
  cached ??= await members(SAMPLE);
  return cached;
}

const toEntries = (ms: Member[]): Entry[] => ms.map((m) => ({ name: m.name, data: m.data }));

/** The IPVS snapshot with `hostile` entries between its logs and its node outputs. */
export async function sandwich(hostile: Entry[], opts: { transform?: (m: Member) => Member; end?: boolean; after?: Entry[] } = {}): Promise<Buffer> {
  const all = (await sample()).map(opts.transform ?? ((m) => m));
  const i = all.findIndex((m) => SPLIT.test(m.name));
  return tar([...toEntries(all.slice(0, i)), ...hostile, ...toEntries(all.slice(i)), ...(opts.after ?? [])], { end: opts.end });
}

/** The prefix of every sample member (`snapshot-prod-edge-1-…/`). */
export async function root(): Promise<string> {
  return (await sample())[0].name.split('/')[0];
}

/** Deterministic bytes that do not compress: a linear congruential generator. */
export function noise(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; b[i] = x >>> 24; }
  return b;
}

const klog = (t: string, msg: string) => `I0305 ${t}.000000       1 proxier.go:1000] ${msg}\n`;

export const ZIP = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('\x14\x00\x00\x00\x08\x00', 'latin1'), noise(200)]);
export const SEVEN_Z = Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00, 0x04]), noise(200)]);

/** An archive nested `levels` deep, a log at the bottom. */
function nest(levels: number): Buffer {
  let inner = gz(tar([{ name: 'bottom/kubelet.log', data: Buffer.from(klog('10:00:00', 'deepest member')) }]));
  for (let l = levels - 1; l >= 1; l--) inner = gz(tar([{ name: `level-${l + 1}.tar.gz`, data: inner }]));
  return inner;
}

export interface Corpus {
  dir: string;
  /** Each case name → the file to scan. */
  files: Record<string, string>;
  /** Paths a member name tries to reach; none may exist after a scan. */
  escapes: string[];
}

export const LONG_LINE_BYTES = 20 * 1024 * 1024;
export const BOMB_BYTES = 80 * 1024 * 1024;

export async function buildCorpus(dir: string): Promise<Corpus> {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {};
  const put = (name: string, data: Buffer) => { const p = join(dir, name); writeFileSync(p, data); files[name.replace(/\..*$/, '')] = p; return p; };
  const top = await root();
  const filler = (name: string, n: number) => ({ name: `${top}/extra/${name}`, data: noise(n, n) });

  // Archives.
  const good = await sandwich([]);
  const withTail = gz(await sandwich([], { after: [filler('tail.bin', 256 * 1024)] }));
  put('truncated-gzip.tar.gz', withTail.subarray(0, withTail.length - 64 * 1024));
  put('trailing-garbage.tar.gz', Buffer.concat([gz(good), Buffer.from('this is not gzip data, it was appended by a broken upload\n')]));
  {
    // The trailer's CRC-32 flipped: every byte inflates as it should, the check fails.
    const flipped = gz(good);
    flipped[flipped.length - 8] ^= 0xff;
    put('crc-mismatch.tar.gz', flipped);
    // A stored (uncompressed) .gz member whose data has one byte changed: it still inflates.
    const log = Buffer.from(klog('10:00:00', 'rotated kube-proxy log, first entry') + klog('10:00:01', 'rotated kube-proxy log, second entry'));
    const damaged = gzipSync(log, { level: 0 });
    damaged[15 + log.indexOf('second')] ^= 0x20; // 10-byte gzip header + 5-byte stored block header
    put('damaged-gz-member.tar.gz', gz(await sandwich([{ name: `${top}/extra/kube-proxy-rotated.log.gz`, data: damaged }])));
  }
  put('corrupt-header.tar.gz', gz(await sandwich([{ name: `${top}/extra/damaged.log`, data: Buffer.from(klog('10:00:00', 'damaged member')), corrupt: true }])));
  {
    const cut = await sandwich([], { after: [{ name: `${top}/extra/cut-short.log`, data: Buffer.from(klog('10:00:00', 'cut short')), declaredSize: 1_000_000 }], end: false });
    put('size-exceeds-data.tar.gz', gz(cut));
  }
  put('zero-byte.tar.gz', Buffer.alloc(0));
  put('empty-archive.tar.gz', gz(Buffer.alloc(2 * BLOCK)));
  put('zip-named-tgz.tar.gz', ZIP);
  put('nested-fakes.tar.gz', gz(await sandwich([
    { name: `${top}/uploads/zero-byte.tar.gz`, data: Buffer.alloc(0) },
    { name: `${top}/uploads/empty.tar.gz`, data: gz(Buffer.alloc(2 * BLOCK)) },
    { name: `${top}/uploads/really-zip.tar.gz`, data: ZIP },
    { name: `${top}/uploads/really-7z.tar.gz`, data: SEVEN_Z },
    { name: `${top}/uploads/really-text.tar.gz`, data: Buffer.from('just some notes, not an archive\n') },
  ])));
  put('too-deep.tar.gz', gz(await sandwich([{ name: `${top}/uploads/level-1.tar.gz`, data: nest(6) }])));
  {
    const bomb = gzipSync(Buffer.alloc(BOMB_BYTES), { level: constants.Z_BEST_COMPRESSION });
    put('bomb.tar.gz', gz(await sandwich([{ name: `${top}/uploads/bomb.gz`, data: bomb }])));
  }
  put('total-bytes.tar.gz', gz(await sandwich([], { after: [filler('big.bin', 6 * 1024 * 1024)] }), 1));

  // Paths.
  const tag = `kubesleuth-escape-${process.pid}`;
  const escapes = [`/tmp/${tag}-abs.log`, `/tmp/${tag}-dotdot.log`];
  put('paths.tar.gz', gz(await sandwich([
    { name: `../../../../../../tmp/${tag}-dotdot.log`, data: Buffer.from(klog('10:00:00', 'dotdot member')) },
    { name: `/tmp/${tag}-abs.log`, data: Buffer.from(klog('10:00:00', 'absolute member')) },
    { name: `${top}/links/passwd`, type: '2', linkname: '/etc/passwd' },
    { name: `${top}/links/up`, type: '2', linkname: '../../../../etc/shadow' },
    { name: `${top}/links/hard`, type: '1', linkname: `${top}/nodes/10.200.0.9/ipvsadm_-Ln` },
    { name: `${top}/dev/null`, type: '3' },
    { name: `${top}/dev/sda`, type: '4' },
    { name: `${top}/dev/pipe`, type: '6' },
    { name: `${top}/odd/line\nbreak.log`, data: Buffer.from(klog('10:00:00', 'newline in name')) },
    { name: Buffer.concat([Buffer.from(`${top}/odd/bad-`), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('.log')]), data: Buffer.from(klog('10:00:00', 'invalid utf-8 name')) },
    { name: `${top}/odd/esc\x1b[31mred.log`, data: Buffer.from(klog('10:00:00', 'escape sequence in name')) },
  ])));

  // Content: every member with CRLF line ends, plus binary, NULs and invalid UTF-8.
  const crlf = (m: Member): Member => ({ ...m, data: Buffer.from(m.data.toString('latin1').replace(/\n/g, '\r\n'), 'latin1') });
  put('content.tar.gz', gz(await sandwich([
    { name: `${top}/nodes/10.200.0.9/core.dump`, data: Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1'), noise(64 * 1024)]) },
    { name: `${top}/logs/kube-system/kube-proxy-nul/kube-proxy.log`, data: Buffer.concat([Buffer.from(klog('10:00:00', 'before nul')), Buffer.alloc(64), Buffer.from(klog('10:00:01', 'after nul'))]) },
    { name: `${top}/logs/kube-system/kube-proxy-utf/kube-proxy.log`, data: Buffer.concat([Buffer.from(klog('10:00:00', 'latin1 caf')).subarray(0, -1), Buffer.from([0xe9, 0xff, 0xc3, 0x0a]), Buffer.from(klog('10:00:01', 'next line'))]) },
  ], { transform: crlf })));

  // A single line far over the line limit, then ordinary lines.
  {
    const long = Buffer.alloc(LONG_LINE_BYTES, 'x');
    Buffer.from('I0305 10:00:00.000000       1 proxier.go:1000] payload=').copy(long);
    long[long.length - 1] = 0x0a;
    const after = Buffer.from(klog('10:00:01', 'line after the long one'));
    put('long-line.tar.gz', gz(await sandwich([{ name: `${top}/logs/kube-system/kube-proxy-long/kube-proxy.log`, data: Buffer.concat([long, after]) }]), 1));
  }

  // Times: a journal without years going backwards, and short-iso lines in mixed zones.
  {
    const journal = [
      '-- Logs begin at Tue 2024-03-05 09:00:00 UTC, end at Tue 2024-03-05 11:00:00 UTC. --',
      'Mar 05 10:05:00 node-a kubelet[1]: second by time, first in the file',
      'Mar 05 10:01:00 node-a kubelet[1]: first by time, written after (clock went back)',
      'Mar 05 10:03:00 node-a kubelet[1]: third line',
    ].join('\n');
    const iso = [
      '2024-03-05T11:02:00+0100 node-b kubelet[1]: at 10:02 UTC, written in +01:00',
      '2024-03-05T10:04:00+0000 node-b kubelet[1]: at 10:04 UTC',
      '2024-03-05T05:00:00-0500 node-b kubelet[1]: at 10:00 UTC, written in -05:00',
    ].join('\n');
    put('times.tar.gz', gz(tar([
      { name: 'snap/nodes/node-a/journalctl_-u_kubelet', data: Buffer.from(`${journal}\n`) },
      { name: 'snap/nodes/node-b/journalctl_-o_short-iso_-u_kubelet', data: Buffer.from(`${iso}\n`) },
    ])));
  }

  return { dir, files, escapes };
}

/**
 * The large cases for the memory bench, streamed to disk so the generator itself stays small:
 * a tar.gz holding one `lineBytes` line, and a tar.gz holding a `logBytes` kube-proxy log.
 */
export async function bigCases(dir: string, lineBytes: number, logBytes: number): Promise<{ longLine: string; bigLog: string }> {
  mkdirSync(dir, { recursive: true });
  const { createGzip } = await import('node:zlib');
  const write = async (path: string, name: string, size: number, fill: (i: number) => Buffer) => {
    const z = createGzip({ level: 1 });
    const out = createWriteStream(path);
    z.pipe(out);
    const put = (b: Buffer) => (z.write(b) ? Promise.resolve() : new Promise<void>((r) => z.once('drain', () => r())));
    await put(header({ name, declaredSize: size }));
    let written = 0;
    for (let i = 0; written < size; i++) {
      let b = fill(i);
      if (written + b.length > size) b = b.subarray(0, size - written);
      await put(b);
      written += b.length;
    }
    await put(Buffer.concat([pad(size), Buffer.alloc(2 * BLOCK)]));
    z.end();
    await new Promise<void>((r) => out.on('close', () => r()));
  };
  const longLine = join(dir, 'long-line.tar.gz');
  const chunk = Buffer.alloc(1 << 20, 'y');
  await write(longLine, 'snap/logs/kube-system/kube-proxy-a/kube-proxy.log', lineBytes, () => chunk);
  const bigLog = join(dir, 'big-log.tar.gz');
  // ~1 MiB of varied klog lines per chunk, so the parser does real work.
  const lines = (i: number) => {
    const out: string[] = [];
    for (let j = 0; j < 8000; j++) {
      const s = (i * 8000 + j) % 86400;
      const t = `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
      out.push(klog(t, `Trying to delete rs: 10.96.${j % 256}.${i % 256}:443/TCP/10.0.${j % 200}.1:8443`).trimEnd());
    }
    return Buffer.from(`${out.join('\n')}\n`);
  };
  await write(bigLog, 'snap/logs/kube-system/kube-proxy-b/kube-proxy.log', logBytes, lines);
  return { longLine, bigLog };
}
