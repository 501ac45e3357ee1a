/**
 * The shipped catalog against the forms messages take in newer releases: kubelet and kube-proxy
 * 1.21+ write structured klog lines (`"Skipping pod synchronization" err="[PLEG is not healthy:
 * …]"`) whose telling text sits in a field, not in the message. Each case is a small folder laid
 * out like a snapshot (nodes/<ip>/<command>, logs/<ns>/<pod>/<container>.log, kubectlCommands/).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeBundle } from '../src/analyze.js';
import { loadSignatureDirs } from '../src/dsl/load.js';
import { compileSignatures } from '../src/match/compile.js';
import type { Finding } from '../src/model/finding.js';

const { signatures } = await loadSignatureDirs([]);
const compiled = compileSignatures(signatures);
const work = mkdtempSync(join(tmpdir(), 'kubesleuth-variants-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let cases = 0;
async function scan(files: Record<string, string>): Promise<Finding[]> {
  const root = join(work, `case-${++cases}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return (await analyzeBundle(root, { signatures, compiled })).findings;
}

const ranked = (findings: Finding[]) => findings.filter((f) => ['confirmed', 'possible', 'advisory'].includes(f.confidence));
const top = (findings: Finding[]) => ranked(findings).map((f) => [f.id, f.confidence])[0];

const JOURNAL_HEAD = '-- Logs begin at Mon 2024-03-11 06:00:00 UTC, end at Mon 2024-03-11 09:00:00 UTC. --';

/** A kubelet journal line of node-b in the structured (InfoS / ErrorS) form. */
function kubelet(time: string, level: 'I' | 'E', caller: string, body: string): string {
  return `Mar 11 ${time} node-b kubelet[1450]: ${level}0311 ${time}.100000    1450 ${caller}] ${body}`;
}

const PS_RUNC_INIT = [
  'UID          PID    PPID  C    SZ   RSS PSR STIME TTY          TIME CMD',
  'root           1       0  0 42000 11000   0 06:00 ?        00:00:02 /sbin/init',
  'root        4242     900  0  1000  2000   1 06:40 ?        00:00:00 runc init',
  '',
].join('\n');

describe('catalog: structured kubelet lines (1.21+)', () => {
  it('pleg-unhealthy-runc reads the PLEG error from the err field, even in a short excerpt', async () => {
    const lines = ['07:10:01', '07:10:06', '07:10:11', '07:10:16'].map((t, i) =>
      kubelet(t, 'I', 'kubelet.go:2359', `"Skipping pod synchronization" err="[container runtime is down, PLEG is not healthy: pleg was last seen active 3m${5 + 5 * i}.3s ago; threshold is 3m0s]"`));
    const findings = await scan({
      'nodes/10.0.0.6/journalctl --utc -u kubelet': [JOURNAL_HEAD, ...lines, ''].join('\n'),
      'nodes/10.0.0.6/ps -edF': PS_RUNC_INIT,
    });
    expect(top(findings)).toEqual(['pleg-unhealthy-runc', 'confirmed']);
  });

  it('pleg-unhealthy-runc ignores the structured start-up line "pleg has yet to be successful"', async () => {
    const lines = ['07:10:01', '07:10:06', '07:10:11', '07:10:16'].map((t) =>
      kubelet(t, 'I', 'kubelet.go:2359', '"Skipping pod synchronization" err="[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]"'));
    const findings = await scan({
      'nodes/10.0.0.6/journalctl --utc -u kubelet': [JOURNAL_HEAD, ...lines, ''].join('\n'),
      'nodes/10.0.0.6/ps -edF': PS_RUNC_INIT,
    });
    expect(ranked(findings).map((f) => f.id)).not.toContain('pleg-unhealthy-runc');
  });
});
