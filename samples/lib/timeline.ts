/**
 * Timed records and the helpers that build log files out of them. A log is the merge of several
 * independent sources (start-up block, periodic noise, pod lifecycle, scenario evidence), each a
 * lazy, time-ordered iterable of records; `merge` interleaves them without holding any of them.
 */
import type { Rng } from './rng.js';
import { klogStamp, journalStamp } from './time.js';

/** One log record: when, what, and for journals who wrote it. */
export interface Rec {
  /** µs since the epoch. */
  t: number;
  /** The message (for a journal: everything after `ident[pid]: `). */
  text: string;
  /** Journal identifier (`kubelet`, `systemd`, `kernel`); the file's default when absent. */
  ident?: string;
  /** Journal pid; none printed when the ident has none (`kernel:`). */
  pid?: number;
}

/** Records sorted by time. A source is read once: line generators build fresh sources on every pass. */
export type RecSource = Iterable<Rec>;

/**
 * Merge time-ordered sources into one time-ordered stream. Ties keep source order, so a
 * scenario can place a line right after another at the same instant.
 */
export function* merge(sources: readonly RecSource[]): Generator<Rec> {
  const its = sources.map((s) => s[Symbol.iterator]());
  const heads: (Rec | undefined)[] = its.map((it) => {
    const r = it.next();
    return r.done ? undefined : r.value;
  });
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (best < 0 || h.t < (heads[best] as Rec).t)) best = i;
    }
    if (best < 0) return;
    yield heads[best] as Rec;
    const r = its[best].next();
    heads[best] = r.done ? undefined : r.value;
  }
}

export interface EveryOptions {
  from: number;
  to: number;
  /** Mean period, µs. */
  period: number;
  /** Random extra delay per tick, µs (0 = strictly periodic). */
  jitter?: number;
  /** Constant drift added per tick, µs (timers that run a little late each time). */
  drift?: number;
}

/**
 * A periodic source: `make(t, i)` is called at every tick in [from, to) and returns the records
 * for that tick (records must not run past the next tick). The rng is owned by the source.
 */
export function* every(rng: Rng, o: EveryOptions, make: (t: number, i: number) => Rec | Rec[] | undefined): Generator<Rec> {
  let i = 0;
  for (let base = o.from; base < o.to; base += o.period + (o.drift ?? 0), i++) {
    const t = base + (o.jitter ? rng.int(0, o.jitter) : 0);
    if (t >= o.to) return;
    const out = make(t, i);
    if (out === undefined) continue;
    if (Array.isArray(out)) yield* out;
    else yield out;
  }
}

/**
 * A source that fires at random times: gaps drawn uniformly in [minGap, maxGap].
 */
export function* scattered(rng: Rng, from: number, to: number, minGap: number, maxGap: number, make: (t: number, i: number) => Rec | Rec[] | undefined): Generator<Rec> {
  let i = 0;
  for (let t = from + rng.int(0, maxGap); t < to; t += rng.int(minGap, maxGap), i++) {
    const out = make(t, i);
    if (out === undefined) continue;
    if (Array.isArray(out)) yield* out;
    else yield out;
  }
}

/** A fixed list of records, sorted (stable) by time. */
export function fixed(records: readonly Rec[]): RecSource {
  return records.slice().sort((a, b) => a.t - b.t);
}

export type KlogSeverity = 'I' | 'W' | 'E' | 'F';

/** A klog line: `I0305 04:00:01.123456    1450 kubelet.go:1778] message`. */
export function klog(sev: KlogSeverity, t: number, thread: number, caller: string, message: string): string {
  return `${sev}${klogStamp(t)} ${String(thread).padStart(7)} ${caller}] ${message}`;
}

/** A journal short-format line: `Mar 05 04:00:01 host ident[pid]: message`. */
export function journalLine(host: string, r: Rec, defaultIdent: string, defaultPid?: number): string {
  const ident = r.ident ?? defaultIdent;
  const pid = r.ident === undefined ? defaultPid : r.pid;
  return `${journalStamp(r.t)} ${host} ${ident}${pid === undefined ? '' : `[${pid}]`}: ${r.text}`;
}
