/**
 * Mounted file systems: `mount` output, `/proc/mounts`, `/proc/self/mountinfo` and `/etc/fstab`.
 *
 * Sample input:
 *   /dev/sda1 on / type ext4 (rw,relatime)                                        (mount)
 *   cgroup2 on /sys/fs/cgroup type cgroup2 (rw,nosuid,nodev,noexec,relatime,nsdelegate)
 *   tmpfs /tmp tmpfs rw,nosuid,nodev,noexec,relatime 0 0                          (/proc/mounts)
 *   36 25 0:31 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate (mountinfo)
 *   UUID=4f1c-… /boot ext4 defaults 0 2                                           (/etc/fstab)
 *
 * Events: one `mount` per row: `device`, `mountpoint`, `fstype`, `options` (as printed),
 * `readonly` (`ro`), `noexec`, `nosuid`, `nodev`, and `origin` (`runtime` for what is mounted,
 * `config` for fstab). Octal escapes of /proc/mounts (`\040`) are decoded. Facts:
 * `cgroup.version` = `2` when cgroup2 is mounted on /sys/fs/cgroup, `1` when any cgroup v1
 * hierarchy is mounted (a hybrid host counts as v1).
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParserModule } from '../../src/model/parser.js';

/** `dev on /path type fs (opts)`, optionally followed by ` [label]` (mount -l). */
const MOUNT_LINE = /^(\S+) on (.+?) type (\S+) \((.*)\)(?: \[[^\]]*\])?\s*$/;
/** `/proc/mounts` and fstab: `dev mountpoint fstype options [dump [pass]]`. */
const TABLE_LINE = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+(\d+))?(?:\s+(\d+))?\s*$/;
/** `/proc/self/mountinfo`: `id parent major:minor root mountpoint opts [optional…] - fstype source superopts`. */
const MOUNTINFO_LINE = /^\d+ \d+ \d+:\d+ (\S+) (\S+) (\S+)(?: [^-]\S*)* - (\S+) (\S+) (\S+)\s*$/;
const COMMENT = /^\s*(?:#|$)/;
const FSTYPE = /^[a-z0-9][\w.+-]*$/;
const NAME = /^mount(?: -[lv])?$|(?:^|\/|\s)(?:proc|etc) ?\/?(?:mounts|fstab|self ?\/?mountinfo|\d+ ?\/?mount(?:s|info))$/;
const PATH = /(?:^|\/)(?:proc\/(?:self|\d+)\/mount(?:s|info)|proc\/mounts|etc\/fstab)$|(?:^|_)(?:proc_mounts|etc_fstab|proc_self_mount(?:s|info))$/;
const OCTAL = /\\([0-7]{3})/g;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;

function unescape(s: string): string {
  return s.includes('\\') ? s.replace(OCTAL, (_, o: string) => String.fromCharCode(parseInt(o, 8))) : s;
}

type Origin = 'runtime' | 'config';

function isFstab(probe: Pick<FileProbe, 'path' | 'command'>): boolean {
  return /fstab$/.test(probe.path) || /fstab$/.test(probe.command);
}

interface Row { device: string; mountpoint: string; fstype: string; options: string }

function parseRow(text: string): Row | undefined {
  let m = MOUNT_LINE.exec(text);
  if (m) return { device: m[1], mountpoint: m[2], fstype: m[3], options: m[4] };
  m = MOUNTINFO_LINE.exec(text);
  if (m) return { device: unescape(m[5]), mountpoint: unescape(m[2]), fstype: m[4], options: m[3] };
  m = TABLE_LINE.exec(text);
  if (m && FSTYPE.test(m[3]) && (m[2].startsWith('/') || m[2] === 'none' || m[2] === 'swap')) {
    return { device: unescape(m[1]), mountpoint: unescape(m[2]), fstype: m[3], options: m[4] };
  }
  return undefined;
}

export const mount: ParserModule = {
  meta: {
    id: 'mount',
    title: 'Mounted file systems',
    description: '`mount` output, /proc/mounts, /proc/self/mountinfo and /etc/fstab rows, with read-only/noexec flags and the cgroup version.',
    emits: { mount: ['device', 'mountpoint', 'fstype', 'options', 'readonly', 'noexec', 'nosuid', 'nodev', 'origin'] },
    sources: ['mount'],
    inputs: ['mount', '/proc/mounts', '/proc/self/mountinfo', '/etc/fstab'],
  },
  detect(probe) {
    const named = NAME.test(probe.command) || PATH.test(probe.path);
    const lines = probe.head.split('\n', 30).filter((l) => !COMMENT.test(l));
    if (lines.length === 0) return 0;
    const mountLines = lines.filter((l) => MOUNT_LINE.test(l) || MOUNTINFO_LINE.test(l)).length;
    if (mountLines / lines.length >= 0.6) return named ? 1 : 0.8;
    // /proc/mounts rows alone are too plain to be sure of; the kernel's own mounts make them so.
    const rows = lines.filter((l) => parseRow(l) !== undefined);
    if (rows.length / lines.length >= 0.6) {
      if (named) return 1;
      return rows.some((l) => /^(?:sysfs|proc|devpts|cgroup2?) \/\S* (?:sysfs|proc|devpts|cgroup2?) /.test(l)) ? 0.8 : 0.2;
    }
    return named ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    const origin: Origin = isFstab(ctx.file) ? 'config' : 'runtime';
    let v1Seen = false;
    let v2Seen = false;
    return {
      line(text, lineNo) {
        if (COMMENT.test(text)) return;
        if (BINARY.test(text)) { ctx.warn('mount.binary', lineNo, 'binary bytes in a mount table'); return; }
        const row = parseRow(text);
        if (!row) { ctx.warn('mount.bad-line', lineNo, 'line is not a mount row'); return; }
        const opts = row.options.split(',');
        const fields: Record<string, FieldValue> = {
          device: row.device, mountpoint: row.mountpoint, fstype: row.fstype, options: row.options,
          readonly: opts.includes('ro'), noexec: opts.includes('noexec'), nosuid: opts.includes('nosuid'), nodev: opts.includes('nodev'),
          origin,
        };
        ctx.emit({ source: 'mount', kind: 'mount', fields, line: lineNo, text });
        if (origin !== 'runtime') return;
        if (row.fstype === 'cgroup2' && row.mountpoint === '/sys/fs/cgroup' && !v2Seen) {
          v2Seen = true;
          ctx.fact('cgroup.version', '2', lineNo);
        } else if (row.fstype === 'cgroup' && !v1Seen) {
          v1Seen = true;
          ctx.fact('cgroup.version', '1', lineNo);
        }
      },
      end() {},
    };
  },
};

export default mount;
