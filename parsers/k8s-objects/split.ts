/**
 * Cut a stream of lines into the units parsed one at a time: YAML documents (`---`), and the
 * entries of a top-level `items:` list (a `kind: List`) each on its own; JSON values, and the
 * entries of a top-level `"items": [...]` array (or of a top-level array) each on its own. A
 * 500 MB `kubectl get pods -A -o yaml` thus costs one pod of memory at a time. A unit larger
 * than the cap is dropped with a warning rather than held.
 */

export const MAX_UNIT_CHARS = 16 * 1024 * 1024;

export interface YamlUnit {
  lines: string[];
  /** File line of each entry of `lines`. */
  lineNos: number[];
  /** A list entry (its text is `- …`, a one-element sequence) rather than a whole document. */
  item: boolean;
}

export interface SplitSink<U> {
  unit(u: U): void;
  /** A unit was dropped: too large, or cut short at the end of the file. */
  dropped(code: string, line: number, message: string): void;
}

const DOC_START = /^---(?:[ \t]|$)/;
const DOC_END = /^\.\.\.(?:[ \t]|$)/;
const ITEMS_KEY = /^items:[ \t]*(?:#.*)?$/;

class YamlBuffer {
  lines: string[] = [];
  lineNos: number[] = [];
  chars = 0;
  over = false;
  start = 0;

  add(text: string, lineNo: number, cap: number): void {
    if (this.lines.length === 0 && !this.over) this.start = lineNo;
    if (this.over) return;
    this.chars += text.length + 1;
    if (this.chars > cap) {
      this.over = true;
      this.lines = [];
      this.lineNos = [];
      return;
    }
    this.lines.push(text);
    this.lineNos.push(lineNo);
  }

  reset(): void {
    this.lines = [];
    this.lineNos = [];
    this.chars = 0;
    this.over = false;
  }

  get empty(): boolean {
    return !this.over && this.lines.every((l) => isBlank(l));
  }
}

function isBlank(l: string): boolean {
  const t = l.trimStart();
  return t === '' || t.charCodeAt(0) === 35 /* # */;
}

function leading(l: string): number {
  let i = 0;
  while (l.charCodeAt(i) === 32) i++;
  return i;
}

export class YamlSplitter {
  private readonly doc = new YamlBuffer();
  private readonly item = new YamlBuffer();
  private mode: 'doc' | 'await-items' | 'items' = 'doc';
  private itemIndent = 0;

  constructor(private readonly sink: SplitSink<YamlUnit>, private readonly cap = MAX_UNIT_CHARS) {}

  line(text: string, lineNo: number): void {
    if (text.charCodeAt(0) === 45 && DOC_START.test(text)) {
      this.endDoc();
      const rest = text.slice(3).trim();
      if (rest !== '' && !rest.startsWith('#')) this.doc.add(rest, lineNo, this.cap);
      return;
    }
    if (text.charCodeAt(0) === 46 && DOC_END.test(text)) { this.endDoc(); return; }
    if (this.mode !== 'doc') {
      const ind = leading(text);
      if (isBlank(text)) {
        if (this.mode === 'items') this.item.add(text, lineNo, this.cap);
        return;
      }
      const entry = text.charCodeAt(ind) === 45 && (text.length === ind + 1 || text.charCodeAt(ind + 1) === 32);
      if (this.mode === 'await-items') {
        if (entry) {
          this.itemIndent = ind;
          this.mode = 'items';
          this.item.add(text, lineNo, this.cap);
          return;
        }
        this.mode = 'doc';
      } else {
        if (ind === this.itemIndent && entry) {
          this.endItem();
          this.item.add(text, lineNo, this.cap);
          return;
        }
        if (ind > this.itemIndent) {
          this.item.add(text, lineNo, this.cap);
          return;
        }
        this.endItem();
        this.mode = 'doc';
      }
    }
    if (text.charCodeAt(0) === 105 /* i */ && ITEMS_KEY.test(text)) this.mode = 'await-items';
    this.doc.add(text, lineNo, this.cap);
  }

  end(): void {
    this.endDoc();
  }

  private endItem(): void {
    const b = this.item;
    if (b.over) this.sink.dropped('k8s-objects.too-large', b.start, `list entry larger than ${this.cap} characters skipped`);
    else if (!b.empty) this.sink.unit({ lines: b.lines, lineNos: b.lineNos, item: true });
    b.reset();
  }

  private endDoc(): void {
    this.endItem();
    this.mode = 'doc';
    const b = this.doc;
    if (b.over) this.sink.dropped('k8s-objects.too-large', b.start, `YAML document larger than ${this.cap} characters skipped`);
    else if (!b.empty) this.sink.unit({ lines: b.lines, lineNos: b.lineNos, item: false });
    b.reset();
  }
}

// ---------------------------------------------------------------------------------------------
// JSON

export interface JsonUnit {
  text: string;
  line: number;
  endLine: number;
  item: boolean;
}

type Target = 'none' | 'doc' | 'item';

class JsonBuffer {
  parts: string[] = [];
  chars = 0;
  over = false;
  start = 0;

  push(s: string, cap: number): void {
    if (this.over || s.length === 0) return;
    this.chars += s.length;
    if (this.chars > cap) { this.over = true; this.parts = []; return; }
    this.parts.push(s);
  }

  reset(): void {
    this.parts = [];
    this.chars = 0;
    this.over = false;
  }
}

/**
 * A character scanner that tracks nesting and strings, so it finds value boundaries whatever
 * the layout (pretty-printed, one line, several values in a row). Text outside any value is
 * reported once per line.
 */
export class JsonSplitter {
  private depth = 0;
  private inString = false;
  /** Start of the current string at depth 1 (a candidate key), or -1. */
  private keyStart = -1;
  private lastString: string | undefined;
  private lastKey: string | undefined;
  private rootIsArray = false;
  /** Depth at which list entries sit: 1 in a top-level array, 2 in a top-level `items` array. */
  private itemDepth = 0;
  private target: Target = 'none';
  private readonly doc = new JsonBuffer();
  private readonly item = new JsonBuffer();
  private garbage = 0;

  constructor(private readonly sink: SplitSink<JsonUnit> & { garbage(line: number): void }, private readonly cap = MAX_UNIT_CHARS) {}

  line(text: string, lineNo: number): void {
    let seg = 0;
    let stray = false;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (c === 92 /* \ */) { i++; continue; }
        if (c === 34 /* " */) {
          this.inString = false;
          if (this.keyStart >= 0) { this.lastString = text.slice(this.keyStart, i); this.keyStart = -1; }
        }
        continue;
      }
      switch (c) {
        case 34: // "
          this.inString = true;
          if (this.depth === 1) this.keyStart = i + 1;
          break;
        case 58: // :
          if (this.depth === 1) this.lastKey = this.lastString;
          break;
        case 44: // ,
          if (this.depth === 1) this.lastString = undefined;
          break;
        case 123: // {
        case 91: // [
          if (this.depth === 0) {
            seg = this.switchTo('doc', text, seg, i);
            this.doc.start = lineNo;
            this.rootIsArray = c === 91;
            this.itemDepth = this.rootIsArray ? 1 : 0;
            this.lastKey = undefined;
          } else if (c === 123 && this.itemDepth > 0 && this.depth === this.itemDepth) {
            seg = this.switchTo('item', text, seg, i);
            this.item.start = lineNo;
          }
          this.depth++;
          // The `[` of the top-level `items` array opens the list; the entries go elsewhere.
          if (c === 91 && this.depth === 2 && !this.rootIsArray && this.lastKey === 'items') {
            this.itemDepth = 2;
            seg = this.switchTo('none', text, seg, i + 1);
          } else if (c === 91 && this.depth === 1 && this.rootIsArray) {
            seg = this.switchTo('none', text, seg, i + 1);
          }
          break;
        case 125: // }
        case 93: // ]
          if (this.depth === 0) { stray = true; break; }
          this.depth--;
          if (c === 125 && this.target === 'item' && this.depth === this.itemDepth) {
            seg = this.switchTo('none', text, seg, i + 1);
            this.endItem(lineNo);
          } else if (c === 93 && this.itemDepth > 0 && this.depth === this.itemDepth - 1) {
            // The list closes: back to the enclosing document (its `]` included).
            this.itemDepth = 0;
            seg = this.switchTo('doc', text, seg, i);
          }
          if (this.depth === 0) {
            seg = this.switchTo('none', text, seg, i + 1);
            this.endDoc(lineNo);
          }
          break;
        case 32: case 9: case 13:
          break;
        default:
          if (this.depth === 0) stray = true;
      }
    }
    // Strings never span lines in JSON; a line cut inside one is malformed and ends it.
    this.inString = false;
    this.keyStart = -1;
    this.append(text.slice(seg) + '\n');
    if (stray && this.garbage++ < 10) this.sink.garbage(lineNo);
  }

  end(lastLine: number): void {
    if (this.depth > 0) {
      if (this.target === 'item' || this.item.chars > 0) {
        this.sink.dropped('k8s-objects.truncated', this.item.start, `JSON list entry starting at line ${this.item.start} is cut short`);
      }
      if (this.doc.chars > 0 || this.doc.over) {
        this.sink.dropped('k8s-objects.truncated', this.doc.start, `JSON value starting at line ${this.doc.start} is not closed by the end of the file (line ${lastLine})`);
      }
    }
    this.item.reset();
    this.doc.reset();
  }

  private append(s: string): void {
    if (this.target === 'doc') this.doc.push(s, this.cap);
    else if (this.target === 'item') this.item.push(s, this.cap);
  }

  private switchTo(t: Target, text: string, seg: number, at: number): number {
    if (this.target !== t) {
      if (at > seg) this.append(text.slice(seg, at));
      this.target = t;
      return at;
    }
    return seg;
  }

  private endItem(lineNo: number): void {
    const b = this.item;
    if (b.over) this.sink.dropped('k8s-objects.too-large', b.start, `JSON list entry larger than ${this.cap} characters skipped`);
    else this.sink.unit({ text: b.parts.join(''), line: b.start, endLine: lineNo, item: true });
    b.reset();
  }

  private endDoc(lineNo: number): void {
    const b = this.doc;
    if (b.over) this.sink.dropped('k8s-objects.too-large', b.start, `JSON value larger than ${this.cap} characters skipped`);
    else this.sink.unit({ text: b.parts.join(''), line: b.start, endLine: lineNo, item: false });
    b.reset();
    this.itemDepth = 0;
    this.rootIsArray = false;
  }
}
