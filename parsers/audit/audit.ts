/**
 * Linux audit records (`/var/log/audit/audit.log`, `ausearch` raw and `-i` output) and the
 * SELinux mode (`getenforce`, `sestatus`, `/etc/selinux/config`).
 *
 * Sample input:
 *   type=AVC msg=audit(1626732057.636:4583): avc:  denied  { associate } for  pid=57450 comm="dockerd" name="/" dev="tmpfs" ino=150014 scontext=system_u:object_r:container_file_t:s0:c263,c914 tcontext=system_u:object_r:lib_t:s0 tclass=filesystem permissive=0
 *   type=SYSCALL msg=audit(1626732057.636:4583): arch=c000003e syscall=165 success=no exit=-13 comm="dockerd" exe="/usr/bin/dockerd"
 *   SELinux status:                 enabled
 *   Current mode:                   enforcing
 *
 * Events:
 * - `audit.avc` per AVC record: `result` (denied/granted), `permissions` (`associate`, or
 *   `read write`), `pid`, `comm`, `name`, `path`, `dev`, `ino`, `scontext`, `tcontext`,
 *   `tclass`, `permissive` (boolean), `serial`, and any other key; `message` is the record
 *   body with runs of spaces collapsed (`avc: denied { associate } for pid=…`).
 * - `audit.record` per other record: `type`, `serial`, `raw` (the body) and its key/values.
 *   Time is the record's `audit(<epoch>.<ms>:<serial>)` stamp.
 * - `selinux.status` for SELinux mode outputs: `status`, `mode`, `configMode`, `policy`;
 *   the runtime mode is also the fact `selinux.mode` (`enforcing`, `permissive`, `disabled`).
 * - `log` for a logfmt line mixed into the file (a dockerd line quoted next to its AVC
 *   denials), so that evidence is not lost.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule } from '../../src/model/parser.js';
import { componentFromName } from '../../src/ingest/layout.js';
import { parseLogfmt, severityOf } from '../container-log/container-log.js';

const MAX_VALUE = 4096;
const MAX_PAIRS = 64;

/** `type=AVC msg=audit(1626732057.636:4583): …` and the kernel's `audit: type=1400 audit(…): …`. */
const RECORD = /(?:^|\s)(?:node=(\S+) )?type=(\w+) (?:msg=)?audit\((\d+)\.(\d+):(\d+)\) ?: ?(.*)$/;
/** `ausearch -i`: `type=AVC msg=audit(07/19/2021 22:00:57.636:4583) : avc: …` */
const INTERPRETED = /(?:^|\s)(?:node=(\S+) )?type=(\w+) msg=audit\((\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)\.(\d+):(\d+)\) ?: ?(.*)$/;
const AVC = /^avc: +(denied|granted) +\{ *([^}]*?) *\} +for +(.*)$/s;
const PAIR = /([A-Za-z_][\w-]*)=("[^"]*"|'[^']*'|\S+)/g;
const SEPARATOR = /^(?:----|time->)/;
const BROKEN_RECORD = /^(?:node=\S+ )?type=\w+ msg=/;
/** Numeric record types of the kernel form. */
const NUMERIC_TYPES: Record<string, string> = { 1300: 'SYSCALL', 1302: 'PATH', 1307: 'CWD', 1327: 'PROCTITLE', 1400: 'AVC', 1401: 'SELINUX_ERR', 1404: 'MAC_STATUS' };

const SESTATUS = /^(SELinux status|Current mode|Mode from config file|Loaded policy name|Policy from config file):\s+(\S+)\s*$/;
const GETENFORCE = /^(Enforcing|Permissive|Disabled)\s*$/;
const SELINUX_CONFIG = /^SELINUX(TYPE)?=(\w+)\s*$/;

