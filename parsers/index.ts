/**
 * The parser registry: id → module, sorted by id. Adding a parser means adding its folder and
 * one line here. Order matters only to break detection ties, which detectors should avoid.
 */
import type { ParserModule } from '../src/model/parser.js';
import klog from './klog/klog.js';

export const PARSERS = {
  klog,
} as const satisfies Record<string, ParserModule>;

export type ParserId = keyof typeof PARSERS;

export const PARSER_LIST: readonly ParserModule[] = Object.values(PARSERS);

/** Union of declared event kinds → field names, for signature checks and docs. */
export function declaredKinds(parsers: readonly ParserModule[] = PARSER_LIST): Map<string, Set<string>> {
  const kinds = new Map<string, Set<string>>();
  for (const p of parsers) {
    for (const [kind, fields] of Object.entries(p.meta.emits)) {
      const set = kinds.get(kind) ?? new Set<string>();
      for (const f of fields) set.add(f);
      kinds.set(kind, set);
    }
  }
  return kinds;
}
