/**
 * The signature grammar (chevrotain, embedded actions). One parser instance is built once and
 * reused; `parseSignatureText` resets it per file and returns the AST together with every
 * lexing and parsing error (recovery is on, so one typo does not hide the next).
 *
 *   signature  := 'signature' name header* evidence* condition? header* 'end'
 *   header     := title STRING | kind name | severity name | component name | platforms names
 *               | references strings | explanation text | remediation text | check text
 *               | affects name range (',' range)* | fixed name version (',' version)*
 *   evidence   := 'evidence' name STRING? ('weight' NUMBER)? 'from' kind ('where' expr)?
 *                 (count CMP NUMBER | distinct field CMP NUMBER | within DURATION
 *                  | span CMP DURATION)* ('needs' STRING)?
 *   expr       := and ('or' and)* ;  and := not ('and' not)* ;  not := 'not' not | '(' expr ')' | test
 *   test       := field (CMP value | '~' REGEX | '!~' REGEX | 'contains' STRING | 'exists'
 *                        | 'in' ('(' values ')' | clause '.' field) | 'not' ('in' … | 'contains' … | 'exists'))
 *   condition  := 'condition' ('per' 'node')? cexpr   (cexpr: and/or/not/no over clause names,
 *                 `a after b`, `a before b`)
 */
import { EmbeddedActionsParser, type IToken, type ILexingError, type IRecognitionException, type TokenType } from 'chevrotain';
import * as T from './tokens.js';
import type {
  Aggregation, Comparator, Condition, Evidence, FixedRule, Literal, Pos, Predicate, Signature, VersionRange, VersionRule,
} from './ast.js';
import { parseDuration } from '../model/time.js';

const pos = (t: IToken): Pos => ({ line: t.startLine ?? 0, column: t.startColumn ?? 0 });

