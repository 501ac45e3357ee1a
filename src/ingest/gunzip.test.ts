import zlib, { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipStream } from './gunzip.js';

/** Deterministic bytes that do not compress. */
function noise(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; b[i] = x >>> 24; }
  return b;
}

/** Feed `data` in `size`-byte chunks, so members and trailers straddle chunk boundaries. */
async function* chunks(data: Buffer, size = 1000): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function gunzip(data: Buffer): Promise<{ out: Buffer; mismatches: string[]; other: string[] }> {
  const mismatches: string[] = [];
  const other: string[] = [];
  const parts: Buffer[] = [];
  for await (const c of gunzipStream(chunks(data), {
    truncated: (m) => other.push(m),
    trailing: (m) => other.push(m),
    mismatch: (m) => mismatches.push(m),
  })) parts.push(c);
  return { out: Buffer.concat(parts), mismatches, other };
}

const hex = (n: number) => n.toString(16).padStart(8, '0');

describe('gzip member integrity', () => {
  const a = Buffer.from('first member\n'.repeat(5000));
  const b = noise(300_000, 2);
  const c = Buffer.from('third member\n');

  it('intact concatenated members: no warning, every byte delivered', async () => {
    const r = await gunzip(Buffer.concat([gzipSync(a), gzipSync(b), gzipSync(c)]));
    expect(r.out.equals(Buffer.concat([a, b, c]))).toBe(true);
    expect(r.mismatches).toEqual([]);
    expect(r.other).toEqual([]);
  });

  it('a flipped trailer CRC: names the member, states both values, reads on', async () => {
    const second = gzipSync(b);
    second[second.length - 8] ^= 0xff;
    const stated = second.readUInt32LE(second.length - 8);
    const r = await gunzip(Buffer.concat([gzipSync(a), second, gzipSync(c)]));
    expect(r.out.equals(Buffer.concat([a, b, c]))).toBe(true);
    expect(r.mismatches).toEqual([
      `gzip member 2 fails its integrity check: expected CRC-32 ${hex(stated)} and ${b.length} bytes (mod 2^32), found CRC-32 ${hex(zlib.crc32(b))} and ${b.length} bytes; its data or trailer is damaged`,
    ]);
    expect(r.other).toEqual([]);
  });

  it('a wrong length in the trailer is reported too', async () => {
    const only = gzipSync(c);
    only.writeUInt32LE(c.length + 1, only.length - 4);
    const r = await gunzip(only);
    expect(r.mismatches).toEqual([
      `gzip member 1 fails its integrity check: expected CRC-32 ${hex(zlib.crc32(c))} and ${c.length + 1} bytes (mod 2^32), found CRC-32 ${hex(zlib.crc32(c))} and ${c.length} bytes; its data or trailer is damaged`,
    ]);
  });

  it('a flipped byte inside a stored block still inflates: the damaged data is delivered and reported', async () => {
    const stored = gzipSync(a, { level: 0 });
    // 10-byte header, then the stored block's own header (1 byte + LEN + NLEN), then the data.
    stored[15 + 100] ^= 0x20;
    const damaged = Buffer.from(a);
    damaged[100] ^= 0x20;
    const r = await gunzip(Buffer.concat([stored, gzipSync(c)]));
    expect(r.out.equals(Buffer.concat([damaged, c]))).toBe(true);
    expect(r.mismatches).toEqual([
      `gzip member 1 fails its integrity check: expected CRC-32 ${hex(zlib.crc32(a))} and ${a.length} bytes (mod 2^32), found CRC-32 ${hex(zlib.crc32(damaged))} and ${a.length} bytes; its data or trailer is damaged`,
    ]);
  });

  it('a member cut short is truncated, not a checksum mismatch', async () => {
    const whole = gzipSync(b);
    const r = await gunzip(whole.subarray(0, whole.length - 4));
    expect(r.mismatches).toEqual([]);
    expect(r.other).toEqual(['gzip trailer of member 1 is cut short']);
  });
});
