/**
 * A streaming tar reader built for damaged uploads. Unlike a general-purpose extractor, it
 * keeps going after a corrupt header: it validates each header's checksum and, on a bad one,
 * scans forward block by block to the next valid header, so members after the damage are still
 * read. It understands ustar, GNU long names (`L`/`K`) and PAX headers (`x`/`g`), reports a
 * member cut short by the end of the data, and never touches the file system.
 */
import { ByteReader } from './byte-reader.js';

const BLOCK = 512;

export type TarType = 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo' | 'other';

export interface TarHeader {
  name: string;
  size: number;
  mtime?: number;
  type: TarType;
  linkname?: string;
}

export interface TarEntry {
  header: TarHeader;
  /** The member's bytes; reading stops at the declared size or the end of the data. */
  body: AsyncIterable<Buffer>;
}

export interface TarProblem {
  /** `bad-header` (skipped to the next valid one), `truncated` (member cut short), `trailing-data`. */
  code: 'bad-header' | 'truncated' | 'trailing-data';
  /** The member concerned, or the last good one before the damage. */
  near?: string;
  offset: number;
  message: string;
}

const TYPES: Record<string, TarType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'link', '2': 'symlink', '3': 'character-device', '4': 'block-device', '5': 'directory', '6': 'fifo',
};

function cstring(b: Buffer, start: number, len: number): string {
  const end = b.indexOf(0, start);
  return b.toString('utf8', start, end === -1 || end > start + len ? start + len : end);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A name field: UTF-8 when it is valid, else each byte outside ASCII shown as `\\xNN`. */
function nameString(b: Buffer, start: number, len: number): string {
  const end = b.indexOf(0, start);
  const raw = b.subarray(start, end === -1 || end > start + len ? start + len : end);
  try {
    return strictUtf8.decode(raw);
  } catch {
    let s = '';
    for (const x of raw) s += x < 0x80 ? String.fromCharCode(x) : `\\x${x.toString(16).padStart(2, '0')}`;
    return s;
  }
}

/** Octal field, or GNU base-256 for large values. NaN when malformed. */
function numeric(b: Buffer, start: number, len: number): number {
  if (b[start] & 0x80) {
    let v = 0;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + b[i];
    return v;
  }
  const s = cstring(b, start, len).trim();
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : NaN;
}

/** A header block is valid when its checksum matches (signed or unsigned sum, as tar writers vary). */
export function validHeader(b: Buffer): boolean {
  if (b.length < BLOCK) return false;
  const stored = numeric(b, 148, 8);
  if (Number.isNaN(stored)) return false;
  let unsigned = 0, signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const x = i >= 148 && i < 156 ? 32 : b[i];
    unsigned += x;
    signed += x > 127 ? x - 256 : x;
  }
  return stored === unsigned || stored === signed;
}

const isZero = (b: Buffer) => b.every((x) => x === 0);

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(data.toString('utf8', i, sp));
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = data.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/**
 * Read a tar stream. Problems are reported through `onProblem` and reading goes on where it
 * can. The consumer may leave a body unread: the reader skips the rest before the next entry.
 */
