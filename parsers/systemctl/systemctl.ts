/**
 * Unit status: `systemctl status [-l] <unit>…`, the unit header and the journal lines that
 * follow it.
 *
 * Sample input:
 *   ● docker.service - Docker Application Container Engine
 *      Loaded: loaded (/lib/systemd/system/docker.service; disabled; vendor preset: enabled)
 *      Active: inactive (dead) since Tue 2024-03-05 09:12:44 UTC; 1h 2min ago
 *    Main PID: 1234 (code=exited, status=0/SUCCESS)
 *   Mar 05 09:12:44 node-1 systemd[1]: Stopped Docker Application Container Engine.
 *
 * Events: one `systemd.unit` per unit: `unit`, `description`, `loaded` (loaded, not-found,
 * masked …), `unitFile`, `enabled` (true for enabled/enabled-runtime/static/alias … false
 * for disabled/masked), `enabledState` (as printed), `vendorPreset`, `active` (active,
 * inactive, failed, activating …), `sub` (running, dead, exited, auto-restart …), `result`
 * (`Result: exit-code`), `since` (as printed), `mainPid`, `mainStatus` (`kubelet`,
 * `code=exited, status=1/FAILURE`). `Unit x.service could not be found.` gives a unit with
 * `loaded` = `not-found`. The journal lines after the header are `log` events whose source is
 * the unit without `.service`, spelled as the journal parser spells components (`docker.service`
 * → `dockerd`), or `systemd` for systemd's own lines about the unit; klog bodies give their
 * severity and caller, logfmt `level=` its severity, and a component's start-up version line a
 * version fact.
 */
import type { FieldValue, LineParser, ParseContext, ParsedEvent, ParserModule, Severity } from '../../src/model/parser.js';
import { yearlessToEpoch, MONTHS } from '../../src/model/time.js';
import { klogBody, parseKlogHeader, reportVersion } from '../klog/klog.js';
import { sourceFromIdent } from '../journal/journal.js';

/** `● kubelet.service - kubelet: The Kubernetes Node Agent` (`○`, `×`, `*` on other systemd versions/locales). */
const UNIT_HEADER = /^(?:[●○×*↻] )?([\w@:.\\-]+\.(?:service|socket|timer|mount|target|path|scope|slice|device|swap|automount))(?: - (.*))?$/;
const NOT_FOUND = /^Unit ([\w@:.\\-]+) could not be found\.$/;
const PROP = /^\s*([A-Z][\w -]{1,20}): (.*)$/;
const LOADED = /^(\S+)(?: \(([^;)]*)(?:; ([^;)]*))?(?:; (?:vendor )?preset: ([^;)]*))?\))?/;
const ACTIVE = /^(\S+)(?: \((?!Result: )([^)]*)\))?(?: \(Result: ([^)]*)\))?(?: since (.*?))?(?:;.*)?$/;
const MAIN_PID = /^(\d+)(?: \((.*)\))?/;
const JOURNAL = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/;
const LOGFMT_LEVEL = /\blevel=(\w+)/;
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;
const NAME = /^systemctl (?:-\S+ )*status\b/;
const NOISE = /^(?:Warning: |Hint: |-- (?:Logs begin|Journal begins|No entries|Boot |Reboot))/;

const ENABLED: Record<string, boolean> = {
  enabled: true, 'enabled-runtime': true, static: true, alias: true, indirect: true, generated: true, transient: true, linked: true, 'linked-runtime': true,
  disabled: false, masked: false, 'masked-runtime': false, bad: false,
};
const LEVEL_SEVERITY: Record<string, Severity> = {
  trace: 'debug', debug: 'debug', info: 'info', notice: 'notice', warn: 'warning', warning: 'warning', error: 'error', err: 'error', fatal: 'fatal', panic: 'fatal', critical: 'critical',
};

/** Source of a unit's log lines: the unit without `.service`, named as the journal parser names it (`docker` → `dockerd`). */
function unitSource(unit: string): string {
  return sourceFromIdent(unit.replace(/\.service$/, ''));
}

