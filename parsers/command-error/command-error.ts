/**
 * Node command outputs that hold only an error: the snapshot ran a command that is missing,
 * that needs root, or whose daemon was down. Such a file says "this evidence is absent", which
 * matters as much as the evidence itself (a snapshot taken as non-root has no crictl output).
 *
 * Sample input (each is a whole file):
 *   sudo: crictl: command not found
 *   bash: line 1: docker: command not found
 *   Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json?all=1": dial unix /var/run/docker.sock: connect: permission denied
 *   dmesg: read kernel buffer failed: Operation not permitted
 *   FATA[0002] listing containers: rpc error: code = Unavailable desc = connection error
 *
 * Events: one `command.error` per error line: `command` (the normalised file name), `error` (the
 * line), `reason` (not-found, permission-denied, unreachable, no-such-file, sudo, failed) and
 * `program` when the line names it. `parseCommandError` is shared with the parsers of outputs
 * that may carry such lines between real rows (`docker ps -a`, `docker version`).
 */
import type { FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule } from '../../src/model/parser.js';

export type CommandErrorReason = 'not-found' | 'permission-denied' | 'unreachable' | 'no-such-file' | 'sudo' | 'failed';

export interface CommandError {
  reason: CommandErrorReason;
  program?: string;
  error: string;
}

/** Shell prefixes in front of an error: `sudo: `, `bash: line 1: `, `sh: 1: `, `/bin/sh: `. */
const SHELL_PREFIX = String.raw`(?:(?:sudo|env|timeout|nice|bash|sh|dash|zsh|ash|/(?:usr/)?bin/(?:ba|da|z)?sh)(?:: (?:line )?\d+)?: )*`;
const NOT_FOUND = new RegExp(String.raw`^${SHELL_PREFIX}([\w./+-]{1,128}): (?:command not found|not found)$`);
const EXEC_NOT_FOUND = /exec: "([^"]{1,128})": executable file not found in \$PATH|failed to run command '([^']{1,128})': No such file or directory/;
const NO_SUCH_FILE = new RegExp(String.raw`^${SHELL_PREFIX}([\w.+-]{1,64}): (?:cannot (?:open|access|stat) )?'?(/[^:']{1,512})'?: No such file or directory$`);
const PERMISSION = /permission denied|operation not permitted|you must be root|access denied|must be run as root|are you root\?/i;
const DOCKER_SOCKET = /^(?:Got permission denied while trying to connect to the Docker daemon socket|Cannot connect to the Docker daemon at )/;
const UNREACHABLE = /^(?:The connection to the server \S+ was refused|Unable to connect to the server:|Failed to connect to bus:|Failed to get D-Bus connection:)/;
const SUDO = /^sudo: (?:a (?:terminal|password) is required|no tty present|sorry, you must have a tty|unable to resolve host|\S+ is not in the sudoers file)/;
/** `dmesg: read kernel buffer failed: …`, `iptables v1.8.4 (legacy): Cannot initialize: …`, `Can't initialize ipvs: …`. */
const PROGRAM_FAILURE = /^([\w.+-]{1,64})(?: v?\d[\w.-]*(?: \([\w-]+\))?)?: ./;
/** `/bin/sh: /tmp/disks_check.sh: Permission denied`. */
const PERMISSION_PATH = new RegExp(String.raw`^${SHELL_PREFIX}(\S{1,256}): Permission denied$`);
const CANNOT_INITIALIZE = /^Can't initialize (\S+): /;
/** logrus-style fatal lines from crictl and other Go tools: `FATA[0002] …`, `time="…" level=fatal msg="…"`. */
const LOGRUS_FATAL = /^(?:FATA|ERRO)\[\d+\] (.+)$|^time="[^"]*" level=(?:fatal|error) msg="(.*)"$/;
/** Lines that accompany an error without being one. */
const COMPANION = /^(?:exit status \d+|command terminated with exit code \d+|Error: exit status \d+|Perhaps iptables or your kernel needs to be upgraded\.|See '[^']+ --help'\.|WARN\[\d+\] .*|time="[^"]*" level=warn(?:ing)? msg=.*|Hint: .*|\(you must be root\))$/;

const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;

