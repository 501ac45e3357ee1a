/**
 * The matcher: consumes a bundle's events one at a time and keeps, per evidence clause and per
 * node, only aggregates — counts, first/last time, a sliding window, a few example lines,
 * bounded sets of distinct values. It never stores the event list, so memory does not grow
 * with the bundle. Pure: no I/O, no clock; the same events give the same state.
 *
 * Per event the work does not scale with the catalog: clauses are indexed by event kind and
 * source, and clauses whose predicate needs a literal (`message ~ /Trying to delete rs/`) are
 * only tested when one pass of a literal scanner over the event's text finds theirs.
 */
import type { Event } from '../model/event.js';
import type { EvidenceLine } from '../model/finding.js';
import type { Signature } from '../dsl/ast.js';
import { compileSignatures, type CompiledClause } from './compile.js';
import { LiteralScanner } from './literal-scanner.js';
import { NodeResolver } from '../node-resolver.js';

const EXAMPLES_FIRST = 3;
const EXAMPLES_LAST = 2;
const TEMPLATE_VALUES = 10;
const JOIN_VALUES = 100_000;
const FILES_PER_INPUT = 50;
/** Group key for "all nodes together". */
export const ALL = '\u0000all';
/** Group key prefix for pod-log events whose node is not known yet. */
export const POD_PREFIX = 'pod/';

const groupKey = (e: Event): string => e.node ?? (e.pod ? `${POD_PREFIX}${e.pod}` : '');

export class GroupState {
  count = 0;
  first?: number;
  last?: number;
  windowMet = false;
  private ring?: number[];
  private ringPos = 0;
  readonly examples: EvidenceLine[] = [];
  readonly tail: EvidenceLine[] = [];
  readonly values = new Map<string, Set<string>>();
  readonly nodes = new Set<string>();

  add(e: Event, c: CompiledClause, distinctCap: number): void {
    this.count++;
    if (e.node) this.nodes.add(e.node);
    const t = e.time;
    if (t !== undefined) {
      if (this.first === undefined || t < this.first) this.first = t;
      if (this.last === undefined || t > this.last) this.last = t;
      const w = c.evidence.agg.within;
      const need = c.evidence.agg.count ? c.evidence.agg.count.value + (c.evidence.agg.count.op === '>' ? 1 : 0) : 1;
      if (w && !this.windowMet && need > 1) {
        // Ring of the last `need` timestamps: the window is met when they fit inside it.
        this.ring ??= [];
        if (this.ring.length < need) this.ring.push(t);
        else { this.ring[this.ringPos] = t; this.ringPos = (this.ringPos + 1) % need; }
        if (this.ring.length === need) {
          let lo = Infinity, hi = -Infinity;
          for (const x of this.ring) { if (x < lo) lo = x; if (x > hi) hi = x; }
          if (hi - lo <= w.ms) this.windowMet = true;
        }
      } else if (w && need <= 1) this.windowMet = true;
    }
    const line: EvidenceLine = { file: e.loc.file, line: e.loc.line, endLine: e.loc.endLine, node: e.node, time: e.time, text: e.text ?? e.message ?? '' };
    if (this.examples.length < EXAMPLES_FIRST) this.examples.push(line);
    else { this.tail.push(line); if (this.tail.length > EXAMPLES_LAST) this.tail.shift(); }
    for (const f of c.trackFields) {
      const v = f === 'node' ? e.node : f === 'source' ? e.source : f === 'message' ? e.message : e.fields[f];
      if (v === undefined) continue;
      const set = this.values.get(f) ?? new Set<string>();
      if (set.size < distinctCap) set.add(String(v));
      this.values.set(f, set);
    }
  }

  merge(o: GroupState): void {
    this.count += o.count;
    if (o.first !== undefined && (this.first === undefined || o.first < this.first)) this.first = o.first;
    if (o.last !== undefined && (this.last === undefined || o.last > this.last)) this.last = o.last;
    this.windowMet ||= o.windowMet;
    for (const x of [...o.examples, ...o.tail]) {
      if (this.examples.length < EXAMPLES_FIRST) this.examples.push(x);
      else { this.tail.push(x); if (this.tail.length > EXAMPLES_LAST) this.tail.shift(); }
    }
    for (const [f, vs] of o.values) { const set = this.values.get(f) ?? new Set<string>(); for (const v of vs) set.add(v); this.values.set(f, set); }
    for (const n of o.nodes) this.nodes.add(n);
  }

  /** Examples in input order: the first few and the last few. */
  allExamples(): EvidenceLine[] {
    return [...this.examples, ...this.tail];
  }
}

