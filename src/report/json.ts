/** `--format json`: the report data as one versioned document (docs/report-schema.md). */
import type { BundleReport } from '../analyze.js';
import type { RenderOptions } from './index.js';
import { visibleFindings } from './table.js';

export function toDocument(r: BundleReport, opts: RenderOptions): BundleReport {
  return { ...r, findings: opts.allFindings ? r.findings : visibleFindings(r, opts) };
}

export function renderJson(r: BundleReport, opts: RenderOptions): string {
  return `${JSON.stringify(toDocument(r, opts), null, 2)}\n`;
}
