/**
 * Semantic checks of a parsed signature: everything the grammar cannot say. Each problem is a
 * specific diagnostic with a location, so a signature author fixes the file without guessing.
 */
import { basename } from 'node:path';
import type { Condition, Evidence, Pos, Predicate, Signature } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import type { RawSignature } from './parser.js';
import { declaredKinds } from '../../parsers/index.js';
import { COMPONENTS, EVENT_PROPERTIES, PLATFORMS, SEVERITIES, SIGNATURE_KINDS, VERSION_FACTS } from './vocabulary.js';
import { impossibleRange, parseVersion, type Version } from '../match/version.js';

export interface Vocabulary {
  /** Event kind → field names its parsers declare ('*' = open). */
  kinds: Map<string, Set<string>>;
}

/** `a.*.b` as a regex over flattened field names: `*` is one path segment. */
export function wildcardPath(field: string): RegExp {
  return new RegExp(`^${field.split('.').map((seg) => (seg === '*' ? '[^.]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('\\.')}$`);
}

export function defaultVocabulary(): Vocabulary {
  return { kinds: declaredKinds() };
}

/** Regexes with a quantified group that itself contains a quantifier: `(a+)+`, `(\w+\s?)*`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;

export function safeRegex(source: string, flags: string): { regex?: RegExp; error?: string } {
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags.replace(/g/g, ''));
  } catch (e) {
    return { error: `regex does not compile: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}` };
  }
  if (NESTED_QUANTIFIER.test(source)) {
    return { error: 'regex has a quantified group containing a quantifier (catastrophic backtracking risk); rewrite it without nesting' };
  }
  return { regex };
}

export function checkSignature(raw: RawSignature, file: string, vocab: Vocabulary): { signature?: Signature; diagnostics: Diagnostic[] } {
  const diags: Diagnostic[] = [];
  const err = (pos: Pos | undefined, code: string, message: string, length = 1) =>
    diags.push({ file, line: pos?.line ?? 1, column: pos?.column ?? 1, length, code, message, severity: 'error' });
  const warn = (pos: Pos | undefined, code: string, message: string) =>
    diags.push({ file, line: pos?.line ?? 1, column: pos?.column ?? 1, length: 1, code, message, severity: 'warning' });

  const s = raw.sig;
  const id = s.id ?? '';
  const expectedId = basename(file).replace(/\.sig$/, '');
  if (id !== expectedId) err(s.pos, 'id-mismatch', `signature id '${id}' must equal the file name '${expectedId}'`);

  // Header properties: once each, values from the closed vocabularies.
  const seen = new Map<string, Pos>();
  const header: Record<string, string | string[]> = {};
  for (const h of raw.headers) {
    if (seen.has(h.key)) { err(h.pos, 'duplicate-property', `'${h.key}' is already set at line ${seen.get(h.key)!.line}`, h.key.length); continue; }
    seen.set(h.key, h.pos);
    header[h.key] = h.value;
  }
  const enumCheck = (key: string, allowed: readonly string[]) => {
    const v = header[key];
    for (const x of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
      if (!allowed.includes(x)) err(seen.get(key), `unknown-${key}`, `unknown ${key} '${x}'; expected one of: ${allowed.join(', ')}`, key.length);
    }
  };
  enumCheck('kind', SIGNATURE_KINDS);
  enumCheck('severity', SEVERITIES);
  enumCheck('component', COMPONENTS);
  enumCheck('platforms', PLATFORMS);
  const kind = (header.kind as Signature['kind'] | undefined) ?? 'issue';
  const required = ['title', 'severity', 'component', 'explanation', 'remediation', ...(kind === 'benign' ? [] : ['references'])];
  for (const key of required) if (!(key in header)) err(s.pos, 'missing-property', `signature '${id}' has no '${key}'`, 'signature'.length);

  // Version rules.
  const versionOf = (text: string, pos: Pos): Version | undefined => {
    const v = parseVersion(text);
    if (!v) err(pos, 'bad-version', `'${text}' is not a version`);
    return v;
  };
  for (const rule of [...s.affects, ...s.fixed]) {
    if (!(VERSION_FACTS as readonly string[]).includes(rule.component)) {
      err(rule.pos, 'unknown-version-component', `no version fact named '${rule.component}'; expected one of: ${VERSION_FACTS.join(', ')}`);
    }
  }
  for (const rule of s.affects) {
    for (const r of rule.ranges) {
      const bounds = r.bounds.map((b) => ({ op: b.op, version: versionOf(b.version, rule.pos) }));
      if (bounds.every((b) => b.version) && impossibleRange(bounds as { op: typeof bounds[0]['op']; version: Version }[])) {
        err(rule.pos, 'impossible-range', `version range '${r.text}' of ${rule.component} can never match`, 'affects'.length);
      }
    }
  }
  for (const rule of s.fixed) for (const v of rule.versions) versionOf(v, rule.pos);

  // Evidence clauses.
  const names = new Map<string, Evidence>();
  for (const ev of s.evidence) {
    if (names.has(ev.name)) err(ev.pos, 'duplicate-evidence', `evidence '${ev.name}' is declared twice`, 'evidence'.length);
    names.set(ev.name, ev);
  }
  for (const ev of s.evidence) checkEvidence(ev, names, vocab, err);

  // Condition.
  if (raw.conditions.length > 1) err(raw.conditions[1], 'duplicate-condition', 'a signature has one condition; combine clauses with and/or/not', 'condition'.length);
  const used = new Set<string>();
  const walk = (c: Condition | undefined) => {
    if (!c) return;
    if (c.type === 'ref') {
      used.add(c.name);
      if (!names.has(c.name)) err(c.pos, 'unknown-evidence', `condition names '${c.name}', which is not a declared evidence clause${names.size ? ` (declared: ${[...names.keys()].join(', ')})` : ''}`, c.name.length);
    } else if (c.type === 'order') {
      for (const n of [c.name, c.other]) {
        used.add(n);
        if (!names.has(n)) err(c.pos, 'unknown-evidence', `condition names '${n}', which is not a declared evidence clause${names.size ? ` (declared: ${[...names.keys()].join(', ')})` : ''}`, c.name.length);
      }
    } else if (c.type === 'not') walk(c.operand);
    else { walk(c.left); walk(c.right); }
  };
  walk(s.condition);
  if (s.condition) for (const ev of s.evidence) if (!used.has(ev.name) && !referencedByJoin(ev.name, s.evidence)) warn(ev.pos, 'unused-evidence', `evidence '${ev.name}' is not used by the condition`);
  if (!s.condition && s.evidence.length === 0 && kind !== 'advisory') err(s.pos, 'no-evidence', `signature '${id}' has no evidence; only advisory signatures may rest on versions alone`, 'signature'.length);
  if (kind === 'advisory' && s.affects.length === 0 && s.evidence.length === 0) err(s.pos, 'no-evidence', `advisory '${id}' needs an 'affects' rule or evidence`, 'signature'.length);

  if (diags.some((d) => d.severity === 'error')) return { diagnostics: diags };
  const signature: Signature = {
    id,
    title: header.title as string,
    kind,
    severity: header.severity as Signature['severity'],
    component: header.component as string,
    platforms: (header.platforms as string[] | undefined) ?? ['any'],
    references: (header.references as string[] | undefined) ?? [],
    explanation: header.explanation as string,
    remediation: header.remediation as string,
    check: header.check as string | undefined,
    affects: s.affects,
    fixed: s.fixed,
    evidence: s.evidence,
    // No condition: every clause must hold.
    condition: s.condition ?? s.evidence.map((e): Condition => ({ type: 'ref', name: e.name, pos: e.pos }))
      .reduce<Condition | undefined>((a, b) => (a ? { type: 'and', left: a, right: b } : b), undefined),
    perNode: s.perNode,
    file,
    pos: s.pos ?? { line: 1, column: 1 },
  };
  return { signature, diagnostics: diags };
}

function referencedByJoin(name: string, all: Evidence[]): boolean {
  const refs = (p: Predicate | undefined): boolean => {
    if (!p) return false;
    if (p.type === 'and' || p.type === 'or') return refs(p.left) || refs(p.right);
    if (p.type === 'not') return refs(p.operand);
    return p.type === 'in-clause' && p.clause === name;
  };
  return all.some((e) => refs(e.where));
}

export function fieldsOf(kind: string, vocab: Vocabulary): Set<string> | undefined {
  if (kind === 'fact') return new Set(['name', 'value']);
  return vocab.kinds.get(kind);
}

function checkEvidence(
  ev: Evidence,
  names: Map<string, Evidence>,
  vocab: Vocabulary,
  err: (pos: Pos | undefined, code: string, message: string, length?: number) => void,
): void {
  const fields = fieldsOf(ev.from, vocab);
  if (!fields) {
    const known = ['fact', ...vocab.kinds.keys()].sort();
    err(ev.pos, 'unknown-kind', `no parser emits events of kind '${ev.from}'; known kinds: ${known.join(', ')}`, 'evidence'.length);
    return;
  }
  const fieldOk = (f: string, kindFields: Set<string> | undefined = fields) => {
    if ((EVENT_PROPERTIES as readonly string[]).includes(f) || kindFields.has('*') || kindFields.has(f)) return true;
    // A wildcard path (`ports.*.port`) is known when it matches a declared field.
    if (!f.includes('*')) return false;
    const path = wildcardPath(f);
    return [...kindFields].some((k) => path.test(k));
  };
  const checkField = (f: string, pos: Pos, kindName = ev.from, kindFields = fields) => {
    if (!fieldOk(f, kindFields)) {
      err(pos, 'unknown-field', `events of kind '${kindName}' have no field '${f}'; fields: ${[...EVENT_PROPERTIES, ...[...kindFields].sort()].join(', ')}`, f.length);
    }
  };
  const visit = (p: Predicate | undefined) => {
    if (!p) return;
    switch (p.type) {
      case 'and': case 'or': visit(p.left); visit(p.right); return;
      case 'not': visit(p.operand); return;
      case 'regex': {
        checkField(p.field, p.pos);
        const r = safeRegex(p.source, p.flags);
        if (r.error) err(p.pos, 'bad-regex', r.error, p.field.length);
        return;
      }
      case 'in-clause': {
        checkField(p.field, p.pos);
        const other = names.get(p.clause);
        if (!other) { err(p.pos, 'unknown-evidence', `'${p.clause}' is not a declared evidence clause`, p.field.length); return; }
        if (other.name === ev.name) { err(p.pos, 'self-join', `evidence '${ev.name}' cannot join with itself`, p.field.length); return; }
        if (hasJoin(other.where)) { err(p.pos, 'nested-join', `evidence '${p.clause}' joins another clause itself; joins cannot be chained`, p.field.length); return; }
        const otherFields = fieldsOf(other.from, vocab);
        if (otherFields) checkField(p.otherField, p.pos, other.from, otherFields);
        return;
      }
      default:
        checkField(p.field, p.pos);
    }
  };
  visit(ev.where);
  const joins = countJoins(ev.where);
  if (joins.total > 1) err(ev.pos, 'too-many-joins', `evidence '${ev.name}' has ${joins.total} joins; a clause may join one other clause`, 'evidence'.length);
  else if (joins.total === 1 && joins.topLevel === 0) err(ev.pos, 'join-not-top-level', `the join in evidence '${ev.name}' must be a top-level 'and' term (not inside 'or' or 'not')`, 'evidence'.length);
  if (ev.agg.distinct) checkField(ev.agg.distinct.field, ev.pos);
  if (ev.agg.within && !ev.agg.count) err(ev.pos, 'within-without-count', `'within ${ev.agg.within.text}' needs a 'count' to apply to`, 'evidence'.length);
  if (ev.weight <= 0) err(ev.pos, 'bad-weight', 'weight must be greater than 0', 'evidence'.length);
}

/** Joins in a predicate, and how many sit in the top-level `and` chain (the only place they mean something). */
function countJoins(p: Predicate | undefined, top = true): { total: number; topLevel: number } {
  if (!p) return { total: 0, topLevel: 0 };
  if (p.type === 'in-clause') return { total: 1, topLevel: top ? 1 : 0 };
  if (p.type === 'and') { const a = countJoins(p.left, top); const b = countJoins(p.right, top); return { total: a.total + b.total, topLevel: a.topLevel + b.topLevel }; }
  if (p.type === 'or') { const a = countJoins(p.left, false); const b = countJoins(p.right, false); return { total: a.total + b.total, topLevel: 0 }; }
  if (p.type === 'not') return countJoins(p.operand, false);
  return { total: 0, topLevel: 0 };
}

export function hasJoin(p: Predicate | undefined): boolean {
  if (!p) return false;
  if (p.type === 'and' || p.type === 'or') return hasJoin(p.left) || hasJoin(p.right);
  if (p.type === 'not') return hasJoin(p.operand);
  return p.type === 'in-clause';
}
