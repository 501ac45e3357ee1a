/**
 * The NDJSON record written per bundle in batch scans: small enough for thousands of bundles,
 * complete enough to summarize, resume and merge without re-reading anything.
 */
import type { BundleReport } from '../analyze.js';
import type { Warning } from '../ingest/read-bundle.js';
import type { Confidence } from '../model/finding.js';
import { redact, redactDeep } from '../report/redact.js';

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
  /** The first warnings in full (member and reason), so a damaged bundle explains itself. */
  firstWarnings?: Warning[];
  /** Set when the bundle could not be read at all, or when nothing in it could be. */
  error?: string;
}

/** Enough warnings to see why a bundle is damaged, few enough to keep records small. */
export const RECORD_WARNINGS_KEPT = 5;

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
    ...(r.warnings.length ? { firstWarnings: r.warnings.slice(0, RECORD_WARNINGS_KEPT).map(({ code, address, line, message }) => ({ code, address, line, message })) } : {}),
    // A damaged bundle that yielded no byte at all is a failed upload, not one nothing explains.
    ...(r.summary.bytes === 0 && r.warnings.length ? { error: `nothing could be read: ${r.warnings[0].message}` } : {}),
  };
}

export function errorRecord(meta: { path: string; hash?: string; size?: number; durationMs: number; signatures: Record<string, string> }, error: string): BundleRecord {
  return { schemaVersion: RECORD_SCHEMA, ...meta, facts: {}, findings: [], coverage: { evaluated: 0, partial: 0, skipped: 0 }, warnings: 0, error };
}

/** The record as printed: warnings and errors quote member names and lines, which may carry secrets. */
export function redactRecord(r: BundleRecord): BundleRecord {
  return {
    ...r,
    ...(r.firstWarnings ? { firstWarnings: redactDeep(r.firstWarnings) } : {}),
    ...(r.error ? { error: redact(r.error) } : {}),
  };
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
