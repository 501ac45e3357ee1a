/**
 * What the matcher concludes about one signature in one bundle. Reporters render these; the
 * JSON report is exactly this data (plus the bundle's facts, inventory and warnings).
 */

export type Confidence = 'confirmed' | 'possible' | 'advisory' | 'ruled-out' | 'benign';

/** Order in which confidences rank: confirmed first, advisory never above confirmed. */
export const CONFIDENCE_RANK: Record<Confidence, number> = { confirmed: 0, possible: 1, advisory: 2, 'ruled-out': 3, benign: 4 };

export interface EvidenceLine {
  /** Full address of the file, archive members included. */
  file: string;
  line: number;
  endLine?: number;
  node?: string;
  time?: number;
  /** The raw input text (redacted before printing). */
  text: string;
}

export interface ClauseResult {
  name: string;
  description?: string;
  weight: number;
  /** The condition wants this clause absent (`not x`). */
  negated: boolean;
  /** The clause's own test held (for a negated clause, holding is bad news). */
  satisfied: boolean;
  count: number;
  first?: number;
  last?: number;
  nodes: string[];
  examples: EvidenceLine[];
  /** Distinct values of fields the explanation refers to. */
  values: Record<string, string[]>;
  /** Whether any input this clause reads exists in the bundle. */
  inputPresent: boolean;
  needs: string;
}

export interface VersionCheck {
  component: string;
  found: { value: string; node?: string; file: string; line: number }[];
  affected: string[];
  fixed: string[];
  verdict: 'affected' | 'fixed' | 'not-affected' | 'unknown';
}

export interface MissingEvidence {
  clause: string;
  description?: string;
  /** The command output or file that would settle it. */
  needs: string;
  /** False when the bundle has no such input at all (ask the customer for it). */
  inputPresent: boolean;
}

export interface Finding {
  id: string;
  title: string;
  kind: 'issue' | 'benign' | 'advisory';
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  component: string;
  confidence: Confidence;
  score: number;
  nodes: string[];
  clauses: ClauseResult[];
  versions: VersionCheck[];
  missing: MissingEvidence[];
  /** Why a finding is ruled out. */
  reason?: string;
  explanation: string;
  remediation: string;
  check?: string;
  references: string[];
}

export type CoverageStatus = 'evaluated' | 'partial' | 'skipped';

export interface CoverageEntry {
  id: string;
  status: CoverageStatus;
  /** Inputs that were absent (command outputs or files that would be needed). */
  missingInputs: string[];
  /** Files read for this signature that were truncated or damaged. */
  truncatedInputs: string[];
}
