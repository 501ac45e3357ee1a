/**
 * CRC-32 (the gzip/zip polynomial), chainable over chunks: `crc32(b, crc32(a)) === crc32(a + b)`.
 * Node's `zlib.crc32` (native, Node ≥ 20.15) when it exists; a table-driven version otherwise,
 * so older Node 20 releases still verify gzip members, only more slowly.
 */
import zlib from 'node:zlib';

export type Crc32 = (data: Uint8Array, value?: number) => number;

let table: Uint32Array | undefined;

/** Byte-at-a-time CRC-32 over a 256-entry table (reflected polynomial 0xEDB88320). */
export const tableCrc32: Crc32 = (data, value = 0) => {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
};

// A default import: a named import of an export this Node lacks would fail at load time.
const native = (zlib as { crc32?: Crc32 }).crc32;

export const crc32: Crc32 = native ?? tableCrc32;
