/**
 * The catalog against real lines copied from public issues (../shared/real-samples): each file
 * that shows a known issue must lead to that issue, and the others must not confirm anything.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeBundle } from '../src/analyze.js';
import { loadSignatureDirs } from '../src/dsl/load.js';
import { compileSignatures } from '../src/match/compile.js';
import { ROOT } from './support/cli.js';

const REAL = join(ROOT, '../shared/real-samples');
const { signatures } = await loadSignatureDirs([]);
const compiled = compileSignatures(signatures);

/** Real excerpts and the issue each shows; a single file often lacks the other inputs, hence "possible". */
const EXPECTED: Record<string, [string, 'confirmed' | 'possible']> = {
  'kubelet/selinux-error-setting-label-dockerd.txt': ['selinux-tmpfs-label', 'confirmed'],
  'kube-proxy/conntrack-permission-denied.txt': ['conntrack-max-readonly', 'confirmed'],
  'kube-proxy/conntrack-structured-1.36.txt': ['conntrack-max-readonly', 'confirmed'],
  'kubelet/cni-no-ip-addresses-in-range.txt': ['dpv2-ip-leak-containerd', 'possible'],
  'kernel/nf-conntrack-table-full-dmesg.txt': ['conntrack-table-full', 'possible'],
  'cilium/cilium-agent-logfmt-and-nodeport-kernel-error.txt': ['kernel-too-old-bpf-nodeport', 'possible'],
  'journalctl/no-entries-with-hint.txt': ['snapshot-incomplete-nonroot', 'confirmed'],
  'kubelet/pleg-not-healthy-journald.txt': ['pleg-unhealthy-runc', 'possible'],
  'fluent-bit/chunk-validation-failed.txt': ['log-forwarder-chunk-corrupt', 'possible'],
  'fluent-bit/chunk-validation-failed-journald-no-valid.txt': ['log-forwarder-chunk-corrupt', 'possible'],
};

const files = readdirSync(REAL, { recursive: true }).map(String).filter((f) => f.endsWith('.txt') && f !== 'SOURCES.md').sort();

describe('real samples', () => {
  for (const f of files) {
    it(f, async () => {
      const r = await analyzeBundle(join(REAL, f), { signatures, compiled });
      const ranked = r.findings.filter((x) => ['confirmed', 'possible', 'advisory'].includes(x.confidence));
      const want = EXPECTED[relative('.', f)];
      if (want) expect(ranked[0] && [ranked[0].id, ranked[0].confidence]).toEqual(want);
      else expect(ranked.filter((x) => x.confidence === 'confirmed').map((x) => x.id)).toEqual([]);
    });
  }
});
