/**
 * Streams every file of an input — a plain file, a directory, stdin, a `.tar`, `.tar.gz`/`.tgz`
 * or `.gz`, and archives nested inside archives — to a handler, one member at a time, without
 * ever writing to disk. This is the only module that touches the file system.
 *
 * Archives are recognised by their bytes, not their names (a `.tar.gz` that is really a zip is
 * reported as such). Decompression is bounded by a total-bytes and a ratio limit, and nesting
 * by a depth limit; hitting one is a warning naming the member, and the rest is still read.
 */
import { createReadStream, promises as fs } from 'node:fs';
import { gunzipStream } from './gunzip.js';
import { posix } from 'node:path';
import fg from 'fast-glob';
import { readTar, TarTruncated, validHeader, type TarProblem } from './tar.js';

export interface IngestLimits {
  /** How many archives deep to open (an upload holding a snapshot tarball is depth 2). */
  maxDepth: number;
  /** Decompressed bytes allowed per top-level input, all members together. */
  maxTotalBytes: number;
  /** Largest decompressed/compressed ratio tolerated once past `ratioGraceBytes`. */
  maxRatio: number;
  ratioGraceBytes: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxDepth: 4,
  maxTotalBytes: 64 * 1024 ** 3,
  maxRatio: 1000,
  ratioGraceBytes: 64 * 1024 ** 2,
};

/** One regular file found in an input, with its decompressed content as a stream of chunks. */
export interface Member {
  /** Full address for citations: `upload.tgz!/snap/nodes/10.0.0.1/dmesg`. */
  address: string;
  /** Logical path used for layout hints: the path inside the archives, joined. */
  path: string;
  name: string;
  /** Size as declared by the container (tar header, file stat), before any decompression. */
  size?: number;
  mtime?: number;
  chunks: AsyncIterable<Buffer>;
}

export interface IngestWarning {
  code: string;
  address: string;
  message: string;
}

export interface IngestHandler {
  /** Consume `member.chunks` completely (or throw what reading it threw). */
  file(member: Member): Promise<void>;
  warn(w: IngestWarning): void;
  /** An entry that is not a regular file (symlink, device, directory link): listed, never followed. */
  skipped(address: string, reason: string): void;
}

export const STDIN = '-';
const READ_CHUNK = 256 * 1024;

/** Escape control characters and invalid names so a hostile member name prints as data. */
export function escapeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\x00-\x1f\x7f\u2028\u2029\ufffd]/g, (c) => (c.charCodeAt(0) > 0xff ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Member path inside an archive, made relative and free of `.`/`..` tricks, for display only. */
function cleanMemberPath(name: string): string {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  return escapeName(parts.join('/'));
}

class Budget {
  total = 0;
  constructor(readonly limits: IngestLimits) {}
}

/** The input itself cannot be read at all (a zip or 7z given as the bundle). */
export class UnreadableInput extends Error {}

class LimitError extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}

/**
 * Read an input path (file, directory or `-`) and hand every member to the handler. Damage
 * inside the input becomes warnings; only an input that cannot be opened at all throws.
 */
export async function ingest(input: string, handler: IngestHandler, limits: IngestLimits = DEFAULT_LIMITS): Promise<void> {
  const budget = new Budget(limits);
  const guarded = async (m: Member, top = false): Promise<void> => {
    try {
      await member(m, 0, handler, budget, top);
    } catch (e) {
      if (e instanceof UnreadableInput) throw e;
      const code = e instanceof LimitError ? e.code : /gzip|header check|unexpected end of file|incorrect/i.test(errorText(e)) ? 'corrupt-gzip' : 'read-error';
      handler.warn({ code, address: m.address, message: errorText(e) });
    }
  };
  if (input === STDIN) {
    await guarded({ address: 'stdin', path: 'stdin', name: 'stdin', chunks: process.stdin }, true);
    return;
  }
  const st = await fs.stat(input);
  if (st.isDirectory()) {
    // Not onlyFiles: that drops symlinks silently; they and other special files are listed instead.
    const files = (await fg('**/*', { cwd: input, dot: true, onlyFiles: false, followSymbolicLinks: false, stats: true })).filter((f) => !f.stats?.isDirectory());
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const root = input.replace(/\/+$/, '');
    for (const f of files) {
      const address = `${root}/${f.path}`;
      if (f.stats?.isSymbolicLink()) { handler.skipped(address, 'symbolic link (not followed)'); continue; }
      // A fifo would block the read forever; devices and sockets are not bundle content.
      if (f.stats && !f.stats.isFile()) { handler.skipped(address, `${f.stats.isFIFO() ? 'fifo' : f.stats.isSocket() ? 'socket' : 'device'} (not opened)`); continue; }
      await guarded({
        address, path: f.path, name: posix.basename(f.path), size: f.stats?.size, mtime: f.stats?.mtimeMs,
        chunks: createReadStream(`${root}/${f.path}`, { highWaterMark: READ_CHUNK }),
      });
    }
    return;
  }
  await guarded({
    address: input, path: posix.basename(input), name: posix.basename(input), size: st.size, mtime: st.mtimeMs,
    chunks: createReadStream(input, { highWaterMark: READ_CHUNK }),
  }, true);
}

