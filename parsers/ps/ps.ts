/**
 * `ps` process tables: BSD (`aux`, `auxww`, `auxf`, `alxwww`), System V (`-ef`, `-edF`, `-el`)
 * and custom `-eo …` column lists, with `-H` / `f` process trees.
 *
 * Sample input:
 *   USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND
 *   root           4  0.0  0.0   2592  1676 ?        S    03:31   0:00 sh -c sleep 101 & sleep 102; wait
 *   root           6  0.0  0.0   2920  1788 ?        S    03:31   0:00  \_ sleep 101
 *     PID  PPID STAT WCHAN                     NETNS COMMAND         COMMAND                                            CGROUP
 *       3     2 S    kthread_worker_fn    4026531833   pool_workqueu   [pool_workqueue_release]                         -
 *
 * Events: one `process` event per row. Columns are found from the header line (which may come
 * after a warning such as `your 131072x1 screen size is bogus`). Each row is read left to right:
 * columns without spaces are single tokens, wherever a widened value pushed them; a column that
 * may hold spaces (a command in the middle of the line, as in the two-`COMMAND` tree form) is cut
 * at the header's column offsets; the last column takes the rest of the line. A file without a
 * header is read as `ps aux` or `ps -ef` when its rows have that shape.
 *
 * `depth` is the tree level: 2 spaces per level for `-H`, 4 characters (` \_ `, ` |  `) per
 * level for BSD forests. `time` is cumulative CPU time (`cpuSeconds`); `elapsedSeconds` comes
 * from ETIME / ELAPSED, the wall-clock age of the process.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParserModule } from '../../src/model/parser.js';

const SOURCE = 'ps';
const MAX_WARNINGS = 1000;

type ColType = 'int' | 'num' | 'str' | 'uid' | 'stat' | 'cputime' | 'etime' | 'cmd' | 'skip';
type Role = 'comm' | 'args';

interface ColSpec {
  field?: string;
  type: ColType;
  /** Whitespace-separated tokens the value has (`STARTED` is `Mon Jan  1 00:00:00 2024`). */
  tokens?: number;
  /** A command header that says which command it is (`ARGS`, `COMM`). */
  role?: Role;
}

/** Header names as procps prints them → how the column is stored. */
const SPECS: Record<string, ColSpec> = {
  PID: { field: 'pid', type: 'int' },
  PPID: { field: 'ppid', type: 'int' },
  TID: { field: 'tid', type: 'int' }, LWP: { field: 'tid', type: 'int' }, SPID: { field: 'tid', type: 'int' },
  PGID: { field: 'pgid', type: 'int' }, PGRP: { field: 'pgid', type: 'int' },
  SID: { field: 'sid', type: 'int' }, SESS: { field: 'sid', type: 'int' },
  USER: { field: 'user', type: 'str' }, EUSER: { field: 'user', type: 'str' }, RUSER: { field: 'user', type: 'str' },
  UID: { type: 'uid' }, EUID: { type: 'uid' }, RUID: { type: 'uid' },
  '%CPU': { field: 'cpu', type: 'num' }, '%MEM': { field: 'mem', type: 'num' }, C: { field: 'c', type: 'int' },
  VSZ: { field: 'vsz', type: 'int' }, RSS: { field: 'rss', type: 'int' }, RSZ: { field: 'rss', type: 'int' },
  SZ: { field: 'sz', type: 'int' },
  TTY: { field: 'tty', type: 'str' }, TT: { field: 'tty', type: 'str' },
  STAT: { type: 'stat' }, S: { type: 'stat' },
  START: { field: 'start', type: 'str' }, STIME: { field: 'start', type: 'str' },
  STARTED: { field: 'start', type: 'str', tokens: 5 },
  TIME: { type: 'cputime' }, ETIME: { type: 'etime' }, ELAPSED: { field: 'elapsedSeconds', type: 'int' },
  WCHAN: { field: 'wchan', type: 'str' },
  NETNS: { field: 'netns', type: 'int' },
  CLS: { field: 'cls', type: 'str' }, POL: { field: 'cls', type: 'str' },
  RTPRIO: { field: 'rtprio', type: 'int' }, NI: { field: 'ni', type: 'int' }, PRI: { field: 'pri', type: 'int' },
  PSR: { field: 'psr', type: 'int' },
  F: { field: 'f', type: 'int' }, NLWP: { field: 'nlwp', type: 'int' }, THCNT: { field: 'nlwp', type: 'int' },
  CGROUP: { field: 'cgroup', type: 'str' }, LABEL: { field: 'label', type: 'str' },
  COMMAND: { type: 'cmd' }, CMD: { type: 'cmd' },
  ARGS: { type: 'cmd', role: 'args' }, COMM: { type: 'cmd', role: 'comm' }, UCOMM: { type: 'cmd', role: 'comm' },
};
const UNKNOWN: ColSpec = { type: 'skip' };

