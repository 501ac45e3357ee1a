import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runJob, type JobCatalog } from '../src/batch/job.js';
import { contentHash, signatureHashes } from '../src/batch/hash.js';
import { loadSignatureDirs } from '../src/dsl/load.js';
import { compileSignatures } from '../src/match/compile.js';
import { BUNDLES } from './support/cli.js';

const IPVS = join(BUNDLES, 'ipvs-stale-rules.tar.gz');
const { signatures } = await loadSignatureDirs([]);
const catalog: JobCatalog = { signatures, compiled: compileSignatures(signatures), signatureHashes: signatureHashes(signatures) };

describe('a batch job', () => {
  it('analyzes a new bundle whole and hashes it where it runs', async () => {
    const r = await runJob({ input: IPVS, hash: true }, catalog);
    expect('report' in r && r.report.findings[0].id).toBe('kube-proxy-ipvs-stale-rules');
    expect('report' in r && r.only).toBeUndefined();
    expect(r.content).toEqual(await contentHash(IPVS));
  });

  it('reuses the earlier result when neither the bundle nor any signature changed', async () => {
    const { hash } = (await contentHash(IPVS))!;
    const r = await runJob({ input: IPVS, hash: true, previous: { hash, signatures: catalog.signatureHashes } }, catalog);
    expect('unchanged' in r).toBe(true);
  });

  it('re-runs only the signatures whose definition changed', async () => {
    const { hash } = (await contentHash(IPVS))!;
    const before = { ...catalog.signatureHashes, 'kube-proxy-ipvs-stale-rules': 'an older version' };
    const r = await runJob({ input: IPVS, hash: true, previous: { hash, signatures: before } }, catalog);
    expect('report' in r && r.only).toEqual(['kube-proxy-ipvs-stale-rules']);
    expect('report' in r && r.report.findings.map((f) => f.id)).toEqual(['kube-proxy-ipvs-stale-rules']);
  });

  it('analyzes a bundle whose content changed since the earlier run', async () => {
    const r = await runJob({ input: IPVS, hash: true, previous: { hash: 'another content', signatures: catalog.signatureHashes } }, catalog);
    expect('report' in r && r.only).toBeUndefined();
  });

  it('records an unreadable bundle as an error', async () => {
    const r = await runJob({ input: join(BUNDLES, 'no-such-bundle.tar.gz'), hash: true }, catalog);
    expect('error' in r && r.error).toMatch(/no-such-bundle/);
  });
});
