/**
 * Ansible console output (bmctl's and the cluster operator's machine jobs, kubespray) and
 * bmctl's own console/log lines.
 *
 * Sample input:
 *   TASK [cal-update : Check apiserver health] *************************************
 *   Thursday 20 January 2022  13:50:46 +0000 (0:00:00.033)       0:00:09.316 ******
 *   FAILED - RETRYING: Check apiserver health (30 retries left).
 *   fatal: [10.50.116.79]: FAILED! => {"attempts": 30, "changed": true, "cmd": "curl -k https://127.0.0.1/healthz", "msg": "non-zero return code", "rc": 7, "stderr": "curl: (7) Failed to connect to 127.0.0.1 port 443: Connection refused"}
 *   [2021-06-15 10:00:00+0000] Waiting for upgrade to complete...
 *
 * Events:
 * - `ansible.task` for each `TASK [role : name]` / `RUNNING HANDLER [...]` banner (`status`
 *   `started`) and each host result under it (`ok: [host]`, `changed:`, `skipping:`, `failed:`
 *   … with `status` and `host`); fields `task`, `role`, `play`, `handler`, `host`, `status`, `item`.
 * - `ansible.retry` for `FAILED - RETRYING: ([host]: )?<task> (N retries left).`: `task`,
 *   `host` (newer Ansible only), `retriesLeft`, `role`, `play`.
 * - `ansible.fatal` for `fatal: [host]: FAILED! => {json}` (and `UNREACHABLE!`, and `failed:`
 *   with JSON): `host`, `task`, `role`, `play`, `msg`, `stderr`, `stdout`, `rc`, `cmd`,
 *   `attempts`, `unreachable`, `ignored` (a following `...ignoring`), `item`. The JSON may run
 *   over several lines (pretty-printed, or hard-wrapped by a copy): lines are joined until it
 *   parses. `message` is `msg`, followed by `: <stderr>` when there is one.
 * - `ansible.recap` for each `PLAY RECAP` row: `host`, `ok`, `changed`, `unreachable`,
 *   `failed`, `skipped`, `rescued`, `ignored`.
 * - `log` (source `bmctl`) for bmctl lines `[2021-06-15 10:00:00+0000] …` and bmctl errors
 *   (`Error creating cluster: …`, `… preflight check failed …`).
 *
 * Times come from profile_tasks lines (`Thursday 20 January 2022  13:50:46 +0000 (…)`), the
 * `log_path` prefix (`2022-01-20 13:50:46,123 p=… u=… n=ansible | `) or a Jenkins ISO prefix,
 * and apply to the events after them. Jenkins `HH:MM:SS ` prefixes are stripped.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule, Severity } from '../../src/model/parser.js';
import { MONTHS } from '../../src/model/time.js';

const MAX_VALUE = 4096;
/** Most lines and characters joined while looking for the end of a result's JSON. */
const MAX_JSON_LINES = 2000;
const MAX_JSON_CHARS = 1 << 20;

const BANNER = /^(TASK|RUNNING HANDLER) \[(.*)\](?: \**)?$/;
const PLAY = /^PLAY \[(.*)\](?: \**)?$/;
const RECAP = /^PLAY RECAP(?: \**)?$/;
const RECAP_ROW = /^(\S+)\s*:\s*(ok=\d+.*)$/;
const RECAP_PAIR = /(\w+)=(\d+)/g;
const RETRY = /^FAILED - RETRYING: (?:\[([^\]]+)\]: )?(.*) \((\d+) retries left\)\.?\s*$/;
const RESULT = /^(ok|changed|skipping|failed|fatal|unreachable|ignoring|rescued): \[([^\]]+)\](?::? (FAILED!|UNREACHABLE!))?(?: (\(item=.*?\)))?(?: => (.*))?\s*$/;
const IGNORING = /^\.\.\.ignoring\s*$/;
const PROFILE = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) (\d{1,2}) ([A-Z][a-z]+) (\d{4}) +(\d\d):(\d\d):(\d\d) ([+-]\d{4}) \(([\d:.]+)\) +([\d:.]+) \**\s*$/;
const LOG_PATH_PREFIX = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) p=\d+ u=\S+ n=\S+ \| (.*)$/;
const JENKINS_ISO = /^\[?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\]? (.*)$/;
const JENKINS_CLOCK = /^\d\d:\d\d:\d\d (.*)$/;
const BMCTL = /^\[(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)([+-]\d\d):?(\d\d)\] ?(.*)$/;
const BMCTL_ERROR = /^(?:Error[ :]|error: |F\d{4} )|preflight check failed|\[FAILED\]/;
const JSON_MSG = /"msg": ?"((?:[^"\\]|\\.)*)"?/;