/** `-o` format keys that print a command, and which one. */
const FORMAT_ROLES: Record<string, Role> = {
  comm: 'comm', ucomm: 'comm', ucmd: 'comm', fname: 'comm', args: 'args', cmd: 'args', command: 'args',
};

interface Column {
  name: string;
  spec: ColSpec;
  /** Offset of the header text; 0 for a layout assumed without a header. */
  start: number;
  /** For command columns: the command name (comm) or the full command line (args). */
  role?: Role;
}

interface Layout {
  columns: Column[];
  /** Index of the PID column. */
  pid: number;
}

const HEADER_TOKEN = /^(?:%?[A-Z][A-Z0-9_]*|[A-Z]+%)$/;
const BOGUS_SCREEN = /screen size is bogus/;
const INT = /^-?\d+$/;
const WHITESPACE = /\s+/;
const NUM = /^-?\d+(?:\.\d+)?$/;
const DURATION = /^(?:(\d+)-)?(\d+):(\d+)(?::(\d+))?$/;
const FOREST = /^[ |]*\\_ /;
const STATES = 'RSDZTtIXWKP';
/** `[name]`, or `[name` when a fixed-width args column cut it. */
const KERNEL_THREAD = /^\[[^\]]*\]?$/;
const BRACKETED = /^\[[^\]]*\]$/;
const DEFUNCT = '<defunct>';
/** `ps aux` / `ps -ef` rows, to read an excerpt that lost its header. */
const AUX_ROW = /^\S+\s+\d+\s+\d+(?:\.\d+)?\s+\d+(?:\.\d+)?\s+\d+\s+\d+\s+\S+\s+[RSDZTtIXWKP]\S*\s+\S+\s+\d+:\d\d /;
const EF_ROW = /^\S+\s+\d+\s+\d+\s+\d+\s+\S+\s+\S+\s+(?:\d+-)?\d+:\d\d:\d\d /;
const AUX_HEADER = 'USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND';
const EF_HEADER = 'UID PID PPID C STIME TTY TIME CMD';

const CONTAINER_HINT = /docker|containerd|crio|kubepods|libpod|moby/;
/** A shorter id right after a runtime directory (`/docker/<id>`). */
const CGROUP_ID_SHORT = /(?:docker|containerd|crio|libpod|moby)[/-]([0-9a-f]{12,63})(?![0-9a-f])/;
/** Shim command lines: `docker-containerd-shim <id> …`, `-workdir …/<id>`, `-id <id>`. */
const SHIM_ID = /(?:^|\s)-id\s+([0-9a-f]{12,64})(?![0-9a-f])|(?:^|\s)-workdir\s+\S*\/([0-9a-f]{12,64})(?=\s|$)|shim\s+([0-9a-f]{12,64})(?![0-9a-f])/;
/** CRI-O's `conmon … -c <id>`. */
const CONMON_ID = /(?:^|\s)-c\s+([0-9a-f]{64})(?![0-9a-f])/;

const NAME = /^ps(?:$|[ -])/;

/** Seconds of `D-HH:MM:SS`, `HH:MM:SS`, `MM:SS` or `M:SS`; undefined for other text. */
export function durationSeconds(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const days = m[1] === undefined ? 0 : Number(m[1]);
  const a = Number(m[2]);
  const b = Number(m[3]);
  if (m[4] === undefined) return days * 86400 + a * 60 + b;
  return days * 86400 + a * 3600 + b * 60 + Number(m[4]);
}

/**
 * The first run of exactly 64 lower-case hex digits: a container id anywhere in a cgroup path
 * (`docker-<id>.scope`, `cri-containerd-<id>.scope`, `/kubepods/…/<id>`, `/docker/<id>`).
 * A plain scan: a regex with look-arounds costs several times more on every row.
 */
