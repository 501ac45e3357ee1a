/**
 * The reporter registry: format name → pure renderer (report data in, text out). The CLI's
 * `--format` choices come from this map, so a new reporter is one file plus one entry here.
 */
import type { BundleReport } from '../analyze.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';

export interface RenderOptions {
  showRuledOut?: boolean;
  showBenign?: boolean;
  coverage?: boolean;
  /** JSON: include ruled-out and benign findings too. */
  allFindings?: boolean;
  examples?: number;
  maxWarnings?: number;
}

export const REPORTERS = {
  json: renderJson,
  markdown: renderMarkdown,
  table: renderTable,
} as const satisfies Record<string, (r: BundleReport, o: RenderOptions) => string>;

export type ReporterName = keyof typeof REPORTERS;
export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];

/** Output formats of `scan`: the per-bundle reporters plus `ndjson`, one record per bundle (src/batch/record.ts). */
export const SCAN_FORMATS = [...REPORTER_NAMES, 'ndjson'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];
