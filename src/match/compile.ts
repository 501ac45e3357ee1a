/**
 * Compiles checked signatures into closures the matcher runs per event, once per run.
 * Each clause gets: the event kind it reads, the sources it is limited to (when its predicate
 * says `source == "x"`), the literals that must be in the line for it to match (prefilter),
 * the predicate as a function, and its join (`field in other.field`) kept apart, since a join
 * can only be decided once the other clause has seen the whole bundle.
 */
import type { Comparator, Evidence, Literal, Predicate, Signature } from '../dsl/ast.js';
import { safeRegex, wildcardPath } from '../dsl/check.js';
import { SEVERITY_ORDER, type Event, type FieldValue, type Severity } from '../model/event.js';
import { parseDuration } from '../model/time.js';
import { requiredLiterals } from './literals.js';
import { holds as cmp } from './comparator.js';
import { compareVersions, parseVersion } from './version.js';

export type Getter = (e: Event) => FieldValue | undefined;
export type Test = (e: Event) => boolean;

export interface Join {
  field: Getter;
  negated: boolean;
  clause: string;
  otherField: string;
}

export interface PrefilterLiterals {
  /** The event text the literals are searched in. */
  field: 'message' | 'text';
  literals: string[];
  caseInsensitive: boolean;
}

export interface CompiledClause {
  /** Index in the catalog's clause list (stable within a run). */
  index: number;
  signature: Signature;
  evidence: Evidence;
  kind: string;
  /** Only events from these sources can match (undefined: any source). */
  sources?: Set<string>;
  prefilter?: PrefilterLiterals;
  test: Test;
  join?: Join;
  benign: boolean;
  /** Fields whose distinct values are kept: the explanation mentions them, or a join reads them. */
  trackFields: string[];
}

export function getter(field: string): Getter {
  switch (field) {
    case 'message': return (e) => e.message;
    case 'source': return (e) => e.source;
    case 'kind': return (e) => e.kind;
    case 'node': return (e) => e.node;
    case 'severity': return (e) => e.severity;
    case 'time': return (e) => e.time;
    case 'text': return (e) => e.text ?? e.message;
    default: return (e) => e.fields[field];
  }
}

function toNumber(v: FieldValue | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined || v === '') return NaN;
  return Number(v);
}

function compareTest(field: string, op: Comparator, lit: Literal): Test {
  const get = getter(field);
  switch (lit.type) {
    case 'number': {
      const n = lit.value;
      return (e) => { const x = toNumber(get(e)); return !Number.isNaN(x) && cmp(x < n ? -1 : x > n ? 1 : 0, op); };
    }
    case 'version': {
      const bound = parseVersion(lit.value)!;
      return (e) => { const v = get(e); const pv = v === undefined ? undefined : parseVersion(String(v)); return pv !== undefined && cmp(compareVersions(pv, bound), op); };
    }
    case 'duration': {
      const ms = lit.value;
      return (e) => {
        const v = get(e);
        const x = typeof v === 'number' ? v : v === undefined ? undefined : parseDuration(String(v));
        return x !== undefined && cmp(x < ms ? -1 : x > ms ? 1 : 0, op);
      };
    }
    case 'boolean': {
      const b = lit.value;
      return (e) => { const v = get(e); const x = v === true || v === 'true'; return v !== undefined && cmp(x === b ? 0 : 1, op === '==' || op === '!=' ? op : '=='); };
    }
    case 'string':
    case 'word': {
      const s = lit.value;
      if (field === 'severity' && s in SEVERITY_ORDER) {
        const rank = SEVERITY_ORDER[s as Severity];
        return (e) => e.severity !== undefined && cmp(SEVERITY_ORDER[e.severity] - rank, op);
      }
      if (op === '==') return (e) => { const v = get(e); return v !== undefined && String(v) === s; };
      if (op === '!=') return (e) => { const v = get(e); return v === undefined || String(v) !== s; };
      // Ordering on text: numeric when both sides are numbers, else lexical.
      const n = Number(s);
      return (e) => {
        const v = get(e);
        if (v === undefined) return false;
        const x = Number(v);
        if (!Number.isNaN(n) && !Number.isNaN(x)) return cmp(x - n, op);
        const t = String(v);
        return cmp(t < s ? -1 : t > s ? 1 : 0, op);
      };
    }
  }
}