export const systemctl: ParserModule = {
  meta: {
    id: 'systemctl',
    title: 'Unit status (systemctl status)',
    description: '`systemctl status` unit headers (loaded, enabled, active state, since, main PID) and the journal lines shown under them.',
    emits: {
      'systemd.unit': ['unit', 'description', 'loaded', 'unitFile', 'enabled', 'enabledState', 'vendorPreset', 'active', 'sub', 'result', 'since', 'mainPid', 'mainStatus'],
      log: ['host', 'ident', 'pid', 'caller', '*'],
    },
    sources: ['*'],
    inputs: ['systemctl status -l kubelet', 'systemctl status docker', 'systemctl status containerd'],
  },
  detect(probe) {
    const named = NAME.test(probe.command);
    const lines = probe.head.replace(ANSI, '').split('\n', 12).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    const header = UNIT_HEADER.test(lines[0]) || NOT_FOUND.test(lines[0]);
    const props = lines.filter((l) => /^\s+(?:Loaded|Active): /.test(l)).length;
    if (named && header && (props >= 1 || NOT_FOUND.test(lines[0]))) return 1;
    // A unit header followed by both Loaded and Active is unmistakable, even though the journal
    // lines under it would pass for a journal dump.
    if (header && props >= 2) return 0.85;
    if (header && (props >= 1 || (lines.length === 1 && NOT_FOUND.test(lines[0])))) return 0.8;
    return named ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    let unit: ParsedEvent | undefined;
    let inHeader = false;
    let source = 'unknown';
    let log: ParsedEvent | undefined;
    let extra = 0;
    const flushUnit = () => { if (unit) ctx.emit(unit); unit = undefined; inHeader = false; };
    const flushLog = () => { if (log) { reportVersion(ctx, log); ctx.emit(log); } log = undefined; };

    return {
      line(raw, lineNo) {
        const text = raw.includes('\x1b') ? raw.replace(ANSI, '') : raw;
        if (text.trim() === '') { if (inHeader) flushUnit(); return; }
        if (BINARY.test(text)) { ctx.warn('systemctl.binary', lineNo, 'binary bytes in systemctl output'); return; }
        const h = UNIT_HEADER.exec(text);
        if (h && !text.startsWith(' ')) {
          flushLog(); flushUnit();
          const fields: Record<string, FieldValue> = { unit: h[1] };
          if (h[2]) fields.description = h[2];
          unit = { source: 'systemd', kind: 'systemd.unit', message: text, fields, line: lineNo, text };
          source = unitSource(h[1]);
          inHeader = true;
          return;
        }
        const nf = NOT_FOUND.exec(text);
        if (nf) {
          flushLog(); flushUnit();
          const u = nf[1].includes('.') ? nf[1] : `${nf[1]}.service`;
          ctx.emit({ source: 'systemd', kind: 'systemd.unit', message: text, fields: { unit: u, loaded: 'not-found', active: 'inactive' }, line: lineNo, text });
          source = unitSource(u);
          return;
        }
        if (inHeader && unit) {
          const p = PROP.exec(text);
          if (p && text.startsWith(' ')) { applyProperty(unit.fields, p[1].trim(), p[2]); unit.endLine = lineNo; return; }
          // Drop-in lists and CGroup trees continue a property over indented lines.
          if (/^\s{4,}/.test(text)) { unit.endLine = lineNo; return; }
          flushUnit();
        }
        const j = JOURNAL.exec(text);
        if (j && MONTHS[j[1].toLowerCase()] !== undefined) {
          flushLog();
          extra = 0;
          log = journalEvent(j, source, lineNo, raw, ctx.file.mtime);
          return;
        }
        if (NOISE.test(text)) return;
        if (log) {
          // A wrapped journal line: keep it with the entry before it.
          if (extra++ < 100) { log.message = `${log.message ?? ''}\n${text}`; log.text = `${log.text ?? ''}\n${raw}`; }
          log.endLine = lineNo;
          return;
        }
        ctx.warn('systemctl.bad-line', lineNo, 'line is neither a unit header, a property nor a journal line');
      },
      end() { flushLog(); flushUnit(); },
    };
  },
};

function applyProperty(f: Record<string, FieldValue>, name: string, value: string): void {
  switch (name) {
    case 'Loaded': {
      const m = LOADED.exec(value);
      if (!m) return;
      f.loaded = m[1];
      if (m[2] && !m[2].startsWith('Reason:')) f.unitFile = m[2].trim();
      if (m[3]) {
        const st = m[3].trim();
        f.enabledState = st;
        if (ENABLED[st] !== undefined) f.enabled = ENABLED[st];
      }
      if (m[4]) f.vendorPreset = m[4].trim();
      return;
    }
    case 'Active': {
      const m = ACTIVE.exec(value.trim());
      if (!m) return;
      f.active = m[1];
      if (m[2]) f.sub = m[2];
      if (m[3]) f.result = m[3];
      if (m[4]) f.since = m[4];
      return;
    }
    case 'Main PID': {
      const m = MAIN_PID.exec(value.trim());
      if (!m) return;
      f.mainPid = Number(m[1]);
      if (m[2]) f.mainStatus = m[2];
      return;
    }
    default:
  }
}

function journalEvent(j: RegExpExecArray, unitSourceName: string, line: number, text: string, mtime: number | undefined): ParsedEvent {
  const micros = j[6] ? Number(j[6].padEnd(6, '0')) : 0;
  const time = yearlessToEpoch(MONTHS[j[1].toLowerCase()], Number(j[2]), Number(j[3]), Number(j[4]), Number(j[5]), micros, mtime);
  const ident = j[8];
  const body = j[10];
  const fields: Record<string, FieldValue> = { host: j[7], ident };
  if (j[9]) fields.pid = Number(j[9]);
  // systemd's own lines about the unit (`Started …`, `Main process exited …`) come from systemd.
  const source = ident === 'systemd' ? 'systemd' : unitSourceName;
  let message = body;
  let severity: Severity | undefined;
  const k = parseKlogHeader(body);
  if (k) {
    const b = klogBody(k.body);
    message = b.message;
    Object.assign(fields, b.fields);
    fields.caller = `${k.caller}:${k.callerLine}`;
    severity = k.severity;
  } else {
    const lv = LOGFMT_LEVEL.exec(body);
    if (lv) severity = LEVEL_SEVERITY[lv[1].toLowerCase()];
  }
  return { source, kind: 'log', time, severity, message, fields, line, text };
}

export default systemctl;
