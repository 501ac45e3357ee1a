/**
 * YAML documents to plain values, fast for what kubectl writes and exact for the rest.
 *
 * kubectl (go-yaml) writes a small, regular subset of YAML: block mappings and sequences
 * (`- ` entries at their key's indentation), plain and quoted one-line scalars, literal block
 * scalars, `{}` and `[]`. `readBlockYaml` reads that subset some ten times faster than a full
 * YAML parser; on anything outside it (flow collections with content, anchors, tags, folded
 * or multi-line scalars, tabs) it throws `Unsupported`, and `readYaml` hands the document to the
 * `yaml` package, which also reports syntax errors with their line.
 *
 * Both paths type scalars the same way, without loss: `true`/`false` are booleans, `null`/`~`/
 * empty are null, a decimal number is a number only when it prints back the same (`8080`,
 * `0.5`), and everything else stays a string (`1.10`, `0755`, `1e3`, `0x1F`, `.inf`). Maps are
 * null-prototype objects, so a `__proto__` key is just a key.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';

export type YamlValue = null | boolean | number | string | YamlValue[] | { [key: string]: YamlValue };
type YamlMap = { [key: string]: YamlValue };

/** The input is outside the fast subset; not an error in the document. */
export class Unsupported extends Error {}

export class YamlSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

const MAX_DEPTH = 100;
/** Scalars and collections built from one document by the full parser (aliases can multiply them). */
const MAX_NODES = 500_000;

const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** Type a plain (unquoted) scalar losslessly; see the file header. */
export function typePlain(s: string): YamlValue {
  switch (s) {
    case '': case '~': case 'null': case 'Null': case 'NULL': return null;
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
  }
  if (DECIMAL.test(s)) {
    const n = Number(s);
    if (String(n) === s) return n;
  }
  return s;
}

function newMap(): YamlMap {
  return Object.create(null) as YamlMap;
}

// ---------------------------------------------------------------------------------------------
// Fast path

