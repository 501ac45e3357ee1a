import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, tableCrc32 } from './crc32.js';

/** Deterministic bytes that do not compress. */
function noise(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) { x = (Math.imul(x, 1664525) + 1013904223) >>> 0; b[i] = x >>> 24; }
  return b;
}

describe('crc32', () => {
  it('gives the standard check value, natively and from the table', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(tableCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(tableCrc32(Buffer.alloc(0))).toBe(0);
  });

  it('the table version agrees with zlib and chains over chunks', () => {
    const data = noise(100_003, 5);
    const whole = zlib.crc32(data);
    expect(tableCrc32(data)).toBe(whole);
    expect(tableCrc32(data.subarray(70_000), tableCrc32(data.subarray(0, 70_000)))).toBe(whole);
    expect(crc32(data.subarray(1), crc32(data.subarray(0, 1)))).toBe(whole);
  });
});