export class ClauseState {
  /** node → aggregates; `ALL` aggregates every node. */
  readonly groups = new Map<string, GroupState>();
  /** Join candidates, keyed by node and join value, decided at the end. */
  readonly pending = new Map<string, { node: string; value: string; group: GroupState }>();
  /** Values of fields other clauses join against (keyed `node\0value` for per-node signatures). */
  readonly joinSets = new Map<string, Set<string>>();
  joinOverflow = false;
  /**
   * Events a benign signature claimed, kept apart per benign signature: they count for this
   * clause only if that benign signature turns out not to hold (the errors never recovered).
   */
  readonly claimed = new Map<Signature, Map<string, GroupState>>();

  group(key: string): GroupState {
    let g = this.groups.get(key);
    if (!g) { g = new GroupState(); this.groups.set(key, g); }
    return g;
  }
}

/** One pass over one text of the event finds the clauses whose literals it holds. */
interface Prefilter {
  scanner: LiteralScanner;
  /** literal index → clauses it (or a literal it contains) makes candidates */
  clausesFor: CompiledClause[][];
}

interface Plan {
  direct: CompiledClause[];
  /** Literals searched in the message. */
  message?: Prefilter;
  /** Literals searched in the raw text (the message when the event has no text). */
  text?: Prefilter;
  /** Both sets at once, for the usual event whose message is part of its text. */
  both?: Prefilter;
  hasBenign: boolean;
}

/** Prefilters by the clause indexes they serve: many sources share the same clauses. */
type PrefilterCache = Map<string, Prefilter>;

function prefilterFor(clauses: CompiledClause[], cache: PrefilterCache): Prefilter | undefined {
  if (clauses.length === 0) return undefined;
  const key = clauses.map((c) => c.index).join(',');
  let pf = cache.get(key);
  if (!pf) { pf = buildPrefilter(clauses); cache.set(key, pf); }
  return pf;
}

function buildPrefilter(clauses: CompiledClause[]): Prefilter {
  const literals = [...new Set(clauses.flatMap((c) => c.prefilter!.literals))].sort();
  // A clause is a candidate when any of its literals occurs. The scanner folds case, so it
  // also reports a case-sensitive literal met in another case; the clause's own test decides.
  const clausesFor = literals.map((l) => clauses.filter((c) => c.prefilter!.literals.includes(l)));
  return { scanner: new LiteralScanner(literals), clausesFor };
}

function buildPlan(clauses: CompiledClause[], cache: PrefilterCache): Plan {
  const onMessage = clauses.filter((c) => c.prefilter?.field === 'message');
  const onText = clauses.filter((c) => c.prefilter?.field === 'text');
  return {
    direct: clauses.filter((c) => !c.prefilter),
    message: prefilterFor(onMessage, cache),
    text: prefilterFor(onText, cache),
    both: onMessage.length && onText.length ? prefilterFor([...onMessage, ...onText], cache) : undefined,
    hasBenign: clauses.some((c) => c.benign),
  };
}

export interface InputSeen {
  events: number;
  files: Set<string>;
  /** The file of the latest event: a file usually sends many events in a row. */
  lastFile?: string;
}

function noteFile(seen: InputSeen, file: string): void {
  if (file === seen.lastFile) return;
  seen.lastFile = file;
  if (seen.files.size < FILES_PER_INPUT) seen.files.add(file);
}

export class Matcher {
  readonly clauses: CompiledClause[];
  readonly state: ClauseState[];
  /** Events seen per kind, for the coverage ledger. */
  readonly seen = new Map<string, InputSeen>();
  /** Events seen per kind and source. */
  private readonly seenBySource = new Map<string, Map<string, InputSeen>>();
  private scanning?: Prefilter;
  private readonly prefilters: PrefilterCache = new Map();
  /** Events consumed by benign signatures (kept away from the others). */
  benignConsumed = 0;
  /** Node names, addresses and pod placements, learnt from kubectl tables and objects. */
  readonly nodes = new NodeResolver();
  private readonly byKind = new Map<string, CompiledClause[]>();
  /** kind → source → plan (null: no clause reads that kind). */
  private readonly plans = new Map<string, Map<string, Plan | null>>();
  private readonly marks: Uint32Array;
  private stamp = 0;
  private readonly candidates: CompiledClause[] = [];

