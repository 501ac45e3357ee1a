/**
 * The NDJSON record written per bundle in batch scans: small enough for thousands of bundles,
 * complete enough to summarize, resume and merge without re-reading anything.
 */
import type { BundleReport } from '../analyze.js';
import type { Confidence } from '../model/finding.js';

export const RECORD_SCHEMA = 1;

export interface RecordFinding {
  id: string;
  confidence: Confidence;
  score: number;
  severity: string;
  nodes: string[];
}

export interface BundleRecord {
  schemaVersion: number;
  path: string;
  /** sha256 of the bundle's bytes (directories: of their listing), for resume. */
  hash?: string;
  size?: number;
  durationMs: number;
  /** Hash of each signature used, so a changed signature invalidates only itself. */
  signatures: Record<string, string>;
  facts: Record<string, string[]>;
  findings: RecordFinding[];
  coverage: { evaluated: number; partial: number; skipped: number };
  warnings: number;
  /** Set when the bundle could not be read at all. */
  error?: string;
}

const FACTS_KEPT = ['cluster.name', 'anthos-bare-metal', 'kubernetes', 'kubelet', 'kube-proxy', 'gke', 'runc', 'containerd', 'kernel', 'os.name', 'os.id', 'os.version'];

export function toRecord(r: BundleReport, meta: { path: string; hash?: string; size?: number; durationMs: number; signatures: Record<string, string> }): BundleRecord {
  const facts: Record<string, string[]> = {};
  for (const k of FACTS_KEPT) {
    const vs = r.facts[k];
    if (vs?.length) facts[k] = [...new Set(vs.map((v) => v.value))].sort();
  }
  return {
    schemaVersion: RECORD_SCHEMA,
    path: meta.path,
    hash: meta.hash,
    size: meta.size,
    durationMs: meta.durationMs,
    signatures: meta.signatures,
    facts,
    findings: r.findings.map((f) => ({ id: f.id, confidence: f.confidence, score: f.score, severity: f.severity, nodes: f.nodes })),
    coverage: {
      evaluated: r.coverage.filter((c) => c.status === 'evaluated').length,
      partial: r.coverage.filter((c) => c.status === 'partial').length,
      skipped: r.coverage.filter((c) => c.status === 'skipped').length,
    },
    warnings: r.warnings.length + r.warningsDropped,
  };
}

export function errorRecord(meta: { path: string; hash?: string; size?: number; durationMs: number; signatures: Record<string, string> }, error: string): BundleRecord {
  return { schemaVersion: RECORD_SCHEMA, ...meta, facts: {}, findings: [], coverage: { evaluated: 0, partial: 0, skipped: 0 }, warnings: 0, error };
}

/** Read NDJSON records, skipping (and counting) lines a killed run left incomplete. */
export function parseRecords(text: string): { records: BundleRecord[]; bad: number } {
  const records: BundleRecord[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as BundleRecord;
      if (typeof r.path === 'string' && Array.isArray(r.findings)) records.push(r);
      else bad++;
    } catch {
      bad++;
    }
  }
  return { records, bad };
}