function literalEquals(lit: Literal): (v: FieldValue | undefined) => boolean {
  if (lit.type === 'number') return (v) => toNumber(v) === lit.value;
  if (lit.type === 'boolean') return (v) => (v === true || v === 'true') === lit.value && v !== undefined;
  if (lit.type === 'version') { const b = parseVersion(lit.value)!; return (v) => { const p = v === undefined ? undefined : parseVersion(String(v)); return !!p && compareVersions(p, b) === 0; }; }
  const s = String(lit.value);
  return (v) => v !== undefined && String(v) === s;
}

/** The field a wildcard predicate's values are tested under, one matching field at a time. */
const WILDCARD_VALUE = '\u0000value';

/**
 * `spec.ingress.*.ports.*.endPort`: `*` stands for one segment of a flattened path (a list
 * index or a key). The predicate holds when it holds for any field the path matches; its
 * negated form (`not exists`, `!~`, `!=`, `not in`, `not contains`) when it holds for none.
 */
function compileWildcard(p: Exclude<Predicate, { type: 'and' | 'or' | 'not' | 'in-clause' }>, joins: Join[]): Test | undefined {
  if (!p.field.includes('*')) return undefined;
  const path = wildcardPath(p.field);
  const negated = p.type === 'compare' ? p.op === '!=' : p.negated;
  const positive = (p.type === 'compare' ? { ...p, op: negated ? '==' : p.op } : { ...p, negated: false }) as Predicate;
  const one = compilePredicate({ ...positive, field: WILDCARD_VALUE } as Predicate, joins);
  const probe: Event = { source: '', kind: '', fields: {}, loc: { file: '', line: 0 } };
  const any: Test = (e) => {
    for (const key in e.fields) {
      if (!path.test(key)) continue;
      probe.fields = { [WILDCARD_VALUE]: e.fields[key] };
      if (one(probe)) return true;
    }
    return false;
  };
  return negated ? (e) => !any(e) : any;
}

/** Compile a predicate, leaving `in-clause` joins out (they are returned separately). */
function compilePredicate(p: Predicate, joins: Join[]): Test {
  if (p.type === 'compare' || p.type === 'regex' || p.type === 'contains' || p.type === 'in-list' || p.type === 'exists') {
    const wild = compileWildcard(p, joins);
    if (wild) return wild;
  }
  switch (p.type) {
    case 'and': { const a = compilePredicate(p.left, joins); const b = compilePredicate(p.right, joins); return (e) => a(e) && b(e); }
    case 'or': { const a = compilePredicate(p.left, joins); const b = compilePredicate(p.right, joins); return (e) => a(e) || b(e); }
    case 'not': { const a = compilePredicate(p.operand, joins); return (e) => !a(e); }
    case 'compare': return compareTest(p.field, p.op, p.value);
    case 'regex': {
      const re = safeRegex(p.source, p.flags).regex!;
      const get = getter(p.field);
      return p.negated ? (e) => { const v = get(e); return v === undefined || !re.test(String(v)); } : (e) => { const v = get(e); return v !== undefined && re.test(String(v)); };
    }
    case 'contains': {
      const get = getter(p.field);
      const s = p.value;
      return p.negated ? (e) => !String(get(e) ?? '').includes(s) : (e) => String(get(e) ?? '').includes(s);
    }
    case 'in-list': {
      const get = getter(p.field);
      const tests = p.values.map(literalEquals);
      return p.negated ? (e) => { const v = get(e); return !tests.some((t) => t(v)); } : (e) => { const v = get(e); return tests.some((t) => t(v)); };
    }
    case 'exists': {
      const get = getter(p.field);
      return p.negated ? (e) => { const v = get(e); return v === undefined || v === ''; } : (e) => { const v = get(e); return v !== undefined && v !== ''; };
    }
    case 'in-clause':
      joins.push({ field: getter(p.field), negated: p.negated, clause: p.clause, otherField: p.otherField });
      return () => true;
  }
}