type Magic = 'gzip' | 'tar' | 'zip' | '7z' | 'bzip2' | 'xz' | 'zstd' | 'text';

function sniff(head: Buffer): Magic {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
  // An empty tar (only the end-of-archive blocks) or a pre-POSIX header without the magic.
  if (head.length >= 512 && (head.subarray(0, 512).every((b) => b === 0) || validHeader(head))) return 'tar';
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) return 'zip';
  if (head.length >= 6 && head.toString('latin1', 0, 2) === '7z' && head[2] === 0xbc) return '7z';
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'BZh') return 'bzip2';
  if (head.length >= 6 && head[0] === 0xfd && head.toString('latin1', 1, 5) === '7zXZ') return 'xz';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'text';
}

/**
 * Read up to `n` bytes from the front of a chunk stream and return them with a stream that
 * replays them before the rest, so the head can be sniffed without buffering the file.
 */
export async function peek(chunks: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = chunks[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let have = 0;
  let done = false;
  let failure: unknown;
  try {
    while (have < n) {
      const r = await it.next();
      if (r.done) { done = true; break; }
      taken.push(r.value);
      have += r.value.length;
    }
  } catch (e) {
    // Data cut short inside the head: what came is still delivered, then the error.
    if (have === 0) throw e;
    failure = e;
  }
  const head = Buffer.concat(taken).subarray(0, n);
  async function* rest(): AsyncGenerator<Buffer> {
    yield* taken;
    if (failure) throw failure;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, rest: rest() };
}

/** Dispatch one member: open it if it is an archive, hand it to the handler otherwise. */
async function member(m: Member, depth: number, handler: IngestHandler, budget: Budget, top = false): Promise<void> {
  let head: Buffer;
  let rest: AsyncIterable<Buffer>;
  try {
    ({ head, rest } = await peek(m.chunks, 512));
  } catch (e) {
    handler.warn({ code: 'read-error', address: m.address, message: `cannot read: ${errorText(e)}` });
    return;
  }
  const kind = sniff(head);
  if (kind === 'gzip' || kind === 'tar') {
    if (depth >= budget.limits.maxDepth) {
      handler.warn({ code: 'nesting-too-deep', address: m.address, message: `archive nested deeper than ${budget.limits.maxDepth} levels: not opened` });
      await drain(rest);
      return;
    }
    if (kind === 'gzip') return gunzipMember(m, rest, depth, handler, budget);
    return tarMember(m, rest, depth, handler, budget);
  }
  if (kind !== 'text') {
    if (top) throw new UnreadableInput(`${kind} archive: not supported (only tar, gzip and tar.gz are read)`);
    handler.warn({ code: 'unsupported-archive', address: m.address, message: `${kind} archive: not supported (only tar, gzip and tar.gz are read)` });
    await drain(rest);
    handler.skipped(m.address, `${kind} archive (unsupported)`);
    return;
  }
  if (ARCHIVE_NAME.test(m.name)) {
    handler.warn(head.length === 0
      ? { code: 'empty-archive', address: m.address, message: 'zero-byte file named like an archive: nothing to read' }
      : { code: 'not-an-archive', address: m.address, message: `named like an archive but holds ${looksText(head) ? 'plain text' : 'unrecognised data'}: read as a plain file` });
  }
  await handler.file({ ...m, chunks: counted(rest, budget, m.address) });
}

const ARCHIVE_NAME = /\.(tar\.gz|tgz|tar|gz)$/i;
// eslint-disable-next-line no-control-regex
const looksText = (head: Buffer) => !/[\x00-\x08\x0e-\x1f]/.test(head.toString('latin1'));

async function gunzipMember(m: Member, raw: AsyncIterable<Buffer>, depth: number, handler: IngestHandler, budget: Budget): Promise<void> {
  const inner = m.name.replace(/\.(tgz)$/i, '.tar').replace(/\.gz$/i, '');
  const decompressed = gunzip(raw, budget, (code, message) => handler.warn({ code, address: m.address, message }));
  // A gzip holding a tar is one archive level; a gzip holding a file is that file, renamed.
  const { head, rest } = await peek(decompressed, 512).catch((e: unknown) => {
    handler.warn({ code: 'corrupt-gzip', address: m.address, message: errorText(e) });
    return { head: Buffer.alloc(0), rest: (async function* () { /* nothing */ })() };
  });
  if (head.length === 0) return;
  const path = m.path.replace(/\.(tgz)$/i, '.tar').replace(/\.gz$/i, '');
  const next: Member = { address: m.address, path, name: inner, size: m.size, mtime: m.mtime, chunks: rest };
  if (sniff(head) === 'tar') return tarMember(next, next.chunks, depth, handler, budget);
  return member(next, depth + 1, handler, budget);
}

/** Decompress a gzip member stream, enforcing the ratio limit; framing damage becomes warnings. */
async function* gunzip(raw: AsyncIterable<Buffer>, budget: Budget, warn: (code: string, message: string) => void): AsyncGenerator<Buffer> {
  let inBytes = 0;
  let outBytes = 0;
  const counted = (async function* () { for await (const c of raw) { inBytes += c.length; yield c; } })();
  for await (const chunk of gunzipStream(counted, {
    truncated: (message) => warn('truncated-gzip', message),
    trailing: (message) => warn('trailing-garbage', message),
    mismatch: (message) => warn('gzip-checksum-mismatch', message),
  })) {
    outBytes += chunk.length;
    const { maxRatio, ratioGraceBytes } = budget.limits;
    if (outBytes > ratioGraceBytes && outBytes > inBytes * maxRatio) {
      throw new LimitError('decompression-bomb', `decompression ratio over ${maxRatio}:1 after ${outBytes} bytes: stopped`);
    }
    yield chunk;
  }
}

/** Count decompressed bytes against the input's total budget. */
async function* counted(chunks: AsyncIterable<Buffer>, budget: Budget, address: string): AsyncGenerator<Buffer> {
  for await (const c of chunks) {
    budget.total += c.length;
    if (budget.total > budget.limits.maxTotalBytes) {
      throw new LimitError('total-bytes-exceeded', `input exceeds ${budget.limits.maxTotalBytes} decompressed bytes: stopped at ${address}`);
    }
    yield c;
  }
}

async function tarMember(m: Member, chunks: AsyncIterable<Buffer>, depth: number, handler: IngestHandler, budget: Budget): Promise<void> {
  let count = 0;
  const problem = (p: TarProblem) => {
    // A cut member is named; a bad header or trailing data is a place in the archive, whose
    // message names the member before it (that member itself was read whole).
    const where = p.near && p.code === 'truncated' ? `${m.address}!/${cleanMemberPath(p.near)}` : m.address;
    const code = p.code === 'bad-header' ? 'corrupt-tar-header' : p.code === 'truncated' ? 'truncated-archive' : 'trailing-data';
    handler.warn({ code, address: where, message: escapeName(p.message) });
  };
  try {
    for await (const entry of readTar(chunks, problem)) {
      const h = entry.header;
      const inner = cleanMemberPath(h.name);
      const address = `${m.address}!/${inner}`;
      if (h.type !== 'file') {
        if (h.type !== 'directory') handler.skipped(address, `${h.type}${h.linkname ? ` → ${escapeName(h.linkname)}` : ''} (not followed)`);
        continue;
      }
      count++;
      const child: Member = {
        address,
        path: `${m.path.replace(/\.tar$/i, '')}/${inner}`,
        name: posix.basename(inner),
        size: h.size,
        mtime: h.mtime,
        chunks: entry.body,
      };
      try {
        await member(child, depth + 1, handler, budget);
      } catch (e) {
        if (e instanceof LimitError && e.code === 'total-bytes-exceeded') throw e;
        if (e instanceof LimitError) { handler.warn({ code: e.code, address, message: e.message }); continue; }
        handler.warn({ code: e instanceof TarTruncated ? 'truncated-member' : 'corrupt-member', address, message: errorText(e) });
      }
    }
  } catch (e) {
    if (e instanceof LimitError) { handler.warn({ code: e.code, address: m.address, message: e.message }); return; }
    handler.warn({ code: 'corrupt-archive', address: `${m.address}${count ? ` (after ${count} members)` : ''}`, message: `archive unreadable from here on: ${errorText(e)}` });
  }
  if (count === 0) handler.warn({ code: 'empty-archive', address: m.address, message: 'archive holds no files' });
}

async function drain(chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of chunks) { /* discard */ }
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message.replace(/\s+/g, ' ');
  return String(e);
}