/** Characters that cannot start a plain key or scalar in the fast subset. */
const INDICATOR = new Set(['?', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`']);
const BLOCK_HEADER = /^([|>])([1-9])?([+-])?([1-9])?\s*(?:#.*)?$/;
const SIMPLE_FLOW_SEQ = /^\[([^[\]{}"'#]*)\]\s*(?:#.*)?$/;

class FastReader {
  private i: number;
  private depth = 0;

  constructor(private readonly lines: readonly string[], start: number, private readonly end: number) {
    this.i = start;
  }

  read(): YamlValue {
    this.skipEmpty();
    if (this.i >= this.end) return null;
    const line = this.lines[this.i];
    const ind = indentOf(line);
    const v = this.node(ind);
    this.skipEmpty();
    if (this.i < this.end) throw new Unsupported('content after the document root');
    return v;
  }

  /** Skip blank and comment-only lines. */
  private skipEmpty(): void {
    while (this.i < this.end) {
      const l = this.lines[this.i];
      const ind = indentOf(l);
      if (ind === l.length || l.charCodeAt(ind) === 35 /* # */) this.i++;
      else break;
    }
  }

  /** The node whose first line is the current one, at indentation `n`. */
  private node(n: number): YamlValue {
    if (++this.depth > MAX_DEPTH) throw new Unsupported('nesting too deep');
    try {
      const line = this.lines[this.i];
      if (isSeqEntry(line, n)) return this.seq(n);
      const content = line.slice(n);
      if (splitKey(content)) return this.map(n, n);
      // A document that is a single scalar.
      this.i++;
      return this.inline(content, n - 1);
    } finally {
      this.depth--;
    }
  }

  /**
   * A block mapping whose keys sit at column `n`. `firstCol` is where the first key starts on
   * the current line: `n`, or further right when the map opens a sequence entry (`- key: v`).
   */
  private map(n: number, firstCol: number): YamlMap {
    const obj = newMap();
    let first = true;
    while (true) {
      let content: string;
      if (first) {
        content = this.lines[this.i].slice(firstCol);
        first = false;
      } else {
        this.skipEmpty();
        if (this.i >= this.end) break;
        const line = this.lines[this.i];
        const ind = indentOf(line);
        if (ind < n) break;
        if (ind > n) throw new Unsupported('unexpected indentation (multi-line scalar?)');
        content = line.slice(n);
        if (content.charCodeAt(0) === 45 /* - */ && (content.length === 1 || content.charCodeAt(1) === 32)) break;
      }
      const kv = splitKey(content);
      if (!kv) throw new Unsupported('not a mapping entry');
      this.i++;
      obj[kv.key] = kv.rest === '' ? this.child(n) : this.inline(kv.rest, n);
    }
    return obj;
  }

  /** The value of `key:` with nothing after the colon: a nested block, or null. */
  private child(n: number): YamlValue {
    this.skipEmpty();
    if (this.i >= this.end) return null;
    const line = this.lines[this.i];
    const ind = indentOf(line);
    if (ind > n) return this.node(ind);
    // go-yaml writes a sequence under a key at the key's own indentation.
    if (ind === n && isSeqEntry(line, n)) return this.seqAt(n);
    return null;
  }

  private seqAt(n: number): YamlValue[] {
    if (++this.depth > MAX_DEPTH) throw new Unsupported('nesting too deep');
    try { return this.seq(n); } finally { this.depth--; }
  }

  /** A block sequence whose `-` sit at column `n`. */
  private seq(n: number): YamlValue[] {
    const arr: YamlValue[] = [];
    while (true) {
      this.skipEmpty();
      if (this.i >= this.end) break;
      const line = this.lines[this.i];
      const ind = indentOf(line);
      if (ind < n) break;
      if (ind > n) throw new Unsupported('unexpected indentation in a sequence');
      if (!isSeqEntry(line, n)) break;
      let col = n + 1;
      while (line.charCodeAt(col) === 32) col++;
      const rest = line.slice(col);
      if (rest === '' || rest.charCodeAt(0) === 35 /* # */) {
        this.i++;
        this.skipEmpty();
        if (this.i < this.end && indentOf(this.lines[this.i]) > n) arr.push(this.node(indentOf(this.lines[this.i])));
        else arr.push(null);
      } else if (rest.charCodeAt(0) === 45 && (rest.length === 1 || rest.charCodeAt(1) === 32)) {
        throw new Unsupported('compact nested sequence');
      } else if (splitKey(rest)) {
        if (++this.depth > MAX_DEPTH) throw new Unsupported('nesting too deep');
        try { arr.push(this.map(col, col)); } finally { this.depth--; }
      } else {
        this.i++;
        arr.push(this.inline(rest, n));
      }
    }
    return arr;
  }

  /**
   * A value written after `key: ` or `- ` (the current line already consumed); `parent` is the
   * indentation of the node that owns it, for block scalars.
   */
  private inline(rest: string, parent: number): YamlValue {
    const c = rest.charCodeAt(0);
    if (c === 34 /* " */) return oneLine(readDouble(rest));
    if (c === 39 /* ' */) return oneLine(readSingle(rest));
    if (c === 124 /* | */ || c === 62 /* > */) return this.block(rest, parent);
    if (c === 123 /* { */) {
      if (/^\{\s*\}\s*(?:#.*)?$/.test(rest)) return newMap();
      throw new Unsupported('flow mapping');
    }
    if (c === 91 /* [ */) {
      const m = SIMPLE_FLOW_SEQ.exec(rest);
      if (!m) throw new Unsupported('flow sequence');
      const inner = m[1].trim();
      return inner === '' ? [] : inner.split(',').map((s) => plainScalar(s.trim()));
    }
    if (INDICATOR.has(rest[0]) || (c === 45 && rest.charCodeAt(1) === 32)) throw new Unsupported(`indicator ${rest[0]}`);
    return plainScalar(stripComment(rest));
  }

  /** A literal block scalar (`|`, `|-`, `|+`, `|2`); folded ones go to the full parser. */
  private block(header: string, parent: number): string {
    const m = BLOCK_HEADER.exec(header);
    if (!m || m[1] === '>') throw new Unsupported('folded or malformed block scalar');
    const explicit = Number(m[2] ?? m[4] ?? 0);
    const chomp = m[3] ?? '';
    let indent = explicit > 0 ? Math.max(parent, 0) + explicit : -1;
    const out: string[] = [];
    while (this.i < this.end) {
      const l = this.lines[this.i];
      const ind = indentOf(l);
      if (ind === l.length) {
        // A blank line: empty content, or content made of spaces beyond the indentation.
        out.push(indent >= 0 && l.length > indent ? l.slice(indent) : '');
        this.i++;
        continue;
      }
      if (indent < 0) {
        if (ind <= parent) break;
        // Leading blank lines longer than the detected indentation are an error in YAML.
        if (out.some((s) => s.length > 0)) throw new Unsupported('block scalar with spaced leading lines');
        indent = ind;
      }
      if (ind < indent) break;
      out.push(l.slice(indent));
      this.i++;
    }
    let last = out.length - 1;
    while (last >= 0 && out[last] === '') last--;
    if (chomp === '+') return out.length === 0 ? '' : `${out.join('\n')}\n`;
    if (last < 0) return '';
    const body = out.slice(0, last + 1).join('\n');
    return chomp === '-' ? body : `${body}\n`;
  }
}

function indentOf(l: string): number {
  let i = 0;
  while (l.charCodeAt(i) === 32) i++;
  if (l.charCodeAt(i) === 9 /* \t */ && i < l.length) {
    // A tab after the indentation is only allowed inside content; a tab-only line is blank.
    if (l.trim() === '') return l.length;
    throw new Unsupported('tab in indentation');
  }
  return i;
}

function isSeqEntry(line: string, n: number): boolean {
  return line.charCodeAt(n) === 45 /* - */ && (line.length === n + 1 || line.charCodeAt(n + 1) === 32);
}

/** `key: rest` / `key:` with a plain or quoted key; undefined when the text is no mapping entry. */
function splitKey(content: string): { key: string; rest: string } | undefined {
  const c = content.charCodeAt(0);
  let key: string;
  let after: number;
  if (c === 34 || c === 39) {
    const q = c === 34 ? readDouble(content) : readSingle(content);
    if (!q || content.charCodeAt(q.end) !== 58 /* : */) return undefined;
    key = q.value;
    after = q.end + 1;
  } else {
    if (INDICATOR.has(content[0]) || (c === 45 && (content.length === 1 || content.charCodeAt(1) === 32))) return undefined;
    let colon = content.indexOf(': ');
    if (colon === -1) {
      if (!content.endsWith(':')) {
        // `key:   # comment`
        const hash = content.indexOf(' #');
        if (hash === -1 || !content.slice(0, hash).trimEnd().endsWith(':')) return undefined;
        colon = content.slice(0, hash).trimEnd().length - 1;
      } else {
        colon = content.length - 1;
      }
    }
    const hash = content.indexOf(' #');
    if (hash !== -1 && hash < colon) return undefined;
    key = content.slice(0, colon).trimEnd();
    if (key === '') return undefined;
    after = colon + 1;
  }
  if (after < content.length && content.charCodeAt(after) !== 32) return undefined;
  const rest = content.slice(after).trim();
  return { key, rest: rest.charCodeAt(0) === 35 ? '' : rest };
}

