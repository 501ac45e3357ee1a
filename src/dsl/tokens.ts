/**
 * Tokens of the signature language. Order matters to chevrotain: longer and more specific
 * patterns first (a text block before a string, a duration and a version before a number,
 * keywords before the identifier they would otherwise be lexed as).
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_-]*/ });

const keywords: Record<string, TokenType> = {};
function keyword(word: string): TokenType {
  const t = createToken({ name: word[0].toUpperCase() + word.slice(1), pattern: new RegExp(`${word}\\b`), longer_alt: Identifier, label: `'${word}'` });
  keywords[word] = t;
  return t;
}

export const Signature = keyword('signature');
export const End = keyword('end');
export const Title = keyword('title');
export const Kind = keyword('kind');
export const Severity = keyword('severity');
export const Component = keyword('component');
export const Platforms = keyword('platforms');
export const References = keyword('references');
export const Explanation = keyword('explanation');
export const Remediation = keyword('remediation');
export const Check = keyword('check');
export const Affects = keyword('affects');
export const Fixed = keyword('fixed');
export const Evidence = keyword('evidence');
export const Weight = keyword('weight');
export const From = keyword('from');
export const Where = keyword('where');
export const Needs = keyword('needs');
export const Count = keyword('count');
export const Distinct = keyword('distinct');
export const Within = keyword('within');
export const Span = keyword('span');
export const Condition = keyword('condition');
export const Per = keyword('per');
export const Node = keyword('node');
export const And = keyword('and');
export const Or = keyword('or');
export const Not = keyword('not');
export const No = keyword('no');
export const In = keyword('in');
export const Contains = keyword('contains');
export const Exists = keyword('exists');
export const After = keyword('after');
export const Before = keyword('before');

export const TextBlock = createToken({ name: 'TextBlock', pattern: /"""[\s\S]*?"""/, line_breaks: true, label: 'a """text block"""' });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\n]|\\.)*"/, label: 'a "string"' });
export const RegexLiteral = createToken({ name: 'RegexLiteral', pattern: /\/(?:[^/\\\n]|\\.)+\/[gimsuy]*/, label: 'a /regex/' });
export const Duration = createToken({ name: 'Duration', pattern: /\d+(?:ms|s|m|h|d)(?:\d+(?:ms|s|m|h|d))*(?![A-Za-z0-9])/, label: 'a duration such as 10m' });
export const Version = createToken({
  name: 'Version',
  pattern: /v?\d+\.\d+\.\d+(?:[-+~][0-9A-Za-z][0-9A-Za-z.-]*)?|v\d+\.\d+(?:[-+~][0-9A-Za-z][0-9A-Za-z.-]*)?/,
  label: 'a version such as 1.13.2',
});
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?/, label: 'a number' });

export const Le = createToken({ name: 'Le', pattern: /<=/, label: "'<='" });
export const Ge = createToken({ name: 'Ge', pattern: />=/, label: "'>='" });
export const Eq = createToken({ name: 'Eq', pattern: /==/, label: "'=='" });
export const NotMatch = createToken({ name: 'NotMatch', pattern: /!~/, label: "'!~'" });
export const Ne = createToken({ name: 'Ne', pattern: /!=/, label: "'!='" });
export const Lt = createToken({ name: 'Lt', pattern: /</, label: "'<'" });
export const Gt = createToken({ name: 'Gt', pattern: />/, label: "'>'" });
export const Match = createToken({ name: 'Match', pattern: /~/, label: "'~'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });

export const allTokens: TokenType[] = [
  WhiteSpace, Comment, TextBlock, StringLiteral, RegexLiteral,
  ...Object.values(keywords),
  Duration, Version, NumberLiteral,
  Le, Ge, Eq, NotMatch, Ne, Lt, Gt, Match, Comma, Dot, Colon, LParen, RParen,
  Identifier,
];

export const KEYWORDS = Object.keys(keywords);

export const SignatureLexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false });