  constructor(readonly signatures: readonly Signature[], compiled?: CompiledClause[]) {
    this.clauses = compiled ?? compileSignatures(signatures);
    this.state = this.clauses.map(() => new ClauseState());
    this.marks = new Uint32Array(this.clauses.length);
    for (const c of this.clauses) {
      const list = this.byKind.get(c.kind) ?? [];
      list.push(c);
      this.byKind.set(c.kind, list);
    }
  }

  private planFor(kind: string, source: string): Plan | null {
    let bySource = this.plans.get(kind);
    if (!bySource) { bySource = new Map(); this.plans.set(kind, bySource); }
    let plan = bySource.get(source);
    if (plan !== undefined) return plan;
    const list = this.byKind.get(kind);
    // Benign clauses first, so they can claim an event before the others see it.
    const applicable = list?.filter((c) => !c.sources || c.sources.has(source)).sort((a, b) => Number(b.benign) - Number(a.benign) || a.index - b.index);
    plan = applicable?.length ? buildPlan(applicable, this.prefilters) : null;
    bySource.set(source, plan);
    return plan;
  }

  private noteSeen(kind: string, source: string, file: string): void {
    let bySource = this.seenBySource.get(kind);
    if (!bySource) { bySource = new Map(); this.seenBySource.set(kind, bySource); }
    let ofKind = this.seen.get(kind);
    if (!ofKind) { ofKind = { events: 0, files: new Set() }; this.seen.set(kind, ofKind); }
    let ofSource = bySource.get(source);
    if (!ofSource) { ofSource = { events: 0, files: new Set() }; bySource.set(source, ofSource); }
    ofKind.events++;
    ofSource.events++;
    noteFile(ofKind, file);
    noteFile(ofSource, file);
  }

  consume(e: Event): void {
    this.noteSeen(e.kind, e.source, e.loc.file);
    if (e.kind === 'k8s.row' || e.kind === 'k8s.object' || (e.pod !== undefined && e.kind === 'log')) this.nodes.learn(e);
    const plan = this.planFor(e.kind, e.source);
    if (!plan) return;
    const cands = this.candidates;
    cands.length = 0;
    const stamp = ++this.stamp;
    for (const c of plan.direct) { this.marks[c.index] = stamp; cands.push(c); }
    const { message, text } = e;
    // One pass over the text serves the message's literals too when the message is part of it
    // (a log line's tail, or a structured line's quoted message); JSON-escaped texts are not.
    if (plan.both && message !== undefined && text !== undefined && text.includes(message)) this.scan(plan.both, text, stamp);
    else {
      if (plan.message && message) this.scan(plan.message, message, stamp);
      const hay = text ?? message;
      if (plan.text && hay) this.scan(plan.text, hay, stamp);
    }
    if (cands.length === 0) return;
    if (plan.hasBenign && cands.length > 1) cands.sort((a, b) => Number(b.benign) - Number(a.benign) || a.index - b.index);
    let consumedBy: Signature | undefined;
    for (const c of cands) {
      if (!c.test(e)) continue;
      // Benign clauses sort first; what they claim is set aside, not lost.
      if (consumedBy && !c.benign && !c.join) { this.recordClaimed(c, e, consumedBy); continue; }
      this.record(c, e);
      if (c.benign) consumedBy ??= c.signature;
    }
    if (consumedBy) this.benignConsumed++;
  }

  /** Adds to the candidates every clause one of whose literals is in `hay`. */
  private scan(pf: Prefilter, hay: string, stamp: number): void {
    this.scanning = pf;
    pf.scanner.scan(hay, this.onLiteral);
  }

  private readonly onLiteral = (literal: number): void => {
    const stamp = this.stamp;
    for (const c of this.scanning!.clausesFor[literal]) {
      if (this.marks[c.index] !== stamp) { this.marks[c.index] = stamp; this.candidates.push(c); }
    }
  };

  /** The name a report uses for a node: its snapshot folder's address when known. */
  canonicalNode(name: string): string {
    return this.nodes.canonical(name);
  }

  /**
   * Move pod-log aggregates onto the node the pod ran on, and node-name aggregates onto the
   * node's address, so evidence from one machine lands in one group whatever named it.
   */
  resolveNodes(): void {
    for (const st of this.state) {
      const all = st.groups.get(ALL);
      for (const [key, g] of [...st.groups]) {
        if (key === ALL || key === '') continue;
        const named = key.startsWith(POD_PREFIX) ? this.nodes.nodeOfPod(key.slice(POD_PREFIX.length)) : key;
        if (!named) continue;
        const node = this.canonicalNode(named);
        if (node === key) continue;
        st.group(node).merge(g);
        st.group(node).nodes.delete(named);
        st.group(node).nodes.add(node);
        all?.nodes.add(node);
        st.groups.delete(key);
      }
      if (all) for (const n of [...all.nodes]) { const c = this.canonicalNode(n); if (c !== n) { all.nodes.delete(n); all.nodes.add(c); } }
      for (const g of st.groups.values()) for (const ex of g.allExamples()) if (ex.node) ex.node = this.canonicalNode(ex.node);
    }
  }

