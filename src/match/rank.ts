/**
 * Turns the matcher's per-clause aggregates into findings: evaluates each signature's
 * condition (globally or per node), checks the bundle's versions against the affected and
 * fixed ranges, assigns a confidence and a score, lists what is missing and which input would
 * settle it, and records the coverage ledger. Then sorts: confidence class first (so an
 * advisory never outranks a confirmed finding), score next, id last, for stable output.
 */
import type { Comparator, Condition, Signature } from '../dsl/ast.js';
import { holds } from './comparator.js';
import type { FactStore } from '../model/facts.js';
import {
  CONFIDENCE_RANK, type ClauseResult, type Confidence, type CoverageEntry, type Finding, type MissingEvidence, type VersionCheck,
} from '../model/finding.js';
import { renderExplanation, renderTemplate } from './template.js';
import type { CompiledClause } from './compile.js';
import { ALL, GroupState, type Matcher } from './engine.js';
import { carriesFix, parseVersion, satisfies, type Version } from './version.js';
import { PARSER_LIST } from '../../parsers/index.js';

export interface RankInput {
  matcher: Matcher;
  facts: FactStore;
  /** Addresses of files read only in part (corrupt, cut, limit reached). */
  truncatedFiles: Set<string>;
}

export interface RankOutput {
  findings: Finding[];
  coverage: CoverageEntry[];
}

/** `n op v` for the comparators of count, span and distinct requirements. */
const cmpOp = (n: number, op: Comparator, v: number): boolean => holds(n - v, op);

/** Does a clause's aggregate meet its count / window / span / distinct requirements? */
export function groupSatisfies(g: GroupState | undefined, c: CompiledClause): boolean {
  const a = c.evidence.agg;
  const count = g?.count ?? 0;
  if (a.count ? !cmpOp(count, a.count.op, a.count.value) : count < 1) return false;
  if (!g) return a.count !== undefined && cmpOp(0, a.count.op, a.count.value);
  // Without timestamps a window cannot be checked; the count alone decides.
  if (a.within && g.first !== undefined && !g.windowMet) return false;
  if (a.span) {
    if (g.first === undefined || g.last === undefined) return false;
    if (!cmpOp(g.last - g.first, a.span.op, a.span.ms)) return false;
  }
  if (a.distinct && !cmpOp(g.values.get(a.distinct.field)?.size ?? 0, a.distinct.op, a.distinct.value)) return false;
  return true;
}

interface ConditionContext {
  sat(name: string): boolean;
  /** First and last match time of a clause in the group being evaluated. */
  times(name: string): { first?: number; last?: number };
}

function evalCondition(c: Condition | undefined, ctx: ConditionContext): boolean {
  if (!c) return true;
  switch (c.type) {
    case 'ref': return ctx.sat(c.name);
    case 'order': {
      // Without timestamps the order cannot be shown, so it does not hold.
      if (!ctx.sat(c.name)) return false;
      const a = ctx.times(c.name);
      const b = ctx.times(c.other);
      if (c.relation === 'after') return a.last !== undefined && b.first !== undefined && a.last > b.first;
      return a.first !== undefined && b.last !== undefined && a.first < b.last;
    }
    case 'not': return !evalCondition(c.operand, ctx);
    case 'and': return evalCondition(c.left, ctx) && evalCondition(c.right, ctx);
    case 'or': return evalCondition(c.left, ctx) || evalCondition(c.right, ctx);
  }
}

/** Clause names with their polarity in the condition (`not x` wants x absent). */
function polarities(c: Condition | undefined, negated = false, out = new Map<string, boolean>()): Map<string, boolean> {
  if (!c) return out;
  if (c.type === 'ref' || c.type === 'order') { if (!out.has(c.name)) out.set(c.name, negated); }
  else if (c.type === 'not') polarities(c.operand, !negated, out);
  else { polarities(c.left, negated, out); polarities(c.right, negated, out); }
  return out;
}