/** Recognise one error line; undefined when the line is something else. */
export function parseCommandError(line: string): CommandError | undefined {
  const text = line.trim();
  if (text.length === 0 || text.length > 2048) return undefined;
  let m = NOT_FOUND.exec(text);
  if (m) return { reason: 'not-found', program: baseName(m[1]), error: text };
  m = EXEC_NOT_FOUND.exec(text);
  if (m) return { reason: 'not-found', program: baseName(m[1] ?? m[2]), error: text };
  if (DOCKER_SOCKET.test(text)) {
    return { reason: text.startsWith('Got permission') ? 'permission-denied' : 'unreachable', program: 'docker', error: text };
  }
  if (UNREACHABLE.test(text)) {
    return { reason: PERMISSION.test(text) ? 'permission-denied' : 'unreachable', program: text.startsWith('The connection') || text.startsWith('Unable') ? 'kubectl' : 'systemctl', error: text };
  }
  if (SUDO.test(text)) return { reason: 'sudo', program: 'sudo', error: text };
  m = NO_SUCH_FILE.exec(text);
  if (m) return { reason: 'no-such-file', program: m[1], error: text };
  m = LOGRUS_FATAL.exec(text);
  if (m) {
    const msg = m[1] ?? m[2];
    return { reason: PERMISSION.test(msg) ? 'permission-denied' : /connect|dial|deadline|unavailable/i.test(msg) ? 'unreachable' : 'failed', error: text };
  }
  m = CANNOT_INITIALIZE.exec(text);
  if (m) return { reason: PERMISSION.test(text) ? 'permission-denied' : 'failed', program: m[1], error: text };
  m = PERMISSION_PATH.exec(text);
  if (m) return { reason: 'permission-denied', program: baseName(m[1]), error: text };
  m = PROGRAM_FAILURE.exec(text);
  if (m && PERMISSION.test(text)) return { reason: 'permission-denied', program: m[1], error: text };
  return undefined;
}

function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

/** True when the line only accompanies an error (`exit status 127`, a crictl `WARN[…]`). */
export function isCompanionLine(line: string): boolean {
  return COMPANION.test(line.trim());
}

/** Build the `command.error` event of a recognised line. */
export function commandErrorEvent(probe: FileProbe, err: CommandError, line: number, text: string): ParsedEvent {
  const fields: ParsedEvent['fields'] = { command: probe.command, error: err.error, reason: err.reason };
  if (err.program) fields.program = err.program;
  return { source: 'snapshot', kind: 'command.error', severity: 'warning', message: err.error, fields, line, text };
}

/** Largest file taken as "nothing but an error". */
const MAX_ERROR_FILE = 2048;
const MAX_ERROR_LINES = 8;

export const commandError: ParserModule = {
  meta: {
    id: 'command-error',
    title: 'Failed node command',
    description: 'Small command outputs that hold only an error (command not found, permission denied, daemon unreachable), so the evidence they should carry is known to be missing.',
    emits: { 'command.error': ['command', 'error', 'reason', 'program'] },
    sources: ['snapshot'],
    inputs: ['crictl ps -a → `sudo: crictl: command not found`', 'docker ps -a → `Got permission denied while trying to connect to the Docker daemon socket …`', 'dmesg → `dmesg: read kernel buffer failed: Operation not permitted`'],
  },
  detect(probe) {
    const head = probe.head;
    if (head.length === 0 || head.length > MAX_ERROR_FILE) return 0;
    const lines = head.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length === 0 || lines.length > MAX_ERROR_LINES) return 0;
    let errors = 0;
    for (const l of lines) {
      if (BINARY.test(l)) return 0;
      if (parseCommandError(l)) errors++;
      else if (!isCompanionLine(l)) return 0;
    }
    return errors > 0 ? 0.95 : 0;
  },
  create(ctx: ParseContext): LineParser {
    return {
      line(text, lineNo) {
        if (text.trim() === '' || isCompanionLine(text)) return;
        if (BINARY.test(text)) { ctx.warn('command-error.binary', lineNo, 'binary bytes in a command error output'); return; }
        const err = parseCommandError(text);
        if (err) ctx.emit(commandErrorEvent(ctx.file, err, lineNo, text));
        else ctx.warn('command-error.unknown-line', lineNo, 'line that is not a command error');
      },
      end() {},
    };
  },
};

export default commandError;
