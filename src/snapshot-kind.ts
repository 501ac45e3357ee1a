/** What kind of bundle this is, from its layout: the first thing an engineer wants to know. */
import type { FileRecord } from './ingest/read-bundle.js';

export function snapshotKind(files: readonly FileRecord[]): string {
  const paths = files.map((f) => f.address);
  if (paths.some((p) => /\/nodes\/[^/]+\//.test(p)) && paths.some((p) => /kubectl|bmctl|cluster/i.test(p))) return 'bmctl snapshot';
  if (paths.some((p) => /diagnose-report/.test(p))) return 'gkectl diagnose snapshot';
  if (files.length === 1) return 'single file';
  return 'folder of node outputs';
}
