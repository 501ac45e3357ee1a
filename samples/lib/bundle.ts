/**
 * Bundle specs and the writer that turns them into archives.
 *
 * A bundle is an ordered list of (path, content). Content is a string, a line generator, or
 * another bundle (an archive inside the archive: an upload `.tgz` holding a snapshot `.tar.gz`).
 * The writer streams the archive with tar-stream and zlib: a tar header needs the member's size
 * before its bytes, so a generated member is produced twice, once to count its bytes and once to
 * write them. Nothing is held in memory beyond one chunk, which is what lets the benchmark ask
 * for bundles of any size.
 *
 * Every header carries the bundle's fixed mtime, uid/gid 0 and fixed modes, and gzip writes no
 * name or time, so the same spec always yields the same bytes.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as tar from 'tar-stream';

type HeaderArg = Partial<tar.Header> & Pick<tar.Header, 'name'>;

/** Lines of a generated file, without their `\n`. Called once per pass: it must start afresh each time. */
export type LineGenerator = () => Iterable<string>;

export type Content = string | LineGenerator | BundleSpec;

export interface BundleEntry {
  /** Path inside the archive, `/`-separated, no leading `/`. */
  path: string;
  content: Content;
}

export interface BundleSpec {
  /** File name of the archive; used as the member name when the bundle is nested. */
  name: string;
  format: 'tar.gz' | 'tar';
  /** Modification time of every member, µs since the epoch. */
  mtime: number;
  entries: BundleEntry[];
  /** gzip level, 1 (fast) to 9 (small); 6 when absent. */
  gzipLevel?: number;
}

/** Lines joined into chunks of about this many characters before they become bytes. */
const CHUNK_CHARS = 64 * 1024;

/** The text of a generated file in chunks, each ending with `\n`. */
function* textChunks(lines: Iterable<string>): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const line of lines) {
    parts.push(line);
    length += line.length + 1;
    if (length >= CHUNK_CHARS) {
      parts.push('');
      yield parts.join('\n');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) {
    parts.push('');
    yield parts.join('\n');
  }
}

/** Bytes a line generator produces (the counting pass). */
export function generatedSize(gen: LineGenerator): number {
  let n = 0;
  for (const chunk of textChunks(gen())) n += Buffer.byteLength(chunk, 'utf8');
  return n;
}

/** Size of any content in bytes; nested bundles are built (and discarded) to measure them. */
export async function contentSize(c: Content): Promise<number> {
  if (typeof c === 'string') return Buffer.byteLength(c, 'utf8');
  if (typeof c === 'function') return generatedSize(c);
  let n = 0;
  for await (const chunk of archiveChunks(c)) n += chunk.length;
  return n;
}

/** The bytes of any content, chunk by chunk. */
export async function* contentChunks(c: Content): AsyncGenerator<Buffer> {
  if (typeof c === 'string') {
    yield Buffer.from(c, 'utf8');
    return;
  }
  if (typeof c === 'function') {
    for (const chunk of textChunks(c())) yield Buffer.from(chunk, 'utf8');
    return;
  }
  yield* archiveChunks(c);
}

/** Directories to declare before `path` that have not been declared yet. */
function newDirectories(path: string, seen: Set<string>): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (!seen.has(dir)) {
      seen.add(dir);
      out.push(dir);
    }
  }
  return out;
}

function addEntry(pack: tar.Pack, header: HeaderArg, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
  });
}

/** Write chunks into one tar member, honouring back-pressure. */
async function streamEntry(pack: tar.Pack, header: HeaderArg, chunks: AsyncIterable<Buffer>): Promise<void> {
  let done!: (err?: Error | null) => void;
  const finished = new Promise<void>((resolve, reject) => { done = (err) => (err ? reject(err) : resolve()); });
  const sink = pack.entry(header, (err) => done(err));
  for await (const chunk of chunks) {
    if (!sink.write(chunk)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
  }
  sink.end(undefined);
  await finished;
}

/** Fill a tar pack with the spec's members, then finalise it. */
async function fill(pack: tar.Pack, spec: BundleSpec): Promise<void> {
  const mtime = new Date(Math.floor(spec.mtime / 1000));
  const common = { mtime, uid: 0, gid: 0, uname: 'root', gname: 'root' };
  const seen = new Set<string>();
  for (const e of spec.entries) {
    if (e.path.startsWith('/') || e.path.split('/').includes('..')) throw new Error(`bad member path: ${e.path}`);
    for (const dir of newDirectories(e.path, seen)) {
      await addEntry(pack, { ...common, name: `${dir}/`, type: 'directory', mode: 0o755 });
    }
    const header: HeaderArg = { ...common, name: e.path, type: 'file', mode: 0o644 };
    if (typeof e.content === 'string') {
      await addEntry(pack, header, Buffer.from(e.content, 'utf8'));
    } else {
      header.size = await contentSize(e.content);
      await streamEntry(pack, header, contentChunks(e.content));
    }
  }
  pack.finalize();
}

/** The archive's bytes, compressed if the format says so, produced lazily. */
export async function* archiveChunks(spec: BundleSpec): AsyncGenerator<Buffer> {
  const pack = tar.pack();
  let failure: unknown;
  const producing = fill(pack, spec).catch((e: unknown) => {
    failure = e;
    pack.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  let source: AsyncIterable<Buffer> = pack as unknown as AsyncIterable<Buffer>;
  if (spec.format === 'tar.gz') {
    const gz = createGzip({ level: spec.gzipLevel ?? 6 });
    const piping = pipeline(Readable.from(pack as unknown as AsyncIterable<Buffer>), gz).catch((e: unknown) => {
      failure ??= e;
    });
    source = gz;
    try {
      for await (const chunk of source) yield chunk as Buffer;
    } catch (e) {
      failure ??= e;
    }
    await piping;
  } else {
    try {
      for await (const chunk of source) yield chunk;
    } catch (e) {
      failure ??= e;
    }
  }
  await producing;
  if (failure !== undefined) throw failure;
}

/** Write a bundle to a file (parent folders created). Returns the archive's size in bytes. */
export async function writeBundle(spec: BundleSpec, file: string): Promise<number> {
  await mkdir(dirname(file), { recursive: true });
  let bytes = 0;
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of archiveChunks(spec)) {
      bytes += chunk.length;
      yield chunk;
    }
  };
  await pipeline(Readable.from(counted()), createWriteStream(file));
  return bytes;
}
