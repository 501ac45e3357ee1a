/** Archive helpers for tests: unpack a sample bundle to a folder, rewrite members, repack. */
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { gunzipStream } from '../../src/ingest/gunzip.js';
import { readTar } from '../../src/ingest/tar.js';

export interface Member { name: string; data: Buffer }

/** Every regular file of a .tar.gz, in order. */
export async function members(file: string): Promise<Member[]> {
  const out: Member[] = [];
  const raw = gunzipStream(createReadStream(file) as AsyncIterable<Buffer>, { truncated() {}, trailing() {} });
  for await (const e of readTar(raw, () => {})) {
    if (e.header.type !== 'file') continue;
    const chunks: Buffer[] = [];
    for await (const c of e.body) chunks.push(c);
    out.push({ name: e.header.name, data: Buffer.concat(chunks) });
  }
  return out;
}

export async function unpack(file: string, dir: string): Promise<void> {
  for (const m of await members(file)) {
    const path = join(dir, m.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, m.data);
  }
}

/** Corrupt the tar header of the member whose name ends with `suffix` (its checksum no longer matches). */
export function corruptHeader(tgz: string, suffix: string): Buffer {
  const tar = Buffer.from(gunzipSync(readFileSync(tgz)));
  const i = tar.indexOf(Buffer.from(suffix));
  if (i < 0) throw new Error(`no member ${suffix}`);
  const header = i - (i % 512);
  tar.write('7777777\0', header + 148, 'latin1');
  return gzipSync(tar);
}
