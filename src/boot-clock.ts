/**
 * Places kernel lines stamped only with seconds since boot (`dmesg`: `[ 1234.567890] …`) on the
 * wall clock, for the timeline. The same ring-buffer messages usually also sit in the node's
 * kernel journal with a wall-clock time, so each message found in both gives the boot time;
 * the median over all such pairs is used, per node. Without a pair, the line stays untimed.
 */
import type { Event } from './model/event.js';

/** Messages remembered per node and per side: enough pairs, bounded memory. */
const MESSAGES_KEPT = 20_000;

interface NodeSides {
  timed: Map<string, number>;
  monotonic: Map<string, number>;
}

/** What placing a line on the clock needs to know of it. */
export interface BootStamped {
  source: string;
  node?: string;
  time?: number;
  /** Seconds since boot (the `monotonic` field of kernel events). */
  monotonic?: number;
}

/** The seconds-since-boot stamp of an event, when it has one. */
export function monotonicOf(e: Event): number | undefined {
  return typeof e.fields.monotonic === 'number' ? e.fields.monotonic : undefined;
}

export class BootClock {
  private readonly nodes = new Map<string, NodeSides>();
  private offsets?: Map<string, number>;

  learn(e: Event): void {
    if (e.source !== 'kernel' || e.node === undefined || !e.message) return;
    let sides = this.nodes.get(e.node);
    if (!sides) { sides = { timed: new Map(), monotonic: new Map() }; this.nodes.set(e.node, sides); }
    const mono = monotonicOf(e);
    if (e.time !== undefined) { if (sides.timed.size < MESSAGES_KEPT) sides.timed.set(e.message, e.time); }
    else if (mono !== undefined && sides.monotonic.size < MESSAGES_KEPT) sides.monotonic.set(e.message, mono);
    this.offsets = undefined;
  }

  /** Epoch ms of the boot of `node`, when paired messages tell it. */
  bootTime(node: string): number | undefined {
    this.offsets ??= this.computeOffsets();
    return this.offsets.get(node);
  }

  /** The event's own time, else one derived from its seconds since boot. */
  timeOf(e: BootStamped): { time: number; derived: boolean } | undefined {
    if (e.time !== undefined) return { time: e.time, derived: false };
    if (e.source !== 'kernel' || e.node === undefined || e.monotonic === undefined) return undefined;
    const boot = this.bootTime(e.node);
    return boot === undefined ? undefined : { time: Math.round(boot + e.monotonic * 1000), derived: true };
  }

  private computeOffsets(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [node, { timed, monotonic }] of this.nodes) {
      const samples: number[] = [];
      for (const [message, mono] of monotonic) {
        const t = timed.get(message);
        if (t !== undefined) samples.push(t - mono * 1000);
      }
      if (samples.length === 0) continue;
      samples.sort((a, b) => a - b);
      out.set(node, samples[Math.floor(samples.length / 2)]);
    }
    return out;
  }
}
