/**
 * Finds which of many literals occur in a text in one left-to-right pass (Aho–Corasick, compiled
 * to a dense DFA over a small alphabet). This is the matcher's prefilter: one pass per event
 * whatever the number of literals, where a regex alternation of the same literals costs a
 * backtracking attempt per literal at every position.
 *
 * The scan may report literals that are not really there, never miss one that is: ASCII letters
 * are folded to lower case and every non-ASCII character is one symbol. That is what a
 * prefilter needs — a reported clause still runs its full predicate — and it lets one automaton
 * serve case-sensitive and case-insensitive literals alike.
 */

const ASCII = 128;

export class LiteralScanner {
  /** The literals, in the order given; `scan` reports their indexes. */
  readonly literals: readonly string[];
  /** Character code (0–127) → alphabet symbol; 0 is "any character no literal uses". */
  private readonly symbolOf = new Uint8Array(ASCII);
  private readonly nonAsciiSymbol: number;
  private readonly width: number;
  /**
   * Row of a state (state × width) + symbol → row of the next state. Rows are stored already
   * multiplied, in one array type, so the hot loop is one add and one load per character.
   */
  private readonly delta: Int32Array;
  /** Rows from this one on belong to states where some literal ends. */
  private readonly firstOutputRow: number;
  private readonly startRow: number;
  /** state → literal indexes that end at it (suffixes included), or undefined. */
  private readonly outputs: (readonly number[] | undefined)[];

  constructor(literals: readonly string[]) {
    this.literals = literals;
    const folded = literals.map(fold);
    // Alphabet: one symbol per distinct folded code unit the literals use, 0 for all others.
    let next = 1;
    let nonAscii = 0;
    for (const l of folded) {
      for (let i = 0; i < l.length; i++) {
        const c = l.charCodeAt(i);
        if (c >= ASCII) { if (nonAscii === 0) nonAscii = next++; }
        else if (this.symbolOf[c] === 0) this.symbolOf[c] = next++;
      }
    }
    // Upper-case letters read as their lower-case symbol.
    for (let c = 65; c <= 90; c++) this.symbolOf[c] = this.symbolOf[c + 32];
    this.nonAsciiSymbol = nonAscii;
    this.width = next;

    // Trie.
    const goto: Int32Array[] = [new Int32Array(next).fill(-1)];
    const outs: number[][] = [[]];
    folded.forEach((l, index) => {
      let s = 0;
      for (let i = 0; i < l.length; i++) {
        const sym = this.symbol(l.charCodeAt(i));
        if (goto[s][sym] === -1) { goto[s][sym] = goto.length; goto.push(new Int32Array(next).fill(-1)); outs.push([]); }
        s = goto[s][sym];
      }
      outs[s].push(index);
    });

    // Failure links, breadth first, folded straight into a complete transition table.
    const n = goto.length;
    const dense = new Int32Array(n * next);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let a = 0; a < next; a++) {
      const t = goto[0][a];
      if (t === -1) dense[a] = 0;
      else { dense[a] = t; fail[t] = 0; queue.push(t); }
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q];
      const f = fail[s];
      if (outs[f].length) outs[s] = [...outs[s], ...outs[f]];
      for (let a = 0; a < next; a++) {
        const t = goto[s][a];
        if (t === -1) dense[s * next + a] = dense[f * next + a];
        else { dense[s * next + a] = t; fail[t] = dense[f * next + a]; queue.push(t); }
      }
    }
    // Renumber so that states with an output come last: one comparison tells the hot loop
    // whether to look.
    const order = [...Array(n).keys()].sort((a, b) => Number(outs[a].length > 0) - Number(outs[b].length > 0) || a - b);
    const rank = new Int32Array(n);
    order.forEach((old, i) => { rank[old] = i; });
    this.delta = new Int32Array(n * next);
    for (let old = 0; old < n; old++) {
      for (let a = 0; a < next; a++) this.delta[rank[old] * next + a] = rank[dense[old * next + a]] * next;
    }
    const firstOutput = order.findIndex((s) => outs[s].length > 0);
    this.firstOutputRow = (firstOutput === -1 ? n : firstOutput) * next;
    this.startRow = rank[0] * next;
    this.outputs = order.map((s) => (outs[s].length ? [...new Set(outs[s])] : undefined));
  }

  private symbol(c: number): number {
    return c < ASCII ? this.symbolOf[c] : this.nonAsciiSymbol;
  }

  /** Calls `found` with the index of each literal occurrence (a literal may repeat). */
  scan(text: string, found: (literal: number) => void): void {
    const { delta, symbolOf, nonAsciiSymbol, firstOutputRow } = this;
    let row = this.startRow;
    for (let i = 0, n = text.length; i < n; i++) {
      const c = text.charCodeAt(i);
      row = delta[row + (c < ASCII ? symbolOf[c] : nonAsciiSymbol)];
      if (row >= firstOutputRow) {
        const out = this.outputs[row / this.width]!;
        for (let k = 0; k < out.length; k++) found(out[k]);
      }
    }
  }
}

/** ASCII lower case; other characters as they are. */
function fold(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}