/** What input a clause reads, in the words of a support engineer asking a customer for it. */
export function needsOf(c: CompiledClause): string {
  if (c.evidence.needs) return c.evidence.needs;
  if (c.kind === 'fact') return 'version information (kubectl version, node info, component logs)';
  const sources = c.sources ? [...c.sources].join('/') : undefined;
  if (c.kind === 'log') return sources ? `${sources} logs` : 'log events';
  // Name the inputs of every parser that emits this kind (`ip addr or ip link`), not just one.
  const inputs = PARSER_LIST.filter((p) => Object.hasOwn(p.meta.emits, c.kind)).map((p) => p.meta.inputs[0]).filter(Boolean);
  return inputs.length ? `${inputs.slice(0, 3).join(' or ')}${sources ? ` (${sources})` : ''}` : `${c.kind} events`;
}

function versionChecks(sig: Signature, facts: FactStore): VersionCheck[] {
  const components = new Set([...sig.affects.map((a) => a.component), ...sig.fixed.map((f) => f.component)]);
  const checks: VersionCheck[] = [];
  for (const component of [...components].sort()) {
    const rules = sig.affects.filter((a) => a.component === component);
    const fixes = sig.fixed.filter((f) => f.component === component).flatMap((f) => f.versions).map((v) => parseVersion(v)).filter((v): v is Version => !!v);
    const found = facts.get(component).map((f) => ({ value: f.value, node: f.node, file: f.loc.file, line: f.loc.line }));
    const verdicts = found.map((f) => {
      const v = parseVersion(f.value);
      if (!v) return 'unknown' as const;
      if (fixes.length && carriesFix(v, fixes)) return 'fixed' as const;
      if (rules.length === 0) return 'affected' as const;
      const inRange = rules.some((r) => r.ranges.some((range) => range.bounds.every((b) => satisfies(v, b.op, parseVersion(b.version)!))));
      return inRange ? ('affected' as const) : ('not-affected' as const);
    });
    const known = verdicts.filter((v) => v !== 'unknown');
    const verdict: VersionCheck['verdict'] = known.length === 0 ? 'unknown'
      : known.includes('affected') ? 'affected'
      : known.includes('fixed') ? 'fixed' : 'not-affected';
    checks.push({
      component,
      found,
      affected: rules.flatMap((r) => r.ranges.map((x) => x.text)),
      fixed: sig.fixed.filter((f) => f.component === component).flatMap((f) => f.versions),
      verdict,
    });
  }
  return checks;
}

/** Evaluate a signature's condition on all nodes together or on each node: the keys where it holds. */
function evaluateKeys(matcher: Matcher, sig: Signature, clauses: CompiledClause[]) {
  // Which groups to evaluate: all nodes together, or each node on its own.
  const satIn = (c: CompiledClause, key: string): boolean => {
    const st = matcher.state[c.index];
    if (key === ALL) return groupSatisfies(st.groups.get(ALL), c);
    const nodeBearing = [...st.groups.keys()].some((k) => k !== ALL && k !== '');
    // Cluster-level evidence (objects, facts) has no node: it counts for every node.
    return nodeBearing ? groupSatisfies(st.groups.get(key), c) : groupSatisfies(st.groups.get(ALL), c);
  };
  const keys = sig.perNode
    ? [...new Set(clauses.flatMap((c) => [...matcher.state[c.index].groups.keys()].filter((k) => k !== ALL)))].sort()
    : [ALL];
  const byName = new Map(clauses.map((c) => [c.evidence.name, c]));
  const groupFor = (c: CompiledClause, key: string) => {
    const st = matcher.state[c.index];
    const nodeBearing = key !== ALL && [...st.groups.keys()].some((k) => k !== ALL && k !== '');
    return nodeBearing ? st.groups.get(key) : st.groups.get(ALL);
  };
  const contextFor = (k: string): ConditionContext => ({
    sat: (n) => { const c = byName.get(n); return !!c && satIn(c, k); },
    times: (n) => { const c = byName.get(n); const g = c ? groupFor(c, k) : undefined; return { first: g?.first, last: g?.last }; },
  });
  const matchedKeys = keys.filter((k) => evalCondition(sig.condition, contextFor(k)));
  return { satIn, keys, groupFor, matchedKeys };
}