function hex64(text: string): string | undefined {
  // Most paths end with the id (`…/<id>`, `…-<id>.scope`): try that first.
  const tail = text.endsWith('.scope') ? text.length - 6 : text.length;
  if (tail >= 65 && hexRun(text, tail - 64, tail) && !isHex(text.charCodeAt(tail - 65))) return text.slice(tail - 64, tail);
  let run = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isHex(text.charCodeAt(i))) { run++; continue; }
    if (run === 64) return text.slice(i - 64, i);
    run = 0;
  }
  return undefined;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

function hexRun(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isHex(text.charCodeAt(i))) return false;
  return true;
}

/** The container a process belongs to, from its cgroup path or a shim's command line. */
export function containerIdOf(cgroup: string | undefined, command: string | undefined): string | undefined {
  if (cgroup !== undefined && cgroup.length > 12 && CONTAINER_HINT.test(cgroup)) {
    const id = hex64(cgroup) ?? CGROUP_ID_SHORT.exec(cgroup)?.[1];
    if (id !== undefined) return id;
  }
  if (command !== undefined) {
    if (command.includes('shim')) {
      const m = SHIM_ID.exec(command);
      if (m) return m[1] ?? m[2] ?? m[3];
    }
    if (command.includes('conmon')) {
      const m = CONMON_ID.exec(command);
      if (m) return m[1];
    }
  }
  return undefined;
}

interface HeaderToken { name: string; start: number }

function headerTokens(text: string): HeaderToken[] {
  const out: HeaderToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text.charCodeAt(i) <= 32) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && text.charCodeAt(i) > 32) i++;
    out.push({ name: text.slice(start, i), start });
  }
  return out;
}

/** True when the line is a ps header: PID among at least two column names and nothing else. */
export function isHeaderLine(text: string, needCommand = false): boolean {
  if (!text.includes('PID')) return false;
  const tokens = headerTokens(text);
  if (tokens.length < 2) return false;
  let pid = false;
  let command = false;
  for (const t of tokens) {
    if (!HEADER_TOKEN.test(t.name)) return false;
    if (t.name === 'PID') pid = true;
    else if (SPECS[t.name]?.type === 'cmd') command = true;
  }
  return pid && (command || !needCommand);
}

/** Format keys of `-o` / `-eo` / `o` lists in a normalised command name, in order. */
function formatKeys(command: string): string[] {
  const words = command.split(' ');
  const keys: string[] = [];
  for (let i = 1; i < words.length - 1; i++) {
    const w = words[i];
    if (/^-[a-z]*o$/.test(w) || w === '--format' || (i === 1 && /^[a-z]*o$/.test(w))) {
      for (const item of words[i + 1].split(',')) keys.push(item.split(/[:=]/, 1)[0]);
    }
  }
  return keys;
}

function buildLayout(tokens: HeaderToken[], command: string): Layout {
  const columns: Column[] = tokens.map((t) => ({ name: t.name, spec: SPECS[t.name] ?? UNKNOWN, start: t.start }));
  const names = new Set(tokens.map((t) => t.name));
  const commands = columns.filter((c) => c.spec.type === 'cmd');
  const hinted = formatKeys(command).map((k) => FORMAT_ROLES[k]).filter((r): r is Role => r !== undefined);
  if (hinted.length === commands.length) {
    commands.forEach((c, i) => { c.role = c.spec.role ?? hinted[i]; });
  } else if (commands.length >= 2) {
    // `-o comm,args`: the first command is the name, the last the full command line.
    commands.forEach((c, i) => { c.role = c.spec.role ?? (i === commands.length - 1 ? 'args' : 'comm'); });
  } else if (commands.length === 1) {
    const c = commands[0];
    // procps prints CMD for args only in -f formats (with STIME), COMMAND for args in BSD formats (with TIME).
    c.role = c.spec.role ?? (c.name === 'CMD' ? (names.has('STIME') ? 'args' : 'comm') : (names.has('TIME') ? 'args' : 'comm'));
  }
  return { columns, pid: columns.findIndex((c) => c.name === 'PID') };
}