/** Strip quotes and resolve escapes of a "string". */
function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** A """text block""": drop the delimiters and the common indentation, keep paragraphs. */
export function dedent(image: string): string {
  const body = image.slice(3, -3).replace(/^[ \t]*\n/, '').replace(/\n[ \t]*$/, '');
  const lines = body.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

/** Header properties; each may appear at most once except affects/fixed. */
export type HeaderKey = 'title' | 'kind' | 'severity' | 'component' | 'platforms' | 'references' | 'explanation' | 'remediation' | 'check';

export interface RawSignature {
  sig: Partial<Signature> & { affects: VersionRule[]; fixed: FixedRule[]; evidence: Evidence[]; perNode: boolean };
  /** Header values as written, with positions, for semantic checks (duplicates, bad enum values). */
  headers: { key: HeaderKey; value: string | string[]; pos: Pos }[];
  /** Positions of every `condition` (more than one is an error). */
  conditions: Pos[];
}

/** What a rule returns when error recovery skipped it: a harmless placeholder, never undefined. */
const RECOVERED_TOKEN = { image: '', startLine: 0, startColumn: 0 } as IToken;

class SignatureParser extends EmbeddedActionsParser {
  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  public file = this.RULE('file', (): RawSignature => {
    const raw: RawSignature = { sig: { affects: [], fixed: [], evidence: [], perNode: false, platforms: [], references: [] }, headers: [], conditions: [] };
    const start = this.CONSUME(T.Signature);
    const id = this.SUBRULE(this.name);
    this.ACTION(() => { raw.sig.id = id.image; raw.sig.pos = pos(start); });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.header, { ARGS: [raw] }) },
        { ALT: () => { const e = this.SUBRULE(this.evidence); this.ACTION(() => raw.sig.evidence.push(e)); } },
        { ALT: () => this.SUBRULE(this.condition, { ARGS: [raw] }) },
      ]);
    });
    this.CONSUME(T.End);
    return raw;
  });

  /** Names: identifiers, plus keywords that are natural field/clause names. */
  private name = this.RULE('name', (): IToken => this.OR([
    { ALT: () => this.CONSUME(T.Identifier) },
    { ALT: () => this.CONSUME(T.Node) },
    { ALT: () => this.CONSUME(T.Kind) },
    { ALT: () => this.CONSUME(T.Count) },
    { ALT: () => this.CONSUME(T.Severity) },
    { ALT: () => this.CONSUME(T.Component) },
    { ALT: () => this.CONSUME(T.Title) },
    { ALT: () => this.CONSUME(T.Check) },
    { ALT: () => this.CONSUME(T.Fixed) },
    { ALT: () => this.CONSUME(T.Span) },
    { ALT: () => this.CONSUME(T.Weight) },
    { ALT: () => this.CONSUME(T.Distinct) },
    { ALT: () => this.CONSUME(T.Platforms) },
  ]), { recoveryValueFunc: () => RECOVERED_TOKEN });

  private text = this.RULE('text', (): string => this.OR([
    { ALT: () => { const t = this.CONSUME(T.TextBlock); return this.ACTION(() => dedent(t.image)) ?? ''; } },
    { ALT: () => { const t = this.CONSUME(T.StringLiteral); return this.ACTION(() => unquote(t.image)) ?? ''; } },
  ]));

  private strings = this.RULE('strings', (): string[] => {
    const out: string[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { const t = this.CONSUME(T.StringLiteral); this.ACTION(() => out.push(unquote(t.image))); } });
    return out;
  });

  private names = this.RULE('names', (): string[] => {
    const out: string[] = [];
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { const t = this.SUBRULE(this.name); this.ACTION(() => out.push(t.image)); } });
    return out;
  });

  private header = this.RULE('header', (raw: RawSignature) => {
    const push = (key: HeaderKey, value: string | string[], t: IToken) => this.ACTION(() => raw.headers.push({ key, value, pos: pos(t) }));
    this.OR([
      { ALT: () => { const t = this.CONSUME(T.Title); push('title', unquote(this.CONSUME(T.StringLiteral).image), t); } },
      { ALT: () => { const t = this.CONSUME(T.Kind); push('kind', this.SUBRULE1(this.name).image, t); } },
      { ALT: () => { const t = this.CONSUME(T.Severity); push('severity', this.SUBRULE2(this.name).image, t); } },
      { ALT: () => { const t = this.CONSUME(T.Component); push('component', this.SUBRULE3(this.name).image, t); } },
      { ALT: () => { const t = this.CONSUME(T.Platforms); push('platforms', this.SUBRULE(this.names), t); } },
      { ALT: () => { const t = this.CONSUME(T.References); push('references', this.SUBRULE(this.strings), t); } },
      { ALT: () => { const t = this.CONSUME(T.Explanation); push('explanation', this.SUBRULE1(this.text), t); } },
      { ALT: () => { const t = this.CONSUME(T.Remediation); push('remediation', this.SUBRULE2(this.text), t); } },
      { ALT: () => { const t = this.CONSUME(T.Check); push('check', this.SUBRULE3(this.text), t); } },
      { ALT: () => {
        const t = this.CONSUME(T.Affects);
        const component = this.SUBRULE4(this.name);
        const ranges: VersionRange[] = [];
        this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { const r = this.SUBRULE(this.range); this.ACTION(() => ranges.push(r)); } });
        this.ACTION(() => raw.sig.affects.push({ component: component.image, ranges, pos: pos(t) }));
      } },
      { ALT: () => {
        const t = this.CONSUME(T.Fixed);
        const component = this.SUBRULE5(this.name);
        const versions: string[] = [];
        this.AT_LEAST_ONE_SEP1({ SEP: T.Comma, DEF: () => { const v = this.SUBRULE(this.version); this.ACTION(() => versions.push(v)); } });
        this.ACTION(() => raw.sig.fixed.push({ component: component.image, versions, pos: pos(t) }));
      } },
    ]);
  });

  private version = this.RULE('version', (): string => {
    const t = this.OR([{ ALT: () => this.CONSUME(T.Version) }, { ALT: () => this.CONSUME(T.NumberLiteral) }]);
    return t.image;
  });

  private comparator = this.RULE('comparator', (): Comparator => {
    const t = this.OR([
      { ALT: () => this.CONSUME(T.Le) }, { ALT: () => this.CONSUME(T.Ge) }, { ALT: () => this.CONSUME(T.Eq) },
      { ALT: () => this.CONSUME(T.Ne) }, { ALT: () => this.CONSUME(T.Lt) }, { ALT: () => this.CONSUME(T.Gt) },
    ]);
    return t.image as Comparator;
  });

  /** `>= 1.13.0 < 1.13.2`, or a bare version meaning exactly that version. */
  private range = this.RULE('range', (): VersionRange => {
    const bounds: { op: Comparator; version: string }[] = [];
    this.OR([
      { ALT: () => {
        this.AT_LEAST_ONE(() => {
          const op = this.SUBRULE(this.comparator);
          const v = this.SUBRULE(this.version);
          this.ACTION(() => bounds.push({ op, version: v }));
        });
      } },
      { ALT: () => { const v = this.SUBRULE1(this.version); this.ACTION(() => bounds.push({ op: '==', version: v })); } },
    ]);
    return { bounds, text: bounds.map((b) => (b.op === '==' ? b.version : `${b.op} ${b.version}`)).join(' ') };
  });

  private evidence = this.RULE('evidence', (): Evidence => {
    const start = this.CONSUME(T.Evidence);
    const name = this.SUBRULE(this.name);
    const ev: Evidence = { name: name.image, weight: 1, from: '', agg: {}, pos: pos(start) };
    this.OPTION(() => { const d = this.CONSUME(T.StringLiteral); this.ACTION(() => { ev.description = unquote(d.image); }); });
    this.OPTION1(() => { this.CONSUME(T.Weight); const w = this.CONSUME(T.NumberLiteral); this.ACTION(() => { ev.weight = Number(w.image); }); });
    this.CONSUME(T.From);
    ev.from = this.SUBRULE(this.dotted);
    this.OPTION2(() => { this.CONSUME(T.Where); ev.where = this.SUBRULE(this.orExpr); });
    const agg: Aggregation = ev.agg;
    this.MANY(() => this.OR([
      { ALT: () => {
        this.CONSUME(T.Count); const op = this.SUBRULE(this.comparator); const n = this.CONSUME1(T.NumberLiteral);
        this.ACTION(() => { agg.count = { op, value: Number(n.image) }; });
      } },
      { ALT: () => {
        this.CONSUME(T.Distinct); const f = this.SUBRULE(this.field); const op = this.SUBRULE1(this.comparator); const n = this.CONSUME2(T.NumberLiteral);
        this.ACTION(() => { agg.distinct = { field: f, op, value: Number(n.image) }; });
      } },
      { ALT: () => {
        this.CONSUME(T.Within); const d = this.CONSUME(T.Duration);
        this.ACTION(() => { agg.within = { ms: parseDuration(d.image) ?? 0, text: d.image }; });
      } },
      { ALT: () => {
        this.CONSUME(T.Span); const op = this.SUBRULE2(this.comparator); const d = this.CONSUME1(T.Duration);
        this.ACTION(() => { agg.span = { op, ms: parseDuration(d.image) ?? 0, text: d.image }; });
      } },
    ]));
    this.OPTION3(() => { this.CONSUME(T.Needs); const s = this.CONSUME1(T.StringLiteral); this.ACTION(() => { ev.needs = unquote(s.image); }); });
    return ev;
  });

  /** `ipvs.service`, `spec.externalTrafficPolicy`. */
  private dotted = this.RULE('dotted', (): string => {
    const parts: string[] = [this.SUBRULE(this.name).image];
    this.MANY(() => { this.CONSUME(T.Dot); const p = this.SUBRULE1(this.name); this.ACTION(() => parts.push(p.image)); });
    return parts.join('.');
  });

  /** A field: a dotted name, or a "quoted name" for keys with `/` or other odd characters. */
  private field = this.RULE('field', (): string => this.OR([
    { ALT: () => this.SUBRULE(this.dotted) },
    { ALT: () => { const t = this.CONSUME(T.StringLiteral); return this.ACTION(() => unquote(t.image)) ?? ''; } },
  ]));

  private orExpr = this.RULE('orExpr', (): Predicate => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      const t = this.CONSUME(T.Or);
      const right = this.SUBRULE1(this.andExpr);
      this.ACTION(() => { left = { type: 'or', left, right, pos: pos(t) }; });
    });
    return left;
  });

  private andExpr = this.RULE('andExpr', (): Predicate => {
    let left = this.SUBRULE(this.notExpr);
    this.MANY(() => {
      const t = this.CONSUME(T.And);
      const right = this.SUBRULE1(this.notExpr);
      this.ACTION(() => { left = { type: 'and', left, right, pos: pos(t) }; });
    });
    return left;
  });

  private notExpr = this.RULE('notExpr', (): Predicate => this.OR([
    { ALT: () => { const t = this.CONSUME(T.Not); const operand = this.SUBRULE(this.notExpr); return { type: 'not', operand, pos: pos(t) } as Predicate; } },
    { ALT: () => { this.CONSUME(T.LParen); const e = this.SUBRULE(this.orExpr); this.CONSUME(T.RParen); return e; } },
    { ALT: () => this.SUBRULE(this.test) },
  ]));

  private value = this.RULE('value', (): Literal => this.OR([
    { ALT: () => { const t = this.CONSUME(T.StringLiteral); return { type: 'string', value: unquote(t.image) } as Literal; } },
    { ALT: () => { const t = this.CONSUME(T.Duration); return { type: 'duration', value: parseDuration(t.image) ?? 0, text: t.image } as Literal; } },
    { ALT: () => { const t = this.CONSUME(T.Version); return { type: 'version', value: t.image } as Literal; } },
    { ALT: () => { const t = this.CONSUME(T.NumberLiteral); return { type: 'number', value: Number(t.image) } as Literal; } },
    { ALT: () => {
      const t = this.SUBRULE(this.name);
      const w = t.image;
      return (w === 'true' || w === 'false' ? { type: 'boolean', value: w === 'true' } : { type: 'word', value: w }) as Literal;
    } },
  ]));

  private inTarget = this.RULE('inTarget', (): { values?: Literal[]; clause?: string; otherField?: string } => this.OR([
    { ALT: () => {
      const values: Literal[] = [];
      this.CONSUME(T.LParen);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => { const v = this.SUBRULE(this.value); this.ACTION(() => values.push(v)); } });
      this.CONSUME(T.RParen);
      return { values };
    } },
    { ALT: () => {
      const clause = this.SUBRULE(this.name);
      this.CONSUME(T.Dot);
      const otherField = this.SUBRULE(this.field);
      return { clause: clause.image, otherField };
    } },
  ]));

  private test = this.RULE('test', (): Predicate => {
    const first = this.LA(1);
    const field = this.SUBRULE(this.field);
    const p = pos(first);
    const inPredicate = (negated: boolean, target: { values?: Literal[]; clause?: string; otherField?: string }): Predicate =>
      target.values
        ? { type: 'in-list', field, negated, values: target.values, pos: p }
        : { type: 'in-clause', field, negated, clause: target.clause ?? '', otherField: target.otherField ?? '', pos: p };
    return this.OR([
      { ALT: () => { const op = this.SUBRULE(this.comparator); const value = this.SUBRULE(this.value); return { type: 'compare', field, op, value, pos: p } as Predicate; } },
      { ALT: () => { this.CONSUME(T.Match); const r = this.CONSUME(T.RegexLiteral); return regexPredicate(field, false, r, p); } },
      { ALT: () => { this.CONSUME(T.NotMatch); const r = this.CONSUME1(T.RegexLiteral); return regexPredicate(field, true, r, p); } },
      { ALT: () => { this.CONSUME(T.Contains); const s = this.CONSUME(T.StringLiteral); return { type: 'contains', field, negated: false, value: unquote(s.image), pos: p } as Predicate; } },
      { ALT: () => { this.CONSUME(T.Exists); return { type: 'exists', field, negated: false, pos: p } as Predicate; } },
      { ALT: () => { this.CONSUME(T.In); return inPredicate(false, this.SUBRULE(this.inTarget)); } },
      { ALT: () => {
        this.CONSUME(T.Not);
        return this.OR1([
          { ALT: () => { this.CONSUME1(T.In); return inPredicate(true, this.SUBRULE1(this.inTarget)); } },
          { ALT: () => { this.CONSUME1(T.Contains); const s = this.CONSUME1(T.StringLiteral); return { type: 'contains', field, negated: true, value: unquote(s.image), pos: p } as Predicate; } },
          { ALT: () => { this.CONSUME1(T.Exists); return { type: 'exists', field, negated: true, pos: p } as Predicate; } },
        ]);
      } },
    ]);
  });

  private condition = this.RULE('condition', (raw: RawSignature) => {
    const t = this.CONSUME(T.Condition);
    this.ACTION(() => raw.conditions.push(pos(t)));
    this.OPTION(() => { this.CONSUME(T.Per); this.CONSUME(T.Node); this.ACTION(() => { raw.sig.perNode = true; }); });
    const c = this.SUBRULE(this.cOr);
    this.ACTION(() => { raw.sig.condition = c; });
  });

  private cOr = this.RULE('cOr', (): Condition => {
    let left = this.SUBRULE(this.cAnd);
    this.MANY(() => { this.CONSUME(T.Or); const right = this.SUBRULE1(this.cAnd); this.ACTION(() => { left = { type: 'or', left, right }; }); });
    return left;
  });

  private cAnd = this.RULE('cAnd', (): Condition => {
    let left = this.SUBRULE(this.cNot);
    this.MANY(() => { this.CONSUME(T.And); const right = this.SUBRULE1(this.cNot); this.ACTION(() => { left = { type: 'and', left, right }; }); });
    return left;
  });

  private cNot = this.RULE('cNot', (): Condition => this.OR([
    { ALT: () => { const t = this.OR1([{ ALT: () => this.CONSUME(T.Not) }, { ALT: () => this.CONSUME(T.No) }]); const operand = this.SUBRULE(this.cNot); return { type: 'not', operand, pos: pos(t) } as Condition; } },
    { ALT: () => { this.CONSUME(T.LParen); const c = this.SUBRULE(this.cOr); this.CONSUME(T.RParen); return c; } },
    { ALT: () => {
      const t = this.SUBRULE(this.name);
      let c: Condition = { type: 'ref', name: t.image, pos: pos(t) };
      this.OPTION(() => {
        const rel = this.OR2([{ ALT: () => this.CONSUME(T.After) }, { ALT: () => this.CONSUME(T.Before) }]);
        const other = this.SUBRULE1(this.name);
        c = { type: 'order', name: t.image, relation: rel.image as 'after' | 'before', other: other.image, pos: pos(t) };
      });
      return c;
    } },
  ]));
}

