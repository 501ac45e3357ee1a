/**
 * gzip decompression that survives damaged uploads. The gzip framing (header, trailer,
 * concatenated members) is read here and only the deflate data goes to zlib's raw inflater, so:
 * a stream cut short delivers everything decodable and then reports the truncation; bytes after
 * the last member (trailing garbage) are reported and ignored instead of failing the whole
 * stream; concatenated members (`cat a.gz b.gz`) are all read. (zlib's own gunzip discards the
 * output of the write that hits an error, which would lose the end of the data.) Each member's
 * trailer is checked against what was inflated (CRC-32 and length): damage that still inflates
 * is reported once the member ends, and the bytes already delivered stand.
 */
import { constants, createInflateRaw } from 'node:zlib';
import { ByteReader } from './byte-reader.js';
import { crc32 } from './crc32.js';

const OUT_CHUNK = 256 * 1024;
const FEXTRA = 4, FNAME = 8, FCOMMENT = 16, FHCRC = 2;
/** How much of what follows the last member is inspected before calling it garbage. */
const INSPECT = 64 * 1024;

export interface GunzipEvents {
  /** The stream ended inside a member: what was decodable was delivered. */
  truncated(message: string): void;
  /** Non-gzip bytes after the last member were ignored. */
  trailing(message: string): void;
  /** A member's trailer (CRC-32, length) disagrees with the data inflated from it. */
  mismatch?(message: string): void;
}

export class GzipError extends Error {}

async function readHeader(r: ByteReader): Promise<'ok' | 'end' | 'not-gzip'> {
  const h = await r.read(10);
  if (h.length === 0) return 'end';
  if (h.length < 10 || h[0] !== 0x1f || h[1] !== 0x8b) { r.unshift(h); return 'not-gzip'; }
  if (h[2] !== 8) throw new GzipError(`gzip: unknown compression method ${h[2]}`);
  const flags = h[3];
  if (flags & FEXTRA) { const x = await r.read(2); if (x.length === 2) await r.skip(x.readUInt16LE(0)); }
  for (const f of [FNAME, FCOMMENT]) {
    if (!(flags & f)) continue;
    for (let b = await r.read(1); b.length && b[0] !== 0; b = await r.read(1)) { /* zero-terminated field */ }
  }
  if (flags & FHCRC) await r.skip(2);
  return 'ok';
}

/**
 * Inflate one member's deflate data from the reader. Each input chunk is written and waited
 * for, so when zlib stops consuming (the deflate stream ended) the unused bytes are known
 * exactly and are put back on the reader. `done.complete` is false when the input ran out first.
 */
async function* inflateMember(r: ByteReader, done: { complete: boolean }): AsyncGenerator<Buffer> {
  const z = createInflateRaw({ chunkSize: OUT_CHUNK, finishFlush: constants.Z_SYNC_FLUSH });
  const queue: Buffer[] = [];
  let finished = false;
  let failure: Error | undefined;
  let notify: (() => void) | undefined;
  const signal = () => { const n = notify; notify = undefined; n?.(); };
  z.on('data', (c: Buffer) => { queue.push(c); if (queue.length >= 4) z.pause(); signal(); });
  z.on('end', () => { finished = true; signal(); });
  z.on('error', (e: Error) => { failure = e; finished = true; signal(); });
  const feed = (async () => {
    let fed = 0;
    try {
      for await (const c of r.stream(Number.MAX_SAFE_INTEGER)) {
        fed += c.length;
        // zlib may report a data error through 'error' without calling the write callback.
        await new Promise<void>((resolve, reject) => {
          const onError = (e: Error) => reject(e);
          z.once('error', onError);
          z.once('close', resolve);
          z.write(c, (err) => { z.off('error', onError); z.off('close', resolve); if (err) reject(err); else resolve(); });
        });
        if (failure) break;
        if (z.bytesWritten < fed) {
          r.unshift(c.subarray(c.length - (fed - z.bytesWritten)));
          done.complete = true;
          break;
        }
      }
    } catch (e) {
      if (!failure) failure = e as Error;
    } finally {
      if (!z.destroyed) z.end();
    }
  })();
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) { if (queue.length < 2 && z.isPaused()) z.resume(); yield chunk; continue; }
      if (finished) break;
      await new Promise<void>((resolve) => { notify = resolve; });
    }
    await feed;
    if (failure) throw new GzipError(`gzip: ${failure.message}`);
  } finally {
    z.destroy();
    await feed;
  }
}

const hex = (n: number) => n.toString(16).padStart(8, '0');

/**
 * A member's trailer (CRC-32, length mod 2^32) against its inflated data: undefined when they
 * agree, else both sides stated.
 */
function checkTrailer(trailer: Buffer, crc: number, size: number): string | undefined {
  const wantCrc = trailer.readUInt32LE(0);
  const wantSize = trailer.readUInt32LE(4);
  if (wantCrc === crc && wantSize === size % 2 ** 32) return undefined;
  return `expected CRC-32 ${hex(wantCrc)} and ${wantSize} bytes (mod 2^32), found CRC-32 ${hex(crc)} and ${size} bytes`;
}

/** Decompress a gzip stream (one or several members). Damage is reported, never silently lost. */
export async function* gunzipStream(source: AsyncIterable<Buffer>, events: GunzipEvents): AsyncGenerator<Buffer> {
  const r = new ByteReader(source);
  let members = 0;
  let out = 0;
  try {
    for (;;) {
      const header = await readHeader(r);
      if (header === 'end') return;
      if (header === 'not-gzip') {
        if (members === 0) throw new GzipError('gzip: not a gzip stream');
        const rest = await r.read(INSPECT);
        if (!rest.every((b) => b === 0)) events.trailing(`bytes after the end of the gzip data were ignored (trailing garbage after member ${members})`);
        return; // zero padding after the last member is normal
      }
      const done = { complete: false };
      let crc = 0;
      let size = 0;
      for await (const c of inflateMember(r, done)) { crc = crc32(c, crc); size += c.length; out += c.length; yield c; }
      members++;
      if (!done.complete) {
        events.truncated(`gzip data ends inside member ${members} (${out} bytes decompressed): the upload is truncated`);
        return;
      }
      const trailer = await r.read(8);
      if (trailer.length < 8) { events.truncated(`gzip trailer of member ${members} is cut short`); return; }
      const problem = checkTrailer(trailer, crc, size);
      if (problem) events.mismatch?.(`gzip member ${members} fails its integrity check: ${problem}; its data or trailer is damaged`);
    }
  } finally {
    await r.close();
  }
}