function stripComment(s: string): string {
  const hash = s.indexOf(' #');
  return (hash === -1 ? s : s.slice(0, hash)).trim();
}

function plainScalar(s: string): YamlValue {
  // `a: b: c` is an error in YAML; let the full parser say so.
  if (s.includes(': ') || s.endsWith(':')) throw new Unsupported('colon in plain scalar');
  return typePlain(s);
}

interface Quoted { value: string; end: number }

/** A value quoted on one line must be followed by nothing but a comment. */
function oneLine(q: Quoted | undefined): string {
  if (!q) throw new Unsupported('multi-line quoted scalar');
  return q.value;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

function readDouble(s: string): Quoted | undefined {
  let out = '';
  let from = 1;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \ */) {
      out += s.slice(from, i);
      const e = s[i + 1];
      if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = s.slice(i + 2, i + 2 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new Unsupported('bad escape');
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 1 + len;
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        i++;
      } else {
        throw new Unsupported('escape at end of line');
      }
      from = i + 1;
    } else if (c === 34) {
      out += s.slice(from, i);
      return trailer(s, i + 1) ? { value: out, end: i + 1 } : undefined;
    }
  }
  return undefined;
}

function readSingle(s: string): Quoted | undefined {
  let out = '';
  let from = 1;
  for (let i = 1; i < s.length; i++) {
    if (s.charCodeAt(i) === 39) {
      if (s.charCodeAt(i + 1) === 39) { out += s.slice(from, i + 1); i++; from = i + 1; continue; }
      out += s.slice(from, i);
      return trailer(s, i + 1) ? { value: out, end: i + 1 } : undefined;
    }
  }
  return undefined;
}