function regexPredicate(field: string, negated: boolean, tok: IToken, p: Pos): Predicate {
  const img = tok.image;
  const last = img.lastIndexOf('/');
  return { type: 'regex', field, negated, source: img.slice(1, last), flags: img.slice(last + 1), pos: p };
}

let instance: SignatureParser | undefined;

/** The parser is expensive to build (grammar analysis): build it once per process. */
function parserInstance(): SignatureParser {
  instance ??= new SignatureParser();
  return instance;
}

export interface SyntaxProblem {
  line: number;
  column: number;
  /** Length of the offending text, for the caret excerpt. */
  length: number;
  message: string;
}

export interface ParseOutcome {
  raw?: RawSignature;
  problems: SyntaxProblem[];
}

/** Human names for tokens in "expected …" messages. */
function describe(t: TokenType): string {
  return (t as { LABEL?: string }).LABEL ?? t.name;
}

const SOFT_KEYWORD_LABELS = ['node', 'kind', 'count', 'severity', 'component', 'title', 'check', 'fixed', 'span', 'weight', 'distinct', 'platforms'].map((k) => `'${k}'`);

function found(tok: IToken): string {
  if (tok.tokenType?.name === 'EOF') return 'the end of the file';
  return `'${tok.image.length > 40 ? `${tok.image.slice(0, 40)}…` : tok.image}'`;
}

