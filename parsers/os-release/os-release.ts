/**
 * Operating system identity: `/etc/os-release` (also `/usr/lib/os-release`) and the one-line
 * `/etc/redhat-release`, `/etc/centos-release`, `/etc/rocky-release`, `/etc/system-release`.
 *
 * Sample input:
 *   NAME="Ubuntu"
 *   VERSION="20.04.2 LTS (Focal Fossa)"
 *   ID=ubuntu
 *   VERSION_ID="20.04"
 *   Red Hat Enterprise Linux release 8.4 (Ootpa)                     (/etc/redhat-release)
 *
 * Events: one `os-release` per file (at its end): `id`, `versionId`, `name`, `prettyName`,
 * `version`, `idLike`, `origin` (`os-release` or `release-file`). Facts: `os.id`, `os.version`
 * (VERSION_ID, or the release number), `os.name` (NAME).
 */
import type { FieldValue, LineParser, ParseContext, ParsedEvent, ParserModule } from '../../src/model/parser.js';

const ASSIGN = /^([A-Z][A-Z0-9_]*)=(.*)$/;
const RELEASE_LINE = /^(.+?) release (\d[\w.-]*)(?: \((.*)\))?\s*$/;
const COMMENT = /^\s*(?:#|$)/;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;
const OS_RELEASE_NAME = /(?:^|[\s/])os-release$/;
const RELEASE_FILE_NAME = /(?:^|[\s/])(?:redhat|centos|rocky|almalinux|oracle|fedora|system)-release$/;
const OS_RELEASE_PATH = /(?:^|[/_])(?:etc|usr[/_]lib)[/_]os-release$/;

const KEYS: Record<string, string> = {
  ID: 'id', VERSION_ID: 'versionId', NAME: 'name', PRETTY_NAME: 'prettyName', VERSION: 'version', ID_LIKE: 'idLike',
};

/** The `ID` a release-file distribution would have in os-release. */
const RELEASE_IDS: [RegExp, string][] = [
  [/^Red Hat Enterprise Linux/, 'rhel'], [/^CentOS/, 'centos'], [/^Rocky Linux/, 'rocky'], [/^AlmaLinux/, 'almalinux'],
  [/^Oracle Linux/, 'ol'], [/^Fedora/, 'fedora'], [/^Amazon Linux/, 'amzn'],
];

/** Unquote an os-release value: `"20.04"`, `'x'`, with `\"` `\\` `\$` escapes. */
export function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    const inner = v.slice(1, -1);
    return v[0] === '"' ? inner.replace(/\\([\\"$`])/g, '$1') : inner;
  }
  return v;
}

export const osRelease: ParserModule = {
  meta: {
    id: 'os-release',
    title: 'Operating system (os-release)',
    description: '/etc/os-release key=value files and one-line /etc/redhat-release style files; records the OS facts.',
    emits: { 'os-release': ['id', 'versionId', 'name', 'prettyName', 'version', 'idLike', 'origin'] },
    sources: ['os-release'],
    inputs: ['/etc/os-release', '/usr/lib/os-release', '/etc/redhat-release', '/etc/centos-release'],
  },
  detect(probe) {
    const named = OS_RELEASE_NAME.test(probe.command) || OS_RELEASE_PATH.test(probe.path);
    const releaseNamed = RELEASE_FILE_NAME.test(probe.command);
    const lines = probe.head.split('\n', 40).filter((l) => !COMMENT.test(l));
    if (lines.length === 0) return 0;
    if (releaseNamed) return lines.length <= 2 && RELEASE_LINE.test(lines[0]) ? 1 : 0.5;
    const assigns = lines.filter((l) => ASSIGN.test(l)).length;
    const hasId = lines.some((l) => l.startsWith('ID='));
    const hasName = lines.some((l) => l.startsWith('NAME=') || l.startsWith('PRETTY_NAME=') || l.startsWith('VERSION_ID='));
    if (assigns / lines.length >= 0.8 && hasId) return named ? 1 : hasName ? 0.8 : 0.2;
    return named ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    const fields: Record<string, FieldValue> = {};
    const lineOf: Record<string, number> = {};
    let first = 0;
    let last = 0;
    let origin: 'os-release' | 'release-file' = 'os-release';
    return {
      line(text, lineNo) {
        if (COMMENT.test(text)) return;
        if (BINARY.test(text)) { ctx.warn('os-release.binary', lineNo, 'binary bytes in an OS release file'); return; }
        const m = ASSIGN.exec(text.trimEnd());
        if (m) {
          const name = KEYS[m[1]];
          let value = unquote(m[2]);
          if (/^["']/.test(value)) {
            ctx.warn('os-release.cut-value', lineNo, `${m[1]} has an opening quote and no closing one`);
            value = value.slice(1);
          }
          if (name && fields[name] === undefined) { fields[name] = value; lineOf[name] = lineNo; }
          if (first === 0) first = lineNo;
          last = lineNo;
          return;
        }
        const r = first === 0 ? RELEASE_LINE.exec(text.trim()) : null;
        if (r) {
          origin = 'release-file';
          fields.name = r[1];
          fields.versionId = r[2];
          fields.prettyName = text.trim();
          const id = RELEASE_IDS.find(([re]) => re.test(r[1]))?.[1];
          if (id) fields.id = id;
          first = last = lineNo;
          lineOf.id = lineOf.versionId = lineOf.name = lineNo;
          return;
        }
        ctx.warn('os-release.bad-line', lineNo, 'line is not `KEY=value`');
      },
      end() {
        if (first === 0) return;
        fields.origin = origin;
        const e: ParsedEvent = { source: 'os-release', kind: 'os-release', fields, line: first, message: String(fields.prettyName ?? fields.name ?? '') };
        if (last > first) e.endLine = last;
        ctx.emit(e);
        if (typeof fields.id === 'string') ctx.fact('os.id', fields.id, lineOf.id);
        if (typeof fields.versionId === 'string') ctx.fact('os.version', fields.versionId, lineOf.versionId);
        if (typeof fields.name === 'string') ctx.fact('os.name', fields.name, lineOf.name);
      },
    };
  },
};

export default osRelease;
