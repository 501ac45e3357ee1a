/**
 * Fills the `{clause.field}` and `{version.component}` placeholders of a signature's
 * explanation and remediation with what the bundle showed.
 *
 * In an explanation, a sentence that quotes a clause which did not come out the way the
 * condition wants (a possible finding's missing evidence, the unused side of an `or`) is left
 * out: its numbers would read "0 times over unknown on no node named", and the report's "Why"
 * and "Missing" parts already say what was not found. Remediations are kept whole: they hold
 * commands, and a step must not vanish because one of its values is unknown.
 */
import type { ClauseResult } from '../model/finding.js';
import type { FactStore } from '../model/facts.js';
import { formatDuration } from '../model/time.js';

const PLACEHOLDER = /\{([A-Za-z_][\w-]*)\.([A-Za-z_][\w.-]*)\}/g;
const RENDER_LIMIT = 5;

/** Sentences with their leading whitespace: text up to `.`, `!` or `?` followed by a space or the end. */
const SENTENCE = /\s*(?:[^.!?]|[.!?](?!\s|$))+(?:[.!?]+|$)/g;

export function renderTemplate(text: string, clauses: ClauseResult[], facts: FactStore): string {
  return text.replace(PLACEHOLDER, (whole, name: string, field: string) => fill(whole, name, field, clauses, facts));
}

export function renderExplanation(text: string, clauses: ClauseResult[], facts: FactStore): string {
  const unheld = new Set(clauses.filter((c) => c.satisfied === c.negated).map((c) => c.name));
  const quotesUnheld = (sentence: string) =>
    [...sentence.matchAll(PLACEHOLDER)].some(([, name]) => unheld.has(name));
  let kept = text;
  if (unheld.size) {
    const sentences = text.match(SENTENCE) ?? [];
    const lead = /^\s*/.exec(text)?.[0] ?? '';
    kept = lead + sentences.filter((s) => !quotesUnheld(s)).join('').trimStart();
  }
  return renderTemplate(kept, clauses, facts);
}

function fill(whole: string, name: string, field: string, clauses: ClauseResult[], facts: FactStore): string {
  if (name === 'version') {
    const vs = facts.values(field);
    return vs.length ? vs.join(', ') : 'unknown';
  }
  const c = clauses.find((x) => x.name === name);
  if (!c) return whole;
  switch (field) {
    case 'count': return String(c.count);
    case 'nodes': return c.nodes.length ? c.nodes.join(', ') : 'no node named';
    case 'first': return c.first !== undefined ? new Date(c.first).toISOString() : 'unknown';
    case 'last': return c.last !== undefined ? new Date(c.last).toISOString() : 'unknown';
    case 'span': return c.first !== undefined && c.last !== undefined ? formatDuration(c.last - c.first) : 'unknown';
    case 'description': return c.description ?? c.name;
    default: {
      const vs = c.values[field] ?? [];
      if (vs.length === 0) return 'unknown';
      return vs.length > RENDER_LIMIT ? `${vs.slice(0, RENDER_LIMIT).join(', ')} and ${vs.length - RENDER_LIMIT} more` : vs.join(', ');
    }
  }
}