function cap(v: string): string {
  return v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE)}…` : v;
}

function zoneMs(sign: string, hh: string, mm: string): number {
  const ms = (Number(hh) * 60 + Number(mm)) * 60_000;
  return sign === '-' ? -ms : ms;
}

/** `role : task` → role and task; a banner without ` : ` names only the task. */
export function splitBanner(text: string): { role?: string; task: string } {
  const i = text.indexOf(' : ');
  return i === -1 ? { task: text.trim() } : { role: text.slice(0, i).trim(), task: text.slice(i + 3).trim() };
}

interface PendingResult {
  status: string;
  host: string;
  failed: boolean;
  unreachable: boolean;
  item?: string;
  json: string[];
  chars: number;
  line: number;
  endLine: number;
  text: string;
  time?: number;
}

class AnsibleReader implements LineParser {
  private play: string | undefined;
  private task: string | undefined;
  private role: string | undefined;
  private handler = false;
  private recap = false;
  private clock: number | undefined;
  /** A result whose JSON is still being read, or a fatal waiting for a possible `...ignoring`. */
  private pending: PendingResult | undefined;
  private parsedFatal: { event: ParsedEvent } | undefined;

  constructor(private readonly ctx: ParseContext) {}

  line(raw: string, lineNo: number): void {
    const text = this.stripPrefix(raw);
    if (this.pending && this.continueJson(text, lineNo)) return;
    if (text.trim() === '') return;
    if (this.parsedFatal) {
      const f = this.parsedFatal.event;
      this.parsedFatal = undefined;
      if (IGNORING.test(text)) { f.fields.ignored = true; this.ctx.emit(f); return; }
      this.ctx.emit(f);
    }
    const c = text.charCodeAt(0);
    if (c === 84 /* T */ || c === 82 /* R */) {
      const b = BANNER.exec(text);
      if (b) { this.banner(b[1] === 'RUNNING HANDLER', b[2], lineNo, raw); return; }
    }
    if (c === 80 /* P */) {
      if (RECAP.test(text)) { this.recap = true; return; }
      const p = PLAY.exec(text);
      if (p) { this.play = p[1].trim(); this.task = undefined; this.role = undefined; this.recap = false; return; }
    }
    if (c === 70 /* F */) {
      const r = RETRY.exec(text);
      if (r) { this.retry(r, lineNo, raw); return; }
    }
    const prof = PROFILE.exec(text);
    if (prof) { this.profile(prof); return; }
    const res = RESULT.exec(text);
    if (res) { this.result(res, lineNo, raw); return; }
    if (this.recap) {
      const row = RECAP_ROW.exec(text);
      if (row) { this.recapRow(row[1], row[2], lineNo, raw); return; }
    }
    if (c === 91 /* [ */) {
      const b = BMCTL.exec(text);
      if (b) { this.bmctlLine(b, lineNo, raw); return; }
    }
    if (BMCTL_ERROR.test(text) && !text.startsWith('[WARNING]')) {
      this.ctx.emit({ source: 'bmctl', kind: 'log', severity: 'error', time: this.clock, message: text, fields: {}, line: lineNo, text: raw });
      return;
    }
    // Everything else (task output, `included:`, `[WARNING]:`, stdout) is not an event.
  }

  end(): void {
    if (this.pending) this.finishResult(this.pending, true);
    if (this.parsedFatal) { this.ctx.emit(this.parsedFatal.event); this.parsedFatal = undefined; }
  }

  /** Remove Jenkins / log_path prefixes, keeping the time they give. */
  private stripPrefix(raw: string): string {
    const c = raw.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const lp = LOG_PATH_PREFIX.exec(raw);
      if (lp) {
        this.clock = Date.UTC(Number(lp[1]), Number(lp[2]) - 1, Number(lp[3]), Number(lp[4]), Number(lp[5]), Number(lp[6]), Number(lp[7]));
        return lp[8];
      }
      const iso = JENKINS_ISO.exec(raw);
      if (iso) {
        const t = Date.parse(iso[1]);
        if (!Number.isNaN(t)) this.clock = t;
        return iso[2];
      }
      const clock = JENKINS_CLOCK.exec(raw);
      if (clock) return clock[1];
    } else if (c === 91 && raw.charCodeAt(1) >= 48 && raw.charCodeAt(1) <= 57 && raw.charCodeAt(11) === 84 /* T */) {
      const iso = JENKINS_ISO.exec(raw);
      if (iso) {
        const t = Date.parse(iso[1]);
        if (!Number.isNaN(t)) this.clock = t;
        return iso[2];
      }
    }
    return raw;
  }

  private base(): Record<string, FieldValue> {
    const f: Record<string, FieldValue> = {};
    if (this.task !== undefined) f.task = this.task;
    if (this.role !== undefined) f.role = this.role;
    if (this.play !== undefined) f.play = this.play;
    return f;
  }

  private banner(handler: boolean, body: string, lineNo: number, raw: string): void {
    const { role, task } = splitBanner(body);
    this.task = task;
    this.role = role;
    this.handler = handler;
    this.recap = false;
    const fields = this.base();
    fields.handler = handler;
    fields.status = 'started';
    this.ctx.emit({ source: 'ansible', kind: 'ansible.task', time: this.clock, message: body, fields, line: lineNo, text: raw });
  }

  private retry(r: RegExpExecArray, lineNo: number, raw: string): void {
    const fields = this.base();
    fields.task = r[2].trim();
    // The banner's task is only ours if the names agree; interleaved output may disagree.
    if (this.task !== undefined && this.task !== fields.task) { delete fields.role; }
    if (r[1] !== undefined) fields.host = r[1];
    fields.retriesLeft = Number(r[3]);
    this.ctx.emit({ source: 'ansible', kind: 'ansible.retry', severity: 'warning', time: this.clock, message: r[0].trim(), fields, line: lineNo, text: raw });
  }

  private profile(m: RegExpExecArray): void {
    const month = MONTHS[m[2].slice(0, 3).toLowerCase()];
    if (month === undefined) return;
    const z = m[7];
    const local = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]));
    this.clock = local - zoneMs(z[0], z.slice(1, 3), z.slice(3, 5));
  }

  private result(m: RegExpExecArray, lineNo: number, raw: string): void {
    const status = m[1];
    const host = m[2].split(' -> ')[0].trim();
    const failed = status === 'fatal' || status === 'failed' || m[3] !== undefined;
    const p: PendingResult = {
      status, host, failed, unreachable: m[3] === 'UNREACHABLE!' || status === 'unreachable',
      item: m[4] ? m[4].slice(6, -1) : undefined, json: [], chars: 0, line: lineNo, endLine: lineNo, text: raw, time: this.clock,
    };
    let after = m[5]?.trim();
    // `ok: [host] => (item=x)` and `changed: [host] => (item=x) => {…}`
    const item = after ? /^\(item=(.*?)\)(?: => (.*))?$/.exec(after) : null;
    if (item) { p.item = item[1]; after = item[2]?.trim(); }
    if (after && after.startsWith('{')) {
      p.json.push(after);
      p.chars = after.length;
      if (tryJson(after) !== undefined || !balancedOpen(after)) { this.finishResult(p, false); return; }
      this.pending = p;
      return;
    }
    this.finishResult(p, false);
  }

  /** Add a line to a result's JSON; false when the line is not part of it. */
  private continueJson(text: string, lineNo: number): boolean {
    const p = this.pending!;
    // A new banner or result line means the JSON never closed.
    if (BANNER.test(text) || RESULT.test(text) || PLAY.test(text) || RECAP.test(text) || RETRY.test(text)) {
      this.pending = undefined;
      this.finishResult(p, true);
      return false;
    }
    p.json.push(text);
    p.chars += text.length + 1;
    p.endLine = lineNo;
    const joined = p.json.join(' ');
    if (tryJson(joined) !== undefined) {
      this.pending = undefined;
      this.finishResult(p, false);
    } else if (p.json.length >= MAX_JSON_LINES || p.chars >= MAX_JSON_CHARS) {
      this.pending = undefined;
      this.finishResult(p, true);
    }
    return true;
  }

  private finishResult(p: PendingResult, broken: boolean): void {
    this.pending = undefined;
    const fields = this.base();
    fields.host = p.host;
    if (p.item !== undefined) fields.item = cap(p.item);
    const joined = p.json.join(' ');
    const obj = joined === '' ? undefined : tryJson(joined);
    if (broken && joined !== '') {
      this.ctx.warn('ansible.bad-json', p.line, `result JSON for ${p.host} does not parse (${p.json.length} line(s) read)`);
    }
    const event: ParsedEvent = { source: 'ansible', kind: 'ansible.task', time: p.time, fields, line: p.line, text: p.text };
    if (p.endLine > p.line) event.endLine = p.endLine;
    if (!p.failed || (p.status === 'failed' && joined === '')) {
      fields.status = p.status;
      fields.handler = this.handler;
      if (p.failed) event.severity = 'error';
      this.ctx.emit(event);
      return;
    }
    event.kind = 'ansible.fatal';
    event.severity = 'error';
    fields.unreachable = p.unreachable;
    let msg = '';
    if (obj) {
      msg = typeof obj.msg === 'string' ? obj.msg : obj.msg !== undefined ? JSON.stringify(obj.msg) : '';
      const stderr = typeof obj.stderr === 'string' ? obj.stderr : undefined;
      if (stderr) fields.stderr = cap(stderr);
      if (typeof obj.stdout === 'string' && obj.stdout !== '') fields.stdout = cap(obj.stdout);
      if (typeof obj.rc === 'number') fields.rc = obj.rc;
      if (typeof obj.cmd === 'string') fields.cmd = cap(obj.cmd);
      else if (Array.isArray(obj.cmd)) fields.cmd = cap(obj.cmd.map(String).join(' '));
      if (typeof obj.attempts === 'number') fields.attempts = obj.attempts;
      if (typeof obj.status === 'number') fields.status = obj.status;
      if (typeof obj.url === 'string') fields.url = obj.url;
      event.message = stderr ? `${msg}: ${stderr}` : msg;
    } else {
      const m = JSON_MSG.exec(joined);
      msg = m ? m[1].replace(/\\(.)/g, '$1') : joined;
      event.message = msg;
    }
    fields.msg = cap(msg);
    event.message = cap(event.message ?? '');
    // Held until the next line, which may be `...ignoring`.
    this.parsedFatal = { event };
  }

  private recapRow(host: string, counts: string, lineNo: number, raw: string): void {
    const fields: Record<string, FieldValue> = { host };
    RECAP_PAIR.lastIndex = 0;
    for (let m = RECAP_PAIR.exec(counts); m; m = RECAP_PAIR.exec(counts)) fields[m[1]] = Number(m[2]);
    if (this.play !== undefined) fields.play = this.play;
    const bad = (typeof fields.failed === 'number' && fields.failed > 0) || (typeof fields.unreachable === 'number' && fields.unreachable > 0);
    this.ctx.emit({ source: 'ansible', kind: 'ansible.recap', severity: bad ? 'error' : 'info', time: this.clock, fields, line: lineNo, text: raw });
  }

  private bmctlLine(b: RegExpExecArray, lineNo: number, raw: string): void {
    const t = Date.UTC(Number(b[1]), Number(b[2]) - 1, Number(b[3]), Number(b[4]), Number(b[5]), Number(b[6]));
    const sign = b[7][0];
    this.clock = t - zoneMs(sign, b[7].slice(1), b[8]);
    const message = b[9];
    let severity: Severity | undefined;
    if (BMCTL_ERROR.test(message) || /\bfailed\b/i.test(message) && !/\bOK$/.test(message)) severity = 'error';
    else if (/^\[?WARNING\]?|\bwarning\b/i.test(message)) severity = 'warning';
    this.ctx.emit({ source: 'bmctl', kind: 'log', time: this.clock, severity, message, fields: {}, line: lineNo, text: raw });
  }
}

function tryJson(s: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(s) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** True when braces are still open at the end of `s` (strings skipped): more lines follow. */
function balancedOpen(s: string): boolean {
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inStr) { if (c === 92) i++; else if (c === 34) inStr = false; continue; }
    if (c === 34) inStr = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) depth--;
  }
  return depth > 0 || inStr;
}

// ---------------------------------------------------------------------------------------------
// Detection

const STRONG = /^(?:\d\d:\d\d:\d\d |\[?\d{4}-\d\d-\d\dT[\d:.]+Z?\]? |\d{4}-\d\d-\d\d [\d:,]+ p=\d+ u=\S+ n=\S+ \| )?(?:TASK \[|PLAY \[|PLAY RECAP|RUNNING HANDLER \[|FAILED - RETRYING: |fatal: \[[^\]]+\]: (?:FAILED|UNREACHABLE)!)/m;
const BMCTL_LINE = /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:?\d\d\] /;
/** File names of bmctl and Ansible logs (never a folder name: a whole snapshot may sit under `bmctl-…/`). */
const NAME_HINT = /^(?:bmctl|ansible|playbook|cal-update|machine-init|(?:create|upgrade|check|reset|update)-cluster|kubespray)\b[\w.-]*\.log(?:\.\d+)?$/i;
/** bmctl's own log folders: `bmctl-workspace/<cluster>/log/<operation>-<timestamp>/`. */
const BMCTL_LOG_DIR = /(?:^|\/)bmctl-workspace\/[^/]+\/log\/[a-z-]+-\d[^/]*\/[^/]+$/;

function detect(probe: FileProbe): number {
  const named = NAME_HINT.test(probe.name) || BMCTL_LOG_DIR.test(probe.path);
  if (STRONG.test(probe.head)) return named ? 1 : 0.8;
  const lines = probe.head.split('\n', 40).filter((l) => l.trim() !== '').slice(0, 20);
  if (lines.length > 0 && lines.filter((l) => BMCTL_LINE.test(l)).length / lines.length >= 0.5) return named ? 1 : 0.8;
  return named ? 0.5 : 0;
}

export const ansible: ParserModule = {
  meta: {
    id: 'ansible',
    title: 'Ansible and bmctl console output',
    description: 'Ansible task banners, retries, fatal results (with their JSON), PLAY RECAP rows, profile_tasks times; bmctl console and log lines.',
    emits: {
      'ansible.task': ['task', 'role', 'play', 'handler', 'host', 'status', 'item'],
      'ansible.retry': ['task', 'role', 'play', 'host', 'retriesLeft'],
      'ansible.fatal': ['host', 'task', 'role', 'play', 'msg', 'stderr', 'stdout', 'rc', 'cmd', 'attempts', 'status', 'url', 'unreachable', 'ignored', 'item'],
      'ansible.recap': ['host', 'play', 'ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'],
      log: [],
    },
    sources: ['ansible', 'bmctl'],
    inputs: ['bmctl-workspace/<cluster>/log/upgrade-cluster-<ts>/upgrade-cluster.log', 'kubectl logs bm-system-cal-update-…', 'ansible-playbook output'],
  },
  detect,
  create(ctx: ParseContext): LineParser {
    return new AnsibleReader(ctx);
  },
};

export default ansible;
