/**
 * Redaction of secrets from everything kubesleuth prints. Bundles come from customers'
 * machines and carry credentials; evidence excerpts, facts, events and warnings pass through
 * here before any renderer sees them. Each secret is replaced by a marker that keeps enough
 * context to be useful: `client-key-data: [REDACTED 1.7 KB]`.
 */

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  return `${(n / 1024).toFixed(1)} KB`;
}

const marker = (secret: string, what = '') => `[REDACTED ${what ? `${what} ` : ''}${size(Buffer.byteLength(secret))}]`;

interface Rule {
  name: string;
  /** A word every match of `re` contains (regex source, matched case-insensitively). */
  hint: string;
  re: RegExp;
  replace: (m: string, ...groups: string[]) => string;
}

const KEY_NAMES = 'client-key-data|client-certificate-data|token|id-token|refresh-token|access[_-]?token|auth[_-]?token|bearer[_-]?token|private[_-]?key(?:[_-]id)?|password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|apikey|credentials?';

/**
 * A secret-bearing key name, alone or inside a longer key (DB_PASSWORD, PGPASSWORD,
 * client-secret-file, access_token). It starts where a key starts, and prefix and suffix are
 * bounded, so the cost stays linear on a megabyte line.
 */
const KEY_CHARS = '[a-z0-9_.-]';
const SECRET_KEY = String.raw`(?<!${KEY_CHARS})${KEY_CHARS}{0,32}?(?:${KEY_NAMES})${KEY_CHARS}{0,32}`;
/** What follows `key:` or `key=`: a quoted value up to its closing quote (or the line end), or a bare word. */
const SECRET_VALUE = String.raw`(?:(")((?:[^"\\\n]|\\.)*)("?)|(')([^'\n]*)('?)|([^\s"',;}&]+))`;

const RULES: Rule[] = [
  // PEM blocks (keys and certificates), possibly with literal `\n` inside JSON strings.
  {
    name: 'pem',
    hint: '-----BEGIN',
    re: /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g,
    replace: (m) => marker(m, /-----BEGIN ([A-Z0-9 ]+)-----/.exec(m)?.[1] ?? 'PEM'),
  },
  // Authorization headers and bearer tokens.
  { name: 'authorization', hint: 'authorization', re: /(authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic|token)\s+)?([^\s"',]+)/gi, replace: (_m, p: string, scheme: string | undefined, v: string) => `${p}${scheme ? `${scheme} ` : ''}${marker(v)}` },
  // Cookies carry session tokens: the whole header value goes.
  { name: 'cookie', hint: 'cookie', re: /\b((?:set-)?cookie["']?\s*[:=]\s*["']?)([^\s"'][^\r\n"']*)/gi, replace: (m, p: string, v: string) => (v.startsWith('[REDACTED') ? m : `${p}${marker(v)}`) },
  { name: 'bearer', hint: 'bearer', re: /\b(bearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi, replace: (_m, p: string, v: string) => `${p}${marker(v)}` },
  // JSON Web Tokens anywhere.
  { name: 'jwt', hint: 'eyJ', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: (m) => marker(m) },
  // user:password@ in URLs (the user may be empty: redis://:password@host).
  { name: 'url-password', hint: String.raw`:\/\/`, re: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi, replace: (_m, p: string, v: string, at: string) => `${p}${marker(v)}${at}` },
  // key: value, key=value, "key": "value", --key=value, ?access_token=… for secret-bearing keys.
  {
    name: 'key-value',
    hint: KEY_NAMES,
    re: new RegExp(String.raw`(${SECRET_KEY}["']?\s*[:=]\s*)${SECRET_VALUE}`, 'gi'),
    replace: (m, p: string, dq?: string, dv?: string, dqEnd?: string, sq?: string, sv?: string, sqEnd?: string, bare?: string) => {
      const [open, v, close] = dq ? [dq, dv!, dqEnd!] : sq ? [sq, sv!, sqEnd!] : ['', bare ?? '', ''];
      return v === '' || v.startsWith('[REDACTED') ? m : `${p}${open}${marker(v)}${close}`;
    },
  },
  // Flags with the value after a space: `--token abcdef.0123456789abcdef`, `--password hunter2`
  // (kubeadm join lines in ansible logs, command lines in `ps` outputs).
  {
    name: 'flag-value',
    hint: KEY_NAMES,
    re: new RegExp(String.raw`((?:^|\s)--${KEY_CHARS}{0,32}?(?:${KEY_NAMES})${KEY_CHARS}{0,32}\s+)([^\s-]\S*)`, 'gi'),
    replace: (_m, p: string, v: string) => (v.startsWith('[REDACTED') ? `${p}${v}` : `${p}${marker(v)}`),
  },
];

/** A text holding none of the rules' words is returned as it is: one cheap test instead of all. */
const MAY_HOLD_SECRET = new RegExp([...new Set(RULES.map((r) => r.hint))].join('|'), 'i');

/** Redact one text. Idempotent: redacting twice changes nothing more. */
export function redact(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const r of RULES) out = out.replace(r.re, r.replace as (m: string, ...a: string[]) => string);
  return out;
}

/** Deep-copy a JSON-like value with every string redacted. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
