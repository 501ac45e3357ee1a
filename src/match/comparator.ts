/** The six comparators of the signature language, applied to the sign of a comparison. */
import type { Comparator } from '../dsl/ast.js';

/** Does a comparison whose result is `c` (negative, zero, positive) satisfy `op`? */
export function holds(c: number, op: Comparator): boolean {
  switch (op) {
    case '==': return c === 0;
    case '!=': return c !== 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
}
