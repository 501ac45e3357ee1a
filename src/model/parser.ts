/**
 * The parser contract. A parser is a module in `parsers/<id>/` that recognises one input
 * format and turns its lines into events.
 *
 * Parsers are push-based (like ripgrep's Sink): ingest streams a file line by line into
 * `LineParser.line()`, and the parser calls `ctx.emit()` for each event. No parser ever sees a
 * whole file, so memory stays bounded whatever the input's size, and a parser keeps at most the
 * state of one multi-line entry.
 */
import type { Event, FieldValue, Severity } from './event.js';

/** What classification knows about a file before parsing it. */
export interface FileProbe {
  /** Full address, archive members included: `upload.tgz!/snap/nodes/10.0.0.1/dmesg`. */
  address: string;
  /** Path inside the innermost container, `/`-separated, never absolute. */
  path: string;
  /** Base name as stored (`journalctl --utc -u kubelet`, `journalctl_--utc_-u_kubelet`). */
  name: string;
  /**
   * Base name normalised for matching: lower-case, `_` and quotes turned into spaces, runs of
   * spaces collapsed (`journalctl --utc -u kubelet`). A trailing `.txt`/`.log`/`.out` is removed.
   */
  command: string;
  /** The first bytes of the file (up to 4 KiB), decoded as UTF-8. */
  head: string;
  /** Node the file belongs to, from the snapshot layout (`nodes/<node>/…`). */
  node?: string;
  /** Component the file is about, from a pod/container log path (`kube-proxy`, `anetd` …). */
  component?: string;
  /** Pod whose log this is (`kube-proxy-87b8t`), when the path says so. */
  pod?: string;
  /** Modification time of the member (epoch ms), used to infer the year of yearless stamps. */
  mtime?: number;
}

/** Where a parser reports what it found besides events. */
export interface ParseContext {
  readonly file: FileProbe;
  /** Emit one event. `loc.file` may be left empty: the pipeline fills in the address. */
  emit(event: ParsedEvent): void;
  /** Record a bundle fact (a version, the OS, a cluster name) read at `line`. */
  fact(name: string, value: string, line: number, node?: string): void;
  /** A line or region the parser could not understand; counted and listed, never fatal. */
  warn(code: string, line: number, message: string): void;
}

/** An event as a parser builds it; the pipeline completes `loc.file` and `node`. */
export interface ParsedEvent {
  source: string;
  kind: string;
  node?: string;
  time?: number;
  severity?: Severity;
  message?: string;
  fields: Record<string, FieldValue>;
  line: number;
  endLine?: number;
  text?: string;
}

export interface LineParser {
  /** Called once per line, in order; `lineNo` is 1-based. The line has no `\n`/`\r\n`. */
  line(text: string, lineNo: number): void;
  /** Called once after the last line (flush a pending multi-line entry here). */
  end(): void;
}

export interface ParserMeta {
  id: string;
  title: string;
  description: string;
  /**
   * Event kinds this parser emits and, for each, the field names it may set. Signatures are
   * checked against the union of these at load time, so a typo is an error, not a silent miss.
   */
  emits: Record<string, readonly string[]>;
  /** Event sources it may produce (`kubelet`, `kube-proxy`, `kernel` …); `*` when open-ended. */
  sources: readonly string[];
  /** Example inputs this parser reads, as shown in docs and in `inventory`. */
  inputs: readonly string[];
}

export interface ParserModule {
  meta: ParserMeta;
  /**
   * How sure this parser is that it understands the file, from 0 (not mine) to 1. Cheap: only
   * the probe (name, path, first KiB) is available. Guideline: name and content agree → 1;
   * content alone is unmistakable → 0.8; name alone → 0.5; a weak content hint → 0.2.
   */
  detect(probe: FileProbe): number;
  create(ctx: ParseContext): LineParser;
}

/** Re-exported for parser modules, so they import one file. */
export type { Event, FieldValue, Severity };
