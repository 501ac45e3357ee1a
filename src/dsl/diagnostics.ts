/**
 * Load-time problems of signature files, reported as `file:line:col: message` with a caret
 * excerpt of the offending line. Never a stack trace.
 */

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  length: number;
  /** Stable code for tests and docs: syntax, unknown-kind, unknown-field, bad-regex … */
  code: string;
  message: string;
  severity: 'error' | 'warning';
}

/** `file:line:col: error[code]: message` followed by the source line and a caret marker. */
export function formatDiagnostic(d: Diagnostic, source?: string): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}`;
  const text = source?.split('\n')[d.line - 1];
  if (text === undefined || d.line < 1) return head;
  const gutter = String(d.line).length;
  const caretPad = text.slice(0, Math.max(0, d.column - 1)).replace(/[^\t]/g, ' ');
  return [
    head,
    `${' '.repeat(gutter)} |`,
    `${d.line} | ${text}`,
    `${' '.repeat(gutter)} | ${caretPad}${'^'.repeat(Math.max(1, Math.min(d.length, text.length - d.column + 1)))}`,
  ].join('\n');
}