export async function* readTar(source: AsyncIterable<Buffer>, onProblem: (p: TarProblem) => void): AsyncGenerator<TarEntry> {
  const r = new ByteReader(source);
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let last: string | undefined;
  try {
    for (;;) {
      const start = r.offset;
      const h = await r.read(BLOCK);
      if (h.length === 0) return;
      if (h.length < BLOCK) {
        onProblem({ code: 'truncated', near: last, offset: start, message: `archive ends inside a header (${h.length} of 512 bytes)` });
        return;
      }
      if (isZero(h)) {
        // End-of-archive marker, then zero padding to the record size. Anything else after it
        // is worth a mention, not a failure.
        let trailing = false;
        for (let b = await r.read(BLOCK); b.length > 0; b = await r.read(BLOCK)) if (!isZero(b)) { trailing = true; break; }
        if (trailing) onProblem({ code: 'trailing-data', near: last, offset: start, message: 'data after the end-of-archive marker was ignored' });
        return;
      }
      if (!validHeader(h)) {
        // Resynchronise: look for the next block that is a valid header.
        let skipped = BLOCK;
        let found: Buffer | undefined;
        for (;;) {
          const b = await r.read(BLOCK);
          if (b.length < BLOCK) break;
          if (!isZero(b) && validHeader(b)) { found = b; break; }
          skipped += BLOCK;
        }
        onProblem({
          code: 'bad-header', near: last, offset: start,
          message: found ? `corrupt tar header at byte ${start}${last ? ` (after ${last})` : ''}; skipped ${skipped} bytes to the next valid member` : `corrupt tar header at byte ${start}${last ? ` (after ${last})` : ''}; no valid member after it`,
        });
        if (!found) return;
        yield* entryFrom(found);
        continue;
      }
      yield* entryFrom(h);
    }
  } finally {
    await r.close();
  }

  async function* entryFrom(h: Buffer): AsyncGenerator<TarEntry> {
    const typeflag = String.fromCharCode(h[156] || 0x30);
    let size = numeric(h, 124, 12);
    if (Number.isNaN(size) || size < 0) size = 0;
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    // Metadata entries: their data names or describes the next entry.
    if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x' || typeflag === 'g') {
      const data = await r.read(padded);
      const body = data.subarray(0, size);
      if (typeflag === 'L') longName = nameString(body, 0, body.length);
      else if (typeflag === 'K') longLink = nameString(body, 0, body.length);
      else if (typeflag === 'x') pax = parsePax(body);
      else globalPax = { ...globalPax, ...parsePax(body) };
      return;
    }
    const ustar = h.toString('latin1', 257, 262) === 'ustar';
    const prefix = ustar ? nameString(h, 345, 155) : '';
    const meta = { ...globalPax, ...pax };
    let name = meta.path ?? longName ?? (prefix ? `${prefix}/${nameString(h, 0, 100)}` : nameString(h, 0, 100));
    const linkname = meta.linkpath ?? longLink ?? nameString(h, 157, 100);
    if (meta.size && /^\d+$/.test(meta.size)) size = Number(meta.size);
    const mtimeSec = meta.mtime ? Number(meta.mtime) : numeric(h, 136, 12);
    longName = undefined; longLink = undefined; pax = {};
    const type = TYPES[typeflag] ?? 'other';
    if (type === 'directory' && !name.endsWith('/')) name += '/';
    const header: TarHeader = { name, size: type === 'file' ? size : 0, mtime: Number.isFinite(mtimeSec) ? mtimeSec * 1000 : undefined, type, linkname: linkname || undefined };
    last = name;
    const dataSize = type === 'file' ? size : typeflag === '1' || typeflag === '2' ? 0 : size;
    let read = 0;
    let cut = false;
    const body = (async function* () {
      for await (const c of r.stream(dataSize - read)) { read += c.length; yield c; }
      if (read < dataSize) { cut = true; throw new TarTruncated(name, read, dataSize); }
    })();
    yield { header, body };
    if (cut) return; // the consumer was told; the archive has no more data
    // Whatever the consumer did not read, skip; then the padding.
    const rest = dataSize - read;
    if (rest > 0) {
      const skipped = await r.skip(rest);
      read += skipped;
      if (read < dataSize) {
        onProblem({ code: 'truncated', near: name, offset: r.offset, message: `member declares ${dataSize} bytes but the archive ends after ${read}` });
        return;
      }
    }
    const pad = Math.ceil(dataSize / BLOCK) * BLOCK - dataSize;
    if (pad) await r.skip(pad);
  }
}

/** Thrown by a member body whose data ends before its declared size. */
export class TarTruncated extends Error {
  constructor(readonly member: string, readonly got: number, readonly declared: number) {
    super(`member declares ${declared} bytes but the archive ends after ${got}`);
  }
}
