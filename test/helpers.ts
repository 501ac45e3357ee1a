/** Helpers for matcher tests: build events and run signature text through the whole engine. */
import type { Event, FieldValue } from '../src/model/event.js';
import { FactStore } from '../src/model/facts.js';
import { loadSignatureText } from '../src/dsl/load-text.js';
import type { Signature } from '../src/dsl/ast.js';
import { Matcher } from '../src/match/engine.js';
import { rank, type RankOutput } from '../src/match/rank.js';

let line = 0;

export function ev(kind: string, source: string, fields: Record<string, FieldValue> = {}, extra: Partial<Event> = {}): Event {
  line++;
  return { kind, source, fields, loc: { file: extra.loc?.file ?? `nodes/${extra.node ?? 'x'}/${source}.log`, line }, ...extra };
}

export function log(source: string, message: string, extra: Partial<Event> = {}): Event {
  return ev('log', source, {}, { message, text: message, ...extra });
}

export function sig(text: string, file = 'test.sig'): Signature {
  const { signature, diagnostics } = loadSignatureText(text, file);
  if (!signature) throw new Error(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return signature;
}

export function run(signatures: Signature[], events: Event[], facts: [string, string, string?][] = []): RankOutput & { matcher: Matcher } {
  const matcher = new Matcher(signatures);
  for (const e of events) matcher.consume(e);
  const store = new FactStore();
  for (const [name, value, node] of facts) store.add(name, value, { file: 'facts', line: 1 }, node);
  return { ...rank({ matcher, facts: store, truncatedFiles: new Set() }), matcher };
}

/** Minimal header so tests only spell out what they test. */
export const HEADER = (id: string, kind = 'issue') => `signature ${id}
  title "t" kind ${kind} severity high component kube-proxy references "r"
  explanation "e" remediation "r"`;
