/**
 * The first two signatures on the structured (InfoS) klog form newer components write, where
 * the message is the quoted text and the detail sits in key="value" pairs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeBundle } from '../src/analyze.js';
import { loadSignatureDirs } from '../src/dsl/load.js';
import { compileSignatures } from '../src/match/compile.js';

const { signatures } = await loadSignatureDirs([]);
const compiled = compileSignatures(signatures);
let tmp: string;

beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'kubesleuth-structured-')); });
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

/** `count` klog lines 30 s apart from 11:00:00 on 12 March, rendered by `line(klogTime, i)`. */
function every30s(count: number, line: (klogTime: string, i: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = new Date(Date.UTC(2024, 2, 12, 11, 0, 0) + i * 30_000).toISOString();
    out.push(line(`0312 ${t.slice(11, 19)}.690427`, i));
  }
  return `${out.join('\n')}\n`;
}

function bundle(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const finding = async (dir: string, id: string) =>
  (await analyzeBundle(dir, { signatures, compiled })).findings.find((f) => f.id === id);

describe('structured klog lines', () => {
  it('pleg-unhealthy-runc: PLEG in the err value of "Skipping pod synchronization"', async () => {
    const journal = every30s(20, (t, i) =>
      `Mar 12 ${t.slice(5, 13)} node-1 kubelet[1201]: E${t}    1201 kubelet.go:2211] "Skipping pod synchronization" err="[container runtime is down, PLEG is not healthy: pleg was last seen active 3m${i}.5s ago; threshold is 3m0s]"`);
    const ps = [
      'UID          PID    PPID  C    SZ   RSS PSR STIME TTY          TIME CMD',
      'root           1       0  0 41688 11396   0 08:01 ?        00:00:09 /sbin/init',
      'root        1649    1648  0 271285  8567   3 10:34 ?        00:00:00 runc init',
    ].join('\n');
    const dir = bundle('pleg', { 'nodes/10.0.0.5/journalctl --utc -u kubelet': journal, 'nodes/10.0.0.5/ps -edF': `${ps}\n` });
    const f = await finding(dir, 'pleg-unhealthy-runc');
    expect(f).toMatchObject({ confidence: 'confirmed', nodes: ['10.0.0.5'] });
    expect(f?.clauses.find((c) => c.name === 'pleg')?.count).toBe(20);
  });

  it('kube-proxy-ipvs-stale-rules: a structured "SyncProxyRules complete" after the loop is progress', async () => {
    const ipvs = [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  10.96.7.227:80 rr',
      '',
    ].join('\n');
    const loop = every30s(30, (t) => `I${t}       1 graceful_termination.go:160] Trying to delete rs: 10.96.7.227:80/TCP/192.168.1.17:8080`);
    const stuck = { 'nodes/10.0.0.5/ipvsadm -Ln': ipvs, 'nodes/10.0.0.5/kube-proxy.log': loop };
    const before = await finding(bundle('stuck', stuck), 'kube-proxy-ipvs-stale-rules');
    expect(before).toMatchObject({ confidence: 'confirmed', nodes: ['10.0.0.5'] });
    expect(before?.clauses.find((c) => c.name === 'progress')?.count).toBe(0);

    const synced = `${loop}I0312 11:20:00.000000       1 proxier.go:1069] "SyncProxyRules complete" elapsed="12.3ms"\n`;
    const f = await finding(bundle('synced', { ...stuck, 'nodes/10.0.0.5/kube-proxy.log': synced }), 'kube-proxy-ipvs-stale-rules');
    expect(f?.clauses.find((c) => c.name === 'progress')?.count).toBe(1);
    expect(f?.confidence).not.toBe('confirmed');
  });
});