  private recordClaimed(c: CompiledClause, e: Event, benign: Signature): void {
    const st = this.state[c.index];
    let m = st.claimed.get(benign);
    if (!m) { m = new Map(); st.claimed.set(benign, m); }
    const key = groupKey(e);
    let g = m.get(key);
    if (!g) { g = new GroupState(); m.set(key, g); }
    g.add(e, c, Math.max(TEMPLATE_VALUES, (c.evidence.agg.distinct?.value ?? 0) + 1));
  }

  /** The node a group key stands for once pods and node names are resolved. */
  canonicalKey(key: string): string {
    if (key === ALL || key === '') return key;
    const named = key.startsWith(POD_PREFIX) ? this.nodes.nodeOfPod(key.slice(POD_PREFIX.length)) : key;
    return named ? this.canonicalNode(named) : key;
  }

  /**
   * Settle what a benign signature claimed: events on groups where it holds stay set aside;
   * the others go back to the clauses they matched, as if never claimed.
   */
  releaseClaims(benign: Signature, holds: (key: string) => boolean): void {
    for (const st of this.state) {
      const m = st.claimed.get(benign);
      if (!m) continue;
      for (const [raw, g] of m) {
        const key = this.canonicalKey(raw);
        if (holds(key)) continue;
        st.group(key).merge(g);
        st.group(ALL).merge(g);
      }
      st.claimed.delete(benign);
    }
  }

  private record(c: CompiledClause, e: Event): void {
    const st = this.state[c.index];
    const distinctCap = Math.max(TEMPLATE_VALUES, (c.evidence.agg.distinct?.value ?? 0) + 1);
    if (c.join) {
      const v = c.join.field(e);
      if (v === undefined) return;
      const node = groupKey(e);
      const key = `${node}\u0000${v}`;
      let p = st.pending.get(key);
      if (!p) {
        if (st.pending.size >= JOIN_VALUES) { st.joinOverflow = true; return; }
        p = { node, value: String(v), group: new GroupState() };
        st.pending.set(key, p);
      }
      p.group.add(e, c, distinctCap);
    } else {
      st.group(groupKey(e)).add(e, c, distinctCap);
      st.group(ALL).add(e, c, distinctCap);
    }
    // Remember values other clauses join against.
    for (const f of c.trackFields) {
      const v = e.fields[f] ?? (f === 'node' ? e.node : undefined);
      if (v === undefined) continue;
      let set = st.joinSets.get(f);
      if (!set) { set = new Set(); st.joinSets.set(f, set); }
      if (set.size >= JOIN_VALUES) { st.joinOverflow = true; continue; }
      set.add(String(v));
      set.add(`${e.node ?? ''}\u0000${v}`);
    }
  }

  /**
   * Decide the joins now that every clause has seen the whole bundle: a pending group is kept
   * when its value is (or, for `not in`, is not) among the other clause's values — on the same
   * node for per-node signatures.
   */
  resolveJoins(): void {
    for (const c of this.clauses) {
      if (!c.join) continue;
      const st = this.state[c.index];
      const other = this.clauses.find((x) => x.signature === c.signature && x.evidence.name === c.join!.clause);
      const set = other ? this.state[other.index].joinSets.get(c.join.otherField) : undefined;
      for (const p of st.pending.values()) {
        const key = c.signature.perNode ? `${p.node}\u0000${p.value}` : p.value;
        const present = set?.has(key) ?? false;
        if (present === c.join.negated) continue;
        st.group(p.node).merge(p.group);
        st.group(ALL).merge(p.group);
      }
      st.pending.clear();
    }
  }

  /** Was any input of this clause's kind (and source) seen? */
  inputSeen(c: CompiledClause): InputSeen | undefined {
    if (!c.sources) return this.seen.get(c.kind);
    let merged: InputSeen | undefined;
    for (const s of c.sources) {
      const x = this.seenBySource.get(c.kind)?.get(s);
      if (!x) continue;
      merged ??= { events: 0, files: new Set() };
      merged.events += x.events;
      for (const f of x.files) merged.files.add(f);
    }
    return merged;
  }
}