export function rank(input: RankInput): RankOutput {
  const { matcher, facts, truncatedFiles } = input;
  matcher.resolveJoins();
  matcher.resolveNodes();
  const findings: Finding[] = [];
  const coverage: CoverageEntry[] = [];
  const bySig = new Map<Signature, CompiledClause[]>();
  for (const c of matcher.clauses) {
    const list = bySig.get(c.signature) ?? [];
    list.push(c);
    bySig.set(c.signature, list);
  }
  // Benign signatures first: where one does not hold, the lines it claimed go back to the others.
  for (const sig of matcher.signatures) {
    if (sig.kind !== 'benign') continue;
    const clauses = bySig.get(sig) ?? [];
    const { matchedKeys } = evaluateKeys(matcher, sig, clauses);
    const met = clauses.length > 0 && matchedKeys.length > 0;
    matcher.releaseClaims(sig, (key) => met && (!sig.perNode || key === '' || matchedKeys.includes(key)));
  }
  for (const sig of matcher.signatures) {
    const clauses = bySig.get(sig) ?? [];
    const pol = polarities(sig.condition);
    const versions = versionChecks(sig, facts);

    // Coverage: which clause inputs exist, and were any of them read only in part?
    const missingInputs: string[] = [];
    const truncatedInputs = new Set<string>();
    let present = 0;
    for (const c of clauses) {
      const seen = matcher.inputSeen(c);
      if (seen) { present++; for (const f of seen.files) if (truncatedFiles.has(f)) truncatedInputs.add(f); }
      else missingInputs.push(needsOf(c));
    }
    const versionKnown = versions.some((v) => v.verdict !== 'unknown');
    const status = clauses.length === 0 ? (versions.length === 0 || versionKnown ? 'evaluated' : 'skipped')
      : present === clauses.length ? 'evaluated' : present === 0 ? 'skipped' : 'partial';
    if (clauses.length === 0 && !versionKnown) missingInputs.push(...versions.map((v) => `${v.component} version`));
    coverage.push({ id: sig.id, status, missingInputs: [...new Set(missingInputs)], truncatedInputs: [...truncatedInputs].sort() });

    const { satIn, keys, groupFor, matchedKeys } = evaluateKeys(matcher, sig, clauses);
    const met = clauses.length === 0 ? true : matchedKeys.length > 0;

    // Partial credit: weighted share of clauses in the state the condition wants, at the best key.
    const weightOf = (c: CompiledClause): number => {
      const st = matcher.state[c.index];
      const g = st.groups.get(ALL);
      // Rarer evidence weighs more: a clause matching most events of its kind in the whole
      // bundle says little. (Measured against the kind, not the source: a stuck kube-proxy
      // logs nothing else, and that must not make its evidence weaker.)
      const seen = matcher.seen.get(c.kind)?.events ?? 0;
      const specificity = g && seen > 0 ? Math.min(1, Math.max(0.5, 1 - g.count / seen)) : 1;
      return c.evidence.weight * (pol.get(c.evidence.name) ? 1 : specificity);
    };
    // `checked` leaves out clauses whose input is absent from the bundle: what could be checked
    // mostly holds → possible, with the absent inputs listed; `share` is how much could be checked.
    let bestKey = matchedKeys[0] ?? ALL;
    let fraction = 0, checked = 0, share = 0;
    let bestFraction = -1;
    for (const k of matchedKeys.length ? matchedKeys : keys.length ? keys : [ALL]) {
      let got = 0, total = 0, totalChecked = 0;
      for (const c of clauses) {
        if (!pol.has(c.evidence.name)) continue;
        const w = weightOf(c);
        total += w;
        if (matcher.inputSeen(c)) totalChecked += w;
        if (satIn(c, k) !== pol.get(c.evidence.name)) got += w;
      }
      const f = total ? got / total : 1;
      if (f > bestFraction) {
        bestFraction = f; bestKey = k; fraction = f;
        checked = totalChecked ? got / totalChecked : 0;
        share = total ? totalChecked / total : 1;
      }
    }
    const anyPositive = clauses.some((c) => pol.get(c.evidence.name) === false && satIn(c, bestKey));

    // Per-node signatures describe their evidence on the nodes that matched (or the best
    // partial node); others describe all nodes together.
    const resultKeys = !sig.perNode ? [ALL] : matchedKeys.length ? matchedKeys : [bestKey];
    const clauseResults: ClauseResult[] = clauses.map((c) => {
      const groups = [...new Set(resultKeys.map((k) => groupFor(c, k)))].filter((x): x is GroupState => !!x);
      let g: GroupState | undefined = groups[0];
      if (groups.length > 1) { g = new GroupState(); for (const x of groups) g.merge(x); }
      const values: Record<string, string[]> = {};
      for (const [f, vs] of g?.values ?? []) values[f] = [...vs].sort();
      return {
        name: c.evidence.name,
        description: c.evidence.description,
        weight: c.evidence.weight,
        negated: pol.get(c.evidence.name) ?? false,
        satisfied: resultKeys.some((k) => satIn(c, k)),
        count: g?.count ?? 0,
        first: g?.first,
        last: g?.last,
        nodes: [...(g?.nodes ?? [])].sort(),
        examples: g?.allExamples() ?? [],
        values,
        inputPresent: !!matcher.inputSeen(c),
        needs: needsOf(c),
      };
    });
    const missing: MissingEvidence[] = clauseResults
      .filter((c) => pol.has(c.name) && c.satisfied === c.negated)
      .map((c) => ({ clause: c.name, description: c.description, needs: c.needs, inputPresent: c.inputPresent }));

    const versionVerdict = versions.length === 0 ? 'none'
      : versions.some((v) => v.verdict === 'fixed' || v.verdict === 'not-affected') ? 'excluded'
      : versions.every((v) => v.verdict === 'affected') ? 'affected' : 'unknown';
    const versionFactor = versionVerdict === 'affected' ? 1 : versionVerdict === 'none' ? 0.9 : 0.8;

    let confidence: Confidence | undefined;
    let reason: string | undefined;
    if (sig.kind === 'benign') {
      if (met && clauses.length > 0) confidence = 'benign';
    } else if (sig.kind === 'advisory') {
      const versionOnly = clauses.length === 0;
      if (met && (!versionOnly || versionVerdict === 'affected')) confidence = versionVerdict === 'excluded' ? 'ruled-out' : 'advisory';
    } else if (met || (anyPositive && (fraction >= 0.5 || (checked >= 0.75 && share < 1)))) {
      confidence = met ? 'confirmed' : 'possible';
      if (versionVerdict === 'excluded') confidence = 'ruled-out';
    }
    if (!confidence) continue;
    if (confidence === 'ruled-out') {
      reason = versions.filter((v) => v.verdict === 'fixed' || v.verdict === 'not-affected')
        .map((v) => `${v.component} ${[...new Set(v.found.map((f) => f.value))].join(', ')} ${v.verdict === 'fixed' ? `carries the fix (fixed in ${v.fixed.join(', ')})` : `is outside the affected range${v.affected.length ? ` (${v.affected.join(', ')})` : ''}`}`)
        .join('; ');
    }
    const base = confidence === 'confirmed' ? 0.5 + 0.5 * fraction : confidence === 'possible' ? 0.45 * fraction : confidence === 'advisory' ? 0.3 : 0.2 * fraction;
    const score = Math.round(base * versionFactor * 100) / 100;
    const nodes = sig.perNode ? matchedKeys.filter((k) => k !== '' && k !== ALL) : [...new Set(clauseResults.filter((c) => c.satisfied && !c.negated).flatMap((c) => c.nodes))].sort();
    findings.push({
      id: sig.id,
      title: sig.title,
      kind: sig.kind,
      severity: sig.severity,
      component: sig.component,
      confidence,
      score,
      nodes,
      clauses: clauseResults,
      versions,
      missing: confidence === 'confirmed' ? [] : missing,
      reason,
      explanation: renderExplanation(sig.explanation, clauseResults, facts),
      remediation: renderTemplate(sig.remediation, clauseResults, facts),
      check: sig.check,
      references: sig.references,
    });
  }
  findings.sort((a, b) => CONFIDENCE_RANK[a.confidence] - CONFIDENCE_RANK[b.confidence] || b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { findings, coverage };
}
