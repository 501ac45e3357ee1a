/**
 * The signature AST: what a `.sig` file means once parsed. The compiler (src/match/compile.ts)
 * turns it into matchers; `explain`, `signatures list` and the docs read it directly.
 */

export interface Pos {
  line: number;
  column: number;
}

export type SignatureKind = 'issue' | 'benign' | 'advisory';
export type SignatureSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';
export type Comparator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'version'; value: string }
  | { type: 'duration'; value: number; text: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'word'; value: string };

export type Predicate =
  | { type: 'and' | 'or'; left: Predicate; right: Predicate; pos: Pos }
  | { type: 'not'; operand: Predicate; pos: Pos }
  | { type: 'compare'; field: string; op: Comparator; value: Literal; pos: Pos }
  | { type: 'regex'; field: string; negated: boolean; source: string; flags: string; pos: Pos }
  | { type: 'contains'; field: string; negated: boolean; value: string; pos: Pos }
  | { type: 'in-list'; field: string; negated: boolean; values: Literal[]; pos: Pos }
  | { type: 'in-clause'; field: string; negated: boolean; clause: string; otherField: string; pos: Pos }
  | { type: 'exists'; field: string; negated: boolean; pos: Pos };

export interface Aggregation {
  /** `count >= N`: how many matching events are needed (default 1). */
  count?: { op: Comparator; value: number };
  /** `distinct <field> >= N`. */
  distinct?: { field: string; op: Comparator; value: number };
  /** `within 10m`: the `count` must happen inside one window of this length. */
  within?: { ms: number; text: string };
  /** `span >= 20m`: first and last matching events at least this far apart. */
  span?: { op: Comparator; ms: number; text: string };
}

export interface Evidence {
  name: string;
  description?: string;
  weight: number;
  /** Event kind selected (`log`, `ipvs.service`, `process`, `fact` …). */
  from: string;
  where?: Predicate;
  agg: Aggregation;
  /** Which command output or file would settle this clause when absent. */
  needs?: string;
  pos: Pos;
}

export type Condition =
  | { type: 'and' | 'or'; left: Condition; right: Condition }
  | { type: 'not'; operand: Condition; pos: Pos }
  | { type: 'ref'; name: string; pos: Pos }
  /** `a after b`: clause a holds and matched later than b's first match (`before`: earlier than b's last). */
  | { type: 'order'; name: string; relation: 'after' | 'before'; other: string; pos: Pos };

/** One comparator chain: `>= 1.13.0 < 1.13.2` (all must hold). An empty list means any version. */
export interface VersionRange {
  bounds: { op: Comparator; version: string }[];
  text: string;
}

export interface VersionRule {
  component: string;
  ranges: VersionRange[];
  pos: Pos;
}

export interface FixedRule {
  component: string;
  versions: string[];
  pos: Pos;
}

export interface Signature {
  id: string;
  title: string;
  kind: SignatureKind;
  severity: SignatureSeverity;
  component: string;
  platforms: string[];
  references: string[];
  explanation: string;
  remediation: string;
  /** The command(s) a support engineer runs to confirm by hand. */
  check?: string;
  affects: VersionRule[];
  fixed: FixedRule[];
  evidence: Evidence[];
  condition?: Condition;
  /** `condition per node`: all referenced clauses must hold on the same node. */
  perNode: boolean;
  /** Where it was loaded from (file path) — set by the loader. */
  file: string;
  pos: Pos;
}