/** A layout for rows without a header (offsets 0: every column is found by tokens). */
function assumedLayout(header: string): Layout {
  return buildLayout(headerTokens(header).map((t) => ({ name: t.name, start: 0 })), '');
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * Cut a row into one raw value per column; undefined when the line ends before the last column.
 * Command values keep their leading spaces (tree indentation).
 */
function splitRow(line: string, layout: Layout): string[] | undefined {
  const cols = layout.columns;
  const n = line.length;
  const values: string[] = new Array<string>(cols.length);
  let pos = 0;
  const last = cols.length - 1;
  for (let k = 0; k < last; k++) {
    const col = cols[k];
    if (col.spec.type === 'cmd' && col.start > 0) {
      // A command in the middle may hold spaces: cut it at the header offsets.
      let aligned = true;
      for (let i = pos; i < col.start && i < n; i++) if (!isSpace(line.charCodeAt(i))) { aligned = false; break; }
      if (aligned) {
        const start = pos >= col.start && pos > 0 ? pos + 1 : col.start;
        if (start >= n) return undefined;
        const width = cols[k + 1].start - col.start - 1;
        let end = Math.max(col.start + width, start);
        while (end < n && !isSpace(line.charCodeAt(end))) end++;
        values[k] = line.slice(start, end).trimEnd();
        pos = end;
        continue;
      }
    }
    const count = col.spec.tokens ?? 1;
    let from = -1;
    for (let t = 0; t < count; t++) {
      while (pos < n && isSpace(line.charCodeAt(pos))) pos++;
      if (pos >= n) return undefined;
      if (from < 0) from = pos;
      while (pos < n && !isSpace(line.charCodeAt(pos))) pos++;
    }
    values[k] = line.slice(from, pos);
  }
  const col = cols[last];
  let start: number;
  if (pos > 0 && pos >= col.start) {
    // Pushed right by a wide value (or no header offsets): one separator after the previous value.
    start = pos + 1;
  } else {
    let i = pos;
    while (i < col.start && i < n && isSpace(line.charCodeAt(i))) i++;
    // Aligned with the header: spaces past the offset are tree indentation. Otherwise (spacing
    // collapsed, or a right-aligned value) the value starts at its first character.
    start = i >= col.start ? col.start : i;
  }
  const rest = start < n ? line.slice(start).trimEnd() : '';
  if (rest.trim() === '') return undefined;
  values[last] = col.spec.type === 'cmd' ? rest : rest.trim();
  return values;
}

interface Indented { text: string; depth: number }

/** Strip tree indentation from a command: ` \_ ` forest markers or `-H` spaces. */
function unindent(raw: string): Indented {
  const f = FOREST.exec(raw);
  if (f) return { text: raw.slice(f[0].length).trim(), depth: Math.ceil(f[0].length / 4) };
  let i = 0;
  while (i < raw.length && raw.charCodeAt(i) === 32) i++;
  return { text: raw.slice(i).trim(), depth: i >> 1 };
}

export const ps: ParserModule = {
  meta: {
    id: 'ps',
    title: 'ps process table',
    description: 'Process tables from ps aux / auxf / -ef / -edF / -alx and custom -eo column lists, including -H and forest trees, wait channels, network namespaces and cgroups.',
    emits: {
      process: [
        'pid', 'ppid', 'tid', 'pgid', 'sid', 'user', 'uid', 'cpu', 'c', 'mem', 'vsz', 'rss', 'sz', 'tty',
        'stat', 'state', 'start', 'time', 'cpuSeconds', 'etime', 'elapsedSeconds', 'wchan', 'netns', 'cls',
        'rtprio', 'ni', 'pri', 'psr', 'f', 'nlwp', 'cgroup', 'label', 'comm', 'args', 'command', 'depth',
        'kernelThread', 'defunct', 'containerId', 'containerShortId',
      ],
    },
    sources: [SOURCE],
    inputs: ['ps aux', 'ps auxf', 'ps -ef', 'ps -edF', 'ps -alxwww', 'ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H'],
  },
  detect(probe: FileProbe): number {
    const name = NAME.test(probe.command);
    const lines = probe.head.split('\n', 8);
    if (lines.some((l) => isHeaderLine(l, true))) return name ? 1 : 0.8;
    const rows = lines.filter((l) => l.trim() !== '');
    if (rows.length > 0 && rows.slice(0, 4).every((l) => AUX_ROW.test(l) || EF_ROW.test(l))) return name ? 0.9 : 0.3;
    return name ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    const fileCommand = ctx.file.command;
    let layout: Layout | undefined;
    let warnings = 0;
    let lastLine = 0;

    const warn = (code: string, line: number, message: string): void => {
      if (warnings++ < MAX_WARNINGS) ctx.warn(code, line, message);
    };

    const excerpt = (text: string): string => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

    /** Emit the row; false when it is not a row of this layout. */
    const row = (text: string, lineNo: number, l: Layout): boolean => {
      const values = splitRow(text, l);
      if (!values) return false;
      if (l.pid >= 0 && !INT.test(values[l.pid])) return false;
      const fields: Record<string, FieldValue> = {};
      let comm: Indented | undefined;
      let args: Indented | undefined;
      for (let k = 0; k < l.columns.length; k++) {
        const col = l.columns[k];
        const v = values[k];
        const spec = col.spec;
        switch (spec.type) {
          case 'int':
          case 'num':
            if ((spec.type === 'int' ? INT : NUM).test(v)) fields[spec.field!] = Number(v);
            else if (v !== '-') warn('ps.bad-number', lineNo, `${col.name} is not a number: ${excerpt(v)}`);
            break;
          case 'str':
            fields[spec.field!] = v;
            break;
          case 'uid':
            if (INT.test(v)) fields.uid = Number(v);
            else fields.user = v;
            break;
          case 'stat': {
            fields.stat = v;
            if (STATES.includes(v[0])) fields.state = v[0];
            break;
          }
          case 'cputime': {
            fields.time = v;
            const s = durationSeconds(v);
            if (s !== undefined) fields.cpuSeconds = s;
            break;
          }
          case 'etime': {
            fields.etime = v;
            const s = durationSeconds(v);
            if (s !== undefined) fields.elapsedSeconds = s;
            break;
          }
          case 'cmd': {
            if (col.role === 'args') args = unindent(v);
            else if (!comm) comm = unindent(v);
            break;
          }
          default:
            break;
        }
      }
      if (comm && comm.text !== '') fields.comm = comm.text;
      if (args && args.text !== '') fields.args = args.text;
      const full = args?.text ? args : comm?.text ? comm : undefined;
      if (full) fields.command = full.text;
      // With -H comm and args are indented alike; args is wider, so its indent survives deeper.
      const tree = args ?? comm;
      fields.depth = tree ? tree.depth : 0;

      const ppid = fields.ppid as number | undefined;
      if (args) {
        // Kernel threads have no command line: ps shows `[name]` (zombies add ` <defunct>`).
        fields.kernelThread = args.text.charCodeAt(0) === 91 && KERNEL_THREAD.test(args.text);
      } else {
        fields.kernelThread = ppid === 2 || (ppid === 0 && comm?.text === 'kthreadd') || (full !== undefined && BRACKETED.test(full.text));
      }
      fields.defunct = fields.state === 'Z' || (full !== undefined && full.text.includes(DEFUNCT));
      const cid = containerIdOf(fields.cgroup as string | undefined, full?.text);
      if (cid !== undefined) {
        fields.containerId = cid;
        // `docker ps -a` prints 12-character ids and `args:50` cuts a shim's id short: the
        // 12-character prefix is what every output of the same container has in common.
        fields.containerShortId = cid.slice(0, 12);
      }
      ctx.emit({ source: SOURCE, kind: 'process', fields, line: lineNo, text });
      return true;
    };

    return {
      line(text, lineNo) {
        lastLine = lineNo;
        if (text.trim() === '') return;
        if (layout && row(text, lineNo, layout)) return;
        if (isHeaderLine(text)) {
          layout = buildLayout(headerTokens(text), fileCommand);
          return;
        }
        if (!layout) {
          if (BOGUS_SCREEN.test(text)) return;
          const assumed = AUX_ROW.test(text) ? assumedLayout(AUX_HEADER) : EF_ROW.test(text) ? assumedLayout(EF_HEADER) : undefined;
          if (assumed && row(text, lineNo, assumed)) { layout = assumed; return; }
          warn('ps.no-header', lineNo, `line before any ps header: ${excerpt(text)}`);
          return;
        }
        // A row with a PID that stops early was cut; anything else is not a process row.
        const pid = text.length < 4096 ? text.trim().split(WHITESPACE, layout.pid + 1)[layout.pid] : undefined;
        if (pid !== undefined && INT.test(pid)) warn('ps.truncated-row', lineNo, `row ends before its last column: ${excerpt(text)}`);
        else warn('ps.bad-row', lineNo, `not a process row: ${excerpt(text)}`);
      },
      end() {
        if (warnings > MAX_WARNINGS) ctx.warn('ps.more-warnings', lastLine, `${warnings - MAX_WARNINGS} more lines were not understood`);
      },
    };
  },
};

export default ps;
