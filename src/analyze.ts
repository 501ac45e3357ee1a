/**
 * Analyzes one bundle: reads it (ingest → classify → parse), streams every event into the
 * matcher, then ranks. Returns the report data every renderer prints — collected once,
 * rendered by pure functions (src/report/).
 */
import type { Signature } from './dsl/ast.js';
import type { Event } from './model/event.js';
import type { CoverageEntry, Finding } from './model/finding.js';
import { Matcher } from './match/engine.js';
import { rank } from './match/rank.js';
import type { CompiledClause } from './match/compile.js';
import { readBundle, type FileRecord, type ReadOptions, type Warning } from './ingest/read-bundle.js';
import type { FactValue } from './model/facts.js';

/** Version of the JSON report layout (docs/report-schema.md). Bump on breaking changes. */
export const SCHEMA_VERSION = 1;

export interface EventFilter {
  node?: string[];
  source?: string[];
  since?: number;
  until?: number;
}

export interface AnalyzeOptions extends ReadOptions {
  signatures: readonly Signature[];
  compiled?: CompiledClause[];
  filter?: EventFilter;
}

export interface BundleSummary {
  snapshotKind: string;
  cluster?: string;
  nodes: string[];
  files: number;
  filesParsed: number;
  filesNotUnderstood: number;
  bytes: number;
  lines: number;
  events: number;
  /** Events claimed by benign signatures (known harmless noise). */
  benignEvents: number;
  /** Set when --node/--source/--since/--until narrowed the analysis: what they were, what they kept. */
  filter?: { description: string; eventsKept: number };
}

export interface BundleReport {
  schemaVersion: number;
  input: string;
  summary: BundleSummary;
  facts: Record<string, FactValue[]>;
  findings: Finding[];
  coverage: CoverageEntry[];
  inventory: FileRecord[];
  warnings: Warning[];
  warningsDropped: number;
}

export function passesFilter(e: Event, f: EventFilter | undefined): boolean {
  if (!f) return true;
  if (f.node?.length && !(e.node && f.node.includes(e.node))) return false;
  if (f.source?.length && !f.source.includes(e.source)) return false;
  if (f.since !== undefined && (e.time === undefined || e.time < f.since)) return false;
  if (f.until !== undefined && (e.time === undefined || e.time > f.until)) return false;
  return true;
}

/** `node 10.200.0.9, since 2024-03-07T00:00:00.000Z`, or undefined when nothing is filtered. */
function describeFilter(f: EventFilter | undefined): string | undefined {
  if (!f) return undefined;
  const parts: string[] = [];
  if (f.node?.length) parts.push(`node ${f.node.join(', ')}`);
  if (f.source?.length) parts.push(`source ${f.source.join(', ')}`);
  if (f.since !== undefined) parts.push(`since ${new Date(f.since).toISOString()}`);
  if (f.until !== undefined) parts.push(`until ${new Date(f.until).toISOString()}`);
  return parts.length ? parts.join(', ') : undefined;
}

export async function analyzeBundle(input: string, opts: AnalyzeOptions): Promise<BundleReport> {
  const matcher = new Matcher(opts.signatures, opts.compiled);
  const filter = opts.filter;
  let kept = 0;
  const contents = await readBundle(input, {
    event(e) {
      if (passesFilter(e, filter)) { kept++; matcher.consume(e); }
    },
  }, opts);
  const narrowedBy = describeFilter(filter);
  const truncated = new Set(contents.files.filter((f) => f.truncated).map((f) => f.address));
  const { findings, coverage } = rank({ matcher, facts: contents.facts, truncatedFiles: truncated });
  const nodes = new Set<string>();
  for (const f of contents.files) if (f.node) nodes.add(f.node);
  return {
    schemaVersion: SCHEMA_VERSION,
    input,
    summary: {
      snapshotKind: contents.facts.values('snapshot.kind')[0],
      cluster: contents.facts.values('cluster.name')[0],
      nodes: [...nodes].sort(),
      files: contents.files.length,
      filesParsed: contents.files.filter((f) => f.parser).length,
      filesNotUnderstood: contents.files.filter((f) => !f.parser).length,
      bytes: contents.bytes,
      lines: contents.files.reduce((n, f) => n + f.lines, 0),
      events: contents.events,
      benignEvents: matcher.benignConsumed,
      ...(narrowedBy ? { filter: { description: narrowedBy, eventsKept: kept } } : {}),
    },
    facts: contents.facts.toJSON(),
    findings,
    coverage,
    inventory: contents.files,
    warnings: contents.warnings,
    warningsDropped: contents.warningsDropped,
  };
}