/** Sources a predicate is limited to, from a top-level `source == "x"` / `source in (…)` conjunct. */
function sourcesOf(p: Predicate | undefined): Set<string> | undefined {
  if (!p) return undefined;
  if (p.type === 'and') return sourcesOf(p.left) ?? sourcesOf(p.right);
  if (p.type === 'compare' && p.field === 'source' && p.op === '==' && (p.value.type === 'string' || p.value.type === 'word')) return new Set([String(p.value.value)]);
  if (p.type === 'in-list' && p.field === 'source' && !p.negated) return new Set(p.values.map((v) => String(v.value)));
  if (p.type === 'or') {
    const a = sourcesOf(p.left);
    const b = sourcesOf(p.right);
    return a && b ? new Set([...a, ...b]) : undefined;
  }
  return undefined;
}

/** Literals one of which must appear for the predicate to hold, if any can be proven. */
function literalsOf(p: Predicate | undefined): PrefilterLiterals | undefined {
  if (!p) return undefined;
  switch (p.type) {
    case 'regex': {
      if (p.negated || (p.field !== 'message' && p.field !== 'text')) return undefined;
      const lits = requiredLiterals(p.source, p.flags);
      return lits ? { field: p.field, literals: lits, caseInsensitive: p.flags.includes('i') } : undefined;
    }
    case 'contains':
      if (p.negated || (p.field !== 'message' && p.field !== 'text') || p.value.length < 3) return undefined;
      return { field: p.field, literals: [p.value], caseInsensitive: false };
    case 'compare': {
      // `message == "Probe failed"`: the whole text is the literal.
      const v = p.value;
      if (p.op !== '==' || (p.field !== 'message' && p.field !== 'text') || (v.type !== 'string' && v.type !== 'word') || String(v.value).length < 3) return undefined;
      return { field: p.field, literals: [String(v.value)], caseInsensitive: false };
    }
    case 'and': {
      const a = literalsOf(p.left);
      const b = literalsOf(p.right);
      if (!a || !b) return a ?? b;
      const shortest = (x: PrefilterLiterals) => Math.min(...x.literals.map((l) => l.length));
      return shortest(b) > shortest(a) ? b : a;
    }
    case 'or': {
      const a = literalsOf(p.left);
      const b = literalsOf(p.right);
      if (!a || !b || a.field !== b.field || a.caseInsensitive !== b.caseInsensitive) return undefined;
      return { field: a.field, literals: [...new Set([...a.literals, ...b.literals])], caseInsensitive: a.caseInsensitive };
    }
    default:
      return undefined;
  }
}

const TEMPLATE_REF = /\{([A-Za-z_][\w-]*)\.([A-Za-z_][\w.-]*)\}/g;
const BUILTIN_TEMPLATE_FIELDS = new Set(['count', 'nodes', 'first', 'last', 'span', 'description']);

export function compileSignatures(signatures: readonly Signature[]): CompiledClause[] {
  const clauses: CompiledClause[] = [];
  for (const sig of signatures) {
    const templated = new Map<string, Set<string>>();
    for (const m of `${sig.explanation}\n${sig.remediation}`.matchAll(TEMPLATE_REF)) {
      if (BUILTIN_TEMPLATE_FIELDS.has(m[2])) continue;
      const set = templated.get(m[1]) ?? new Set<string>();
      set.add(m[2]);
      templated.set(m[1], set);
    }
    for (const ev of sig.evidence) {
      const joins: Join[] = [];
      const test = ev.where ? compilePredicate(ev.where, joins) : () => true;
      const track = new Set(templated.get(ev.name) ?? []);
      // A clause another clause joins against keeps the joined field's values.
      for (const other of sig.evidence) {
        const j: Join[] = [];
        if (other.where) compilePredicate(other.where, j);
        for (const x of j) if (x.clause === ev.name) track.add(x.otherField);
      }
      if (ev.agg.distinct) track.add(ev.agg.distinct.field);
      clauses.push({
        index: clauses.length,
        signature: sig,
        evidence: ev,
        kind: ev.from,
        sources: sourcesOf(ev.where),
        prefilter: literalsOf(ev.where),
        test,
        join: joins[0],
        benign: sig.kind === 'benign',
        trackFields: [...track],
      });
    }
  }
  return clauses;
}