function cap(v: string): string {
  return v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE)}…` : v;
}

function pairValue(v: string): FieldValue {
  if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) return cap(v.slice(1, -1));
  return /^-?\d{1,15}$/.test(v) ? Number(v) : cap(v);
}

/** key=value pairs of an audit body into `fields` (first of repeated keys kept). */
function pairs(body: string, fields: Record<string, FieldValue>): void {
  let n = 0;
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(body); m && n < MAX_PAIRS; m = PAIR.exec(body)) {
    if (m[1] in fields) continue;
    fields[m[1]] = pairValue(m[2]);
    n++;
  }
}

interface Stamp {
  node?: string;
  type: string;
  time: number;
  serial: number;
  body: string;
}

export function parseRecord(text: string): Stamp | undefined {
  if (text.indexOf('audit(') === -1) return undefined;
  const m = RECORD.exec(text);
  if (m) {
    const type = NUMERIC_TYPES[m[2]] ?? m[2];
    return { node: m[1], type, time: Number(m[3]) * 1000 + Number(m[4].padEnd(3, '0').slice(0, 3)), serial: Number(m[5]), body: m[6] };
  }
  const i = INTERPRETED.exec(text);
  if (i) {
    // `ausearch -i` prints local time without a zone; taken as UTC.
    const ms = Number(i[9].padEnd(3, '0').slice(0, 3));
    return {
      node: i[1], type: i[2], serial: Number(i[10]), body: i[11],
      time: Date.UTC(Number(i[5]), Number(i[3]) - 1, Number(i[4]), Number(i[6]), Number(i[7]), Number(i[8]), ms),
    };
  }
  return undefined;
}

class AuditReader implements LineParser {
  private readonly selinux: Record<string, FieldValue> = {};
  private selinuxLine = 0;
  private readonly source: string;

  constructor(private readonly ctx: ParseContext) {
    this.source = componentFromName(ctx.file.name) ?? 'unknown';
  }

  line(text: string, lineNo: number): void {
    const t = text.trim();
    if (t === '' || SEPARATOR.test(t)) return;
    const r = parseRecord(text);
    if (r) { this.record(r, lineNo, text); return; }
    if (this.selinuxStatus(t, lineNo)) return;
    // A mangled audit record is not a log line.
    if (t.includes('=') && !BROKEN_RECORD.test(t)) {
      const lf = parseLogfmt(t);
      if (lf && (lf.pairs.level !== undefined || lf.pairs.msg !== undefined)) {
        const fields: Record<string, FieldValue> = {};
        for (const k in lf.pairs) if (k !== 'msg') fields[k] = cap(lf.pairs[k]);
        const err = lf.pairs.error ?? lf.pairs.err;
        const msg = lf.prefix !== '' ? t : lf.pairs.msg ?? '';
        this.ctx.emit({
          source: this.source, kind: 'log', severity: severityOf(lf.pairs.level), message: err && lf.prefix === '' ? `${msg}: ${err}` : msg,
          fields: { ...fields, format: 'logfmt' }, line: lineNo, text,
        });
        return;
      }
    }
    this.ctx.warn('audit.unknown-line', lineNo, 'line that is neither an audit record nor SELinux status');
  }

  end(): void {
    if (Object.keys(this.selinux).length === 0) return;
    const mode = this.selinux.mode ?? (this.selinux.status === 'disabled' ? 'disabled' : undefined);
    if (typeof mode === 'string') {
      this.selinux.mode = mode;
      this.ctx.fact('selinux.mode', mode, this.selinuxLine);
    }
    this.ctx.emit({ source: 'selinux', kind: 'selinux.status', fields: { ...this.selinux }, line: this.selinuxLine });
  }

  private record(r: Stamp, lineNo: number, text: string): void {
    const fields: Record<string, FieldValue> = { type: r.type, serial: r.serial };
    if (r.node) fields.auditNode = r.node;
    const e: ParsedEvent = { source: 'audit', kind: 'audit.record', time: r.time, fields, line: lineNo, text };
    const avc = r.type === 'AVC' ? AVC.exec(r.body) : null;
    if (avc) {
      e.kind = 'audit.avc';
      fields.result = avc[1];
      fields.permissions = avc[2].replace(/\s+/g, ' ');
      pairs(avc[3], fields);
      if (fields.permissive !== undefined) fields.permissive = fields.permissive === 1 || fields.permissive === '1';
      e.severity = avc[1] === 'denied' ? 'warning' : 'info';
      e.message = r.body.replace(/\s+/g, ' ').trim();
    } else {
      fields.raw = cap(r.body);
      pairs(r.body, fields);
      if (r.type === 'SELINUX_ERR' || fields.success === 'no' || fields.res === 'failed') e.severity = 'warning';
    }
    this.ctx.emit(e);
  }

  /** getenforce / sestatus / /etc/selinux/config lines; true when the line was one. */
  private selinuxStatus(t: string, lineNo: number): boolean {
    if (t.startsWith('#')) return true;
    const first = this.selinuxLine === 0;
    const s = SESTATUS.exec(t);
    if (s) {
      const v = s[2].toLowerCase();
      if (s[1] === 'SELinux status') this.selinux.status = v;
      else if (s[1] === 'Current mode') this.selinux.mode = v;
      else if (s[1] === 'Mode from config file') this.selinux.configMode = v;
      else this.selinux.policy = v;
    } else {
      const g = GETENFORCE.exec(t);
      if (g) this.selinux.mode = g[1].toLowerCase();
      else {
        const c = SELINUX_CONFIG.exec(t);
        if (!c) return SESTATUS_OTHER.test(t) && !first;
        if (c[1]) this.selinux.policy = c[2];
        else this.selinux.configMode = c[2].toLowerCase();
      }
    }
    if (first) this.selinuxLine = lineNo;
    return true;
  }
}

/** Other `sestatus` lines: `SELinuxfs mount:`, `Policy deny_unknown status:`, `Max kernel policy version:` … */
const SESTATUS_OTHER = /^[A-Z][\w ]*:\s+\S/;

// ---------------------------------------------------------------------------------------------
// Detection

const AUDIT_NAME = /(?:^|\/)(?:audit\.log(?:\.\d+)?|audit)$|(?:^|\/)var\/log\/audit\//;
const AUDIT_COMMAND = /^(?:ausearch|aureport)\b/;
const SELINUX_COMMAND = /^(?:getenforce|sestatus)\b/;
const SELINUX_CONFIG_PATH = /(?:^|\/)etc\/selinux\/config$|(?:^|\s)etc selinux config$/;

function detect(probe: FileProbe): number {
  const lines = probe.head.split('\n', 40).map((l) => l.trim()).filter((l) => l !== '' && !SEPARATOR.test(l)).slice(0, 20);
  if (SELINUX_COMMAND.test(probe.command) || SELINUX_CONFIG_PATH.test(probe.path)) {
    const ok = lines.some((l) => SESTATUS.test(l) || GETENFORCE.test(l) || SELINUX_CONFIG.test(l));
    return ok ? 1 : 0.5;
  }
  if (lines.length > 0 && lines.some((l) => l.startsWith('SELinux status:'))) return 0.8;
  const named = AUDIT_NAME.test(probe.path) || AUDIT_COMMAND.test(probe.command);
  const records = lines.filter((l) => /^(?:node=\S+ )?type=\w+ msg=audit\(/.test(l)).length;
  if (lines.length > 0 && records / lines.length >= 0.5) return named ? 1 : 0.8;
  if (records > 0) return named ? 1 : 0.3;
  return named ? 0.5 : 0;
}

export const audit: ParserModule = {
  meta: {
    id: 'audit',
    title: 'Linux audit log and SELinux status',
    description: 'Audit records (AVC denials with their contexts, SYSCALL and other records) and SELinux mode from getenforce / sestatus / /etc/selinux/config.',
    emits: {
      'audit.avc': ['result', 'permissions', 'pid', 'comm', 'name', 'path', 'dev', 'ino', 'scontext', 'tcontext', 'tclass', 'permissive', 'serial', 'type', 'auditNode', '*'],
      'audit.record': ['type', 'serial', 'raw', 'auditNode', '*'],
      'selinux.status': ['status', 'mode', 'configMode', 'policy'],
      log: ['format', 'level', '*'],
    },
    sources: ['audit', 'selinux', '*'],
    inputs: ['/var/log/audit/audit.log', 'ausearch -m avc', 'getenforce', 'sestatus', '/etc/selinux/config'],
  },
  detect,
  create(ctx: ParseContext): LineParser {
    return new AuditReader(ctx);
  },
};

export default audit;