/** After a closing quote: end of line, spaces, a comment, or `:` (a quoted key). */
function trailer(s: string, i: number): boolean {
  const rest = s.slice(i);
  if (rest.charCodeAt(0) === 58) return true;
  const t = rest.trim();
  if (t === '' || t.startsWith('#')) return true;
  throw new Unsupported('text after a quoted scalar');
}

/** Read lines `[start, end)` with the fast reader; throws `Unsupported` outside the subset. */
export function readBlockYaml(lines: readonly string[], start = 0, end = lines.length): YamlValue {
  return new FastReader(lines, start, end).read();
}

// ---------------------------------------------------------------------------------------------
// Full parser

function fromNode(node: unknown, doc: Document, budget: { nodes: number }, depth: number): YamlValue {
  if (--budget.nodes < 0 || depth > MAX_DEPTH) throw new Error('document too large or too deep (aliases?)');
  if (isAlias(node)) return fromNode(node.resolve(doc), doc, budget, depth + 1);
  if (isScalar(node)) {
    const v = node.value;
    if (node.type === 'PLAIN' && !node.tag && typeof node.source === 'string') return typePlain(node.source);
    if (v === null || v === undefined) return null;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    return String(v);
  }
  if (isMap(node)) {
    const obj = newMap();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key;
      const key = isScalar(k) ? String(k.value ?? '') : k === null || k === undefined ? '' : JSON.stringify(fromNode(k, doc, budget, depth + 1));
      obj[key] = fromNode(pair.value, doc, budget, depth + 1);
    }
    return obj;
  }
  if (isSeq(node)) return node.items.map((n) => fromNode(n, doc, budget, depth + 1));
  return null;
}

/**
 * Parse a document with the `yaml` package. Syntax errors throw `YamlSyntaxError` with the
 * 1-based line inside `text`.
 */
export function readYamlText(text: string): YamlValue {
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line ?? 1;
    throw new YamlSyntaxError(e.message.split('\n', 1)[0], line);
  }
  return fromNode(doc.contents as YamlNode | null, doc, { nodes: MAX_NODES }, 0);
}

/** Lines `[start, end)` as a value: the fast reader when it can, the `yaml` package otherwise. */
export function readYaml(lines: readonly string[], start = 0, end = lines.length): YamlValue {
  try {
    return readBlockYaml(lines, start, end);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
  }
  return readYamlText(lines.slice(start, end).join('\n'));
}