function lexProblem(e: ILexingError, text: string): SyntaxProblem {
  const ch = text.charAt(e.offset);
  const hint = ch === '"' ? ' (unterminated string?)' : ch === '/' ? ' (unterminated regex?)' : '';
  return { line: e.line ?? 0, column: e.column ?? 0, length: Math.max(1, e.length), message: `unexpected character '${ch}'${hint}` };
}

function parseProblem(e: IRecognitionException): SyntaxProblem {
  const tok = e.token;
  let expected = '';
  const m = /one of these possible Token sequences:\n([\s\S]*?)\nbut found/.exec(e.message);
  if (m) {
    const alts = m[1].split('\n').map((l) => l.replace(/^\s*\d+\.\s*/, '').replace(/^\[|\]$/g, '')).filter(Boolean);
    const firsts = [...new Set(alts.map((a) => a.split(', ')[0]))];
    // The soft keywords accepted as names would list a dozen tokens: say "a name" once.
    const names = new Set(['Identifier', ...SOFT_KEYWORD_LABELS]);
    const rest = firsts.filter((f) => !names.has(f));
    expected = (rest.length < firsts.length ? [...rest, 'a name'] : rest).join(' or ');
  } else {
    // Single expected token: chevrotain words it "Expecting --> X <--" or "Expecting token of type --> X <--".
    const single = /Expecting (?:token of type )?--> (.+?) <--/.exec(e.message);
    const t = T.allTokens.find((x) => x.name === single?.[1]);
    expected = t ? describe(t) : single?.[1] ?? e.message.split('\n')[0];
  }
  const line = Number.isFinite(tok.startLine) ? tok.startLine! : 0;
  const column = Number.isFinite(tok.startColumn) ? tok.startColumn! : 0;
  return { line, column, length: Math.max(1, tok.image.length), message: `expected ${expected}, found ${found(tok)}` };
}

export function parseSignatureText(text: string): ParseOutcome {
  const lex = T.SignatureLexer.tokenize(text);
  const parser = parserInstance();
  parser.input = lex.tokens;
  let raw: RawSignature | undefined;
  try {
    raw = parser.file();
  } catch (e) {
    // Recovery can leave embedded actions with partial values; the syntax errors already
    // collected say what is wrong, so report those rather than the follow-on failure.
    if (parser.errors.length === 0 && lex.errors.length === 0) throw e;
  }
  const problems = [...lex.errors.map((e) => lexProblem(e, text)), ...parser.errors.map(parseProblem)];
  if (problems.length === 0 && raw) return { raw, problems };
  if (problems.length === 0) problems.push({ line: 1, column: 1, length: 1, message: 'signature could not be parsed' });
  // Recovery can report the same spot twice; keep one problem per position.
  const seen = new Set<string>();
  const unique = problems.filter((p) => { const k = `${p.line}:${p.column}`; return seen.has(k) ? false : (seen.add(k), true); });
  unique.sort((a, b) => a.line - b.line || a.column - b.column);
  return { raw, problems: unique };
}
