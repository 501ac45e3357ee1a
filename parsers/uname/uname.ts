/**
 * Kernel identity: `uname -a` and `uname -r`.
 *
 * Sample input:
 *   Linux node-1 5.4.0-77-generic #86-Ubuntu SMP Thu Jun 17 02:35:03 UTC 2021 x86_64 x86_64 x86_64 GNU/Linux
 *   Linux rhel8-node 4.18.0-305.el8.x86_64 #1 SMP Thu Apr 29 08:54:30 EDT 2021 x86_64 x86_64 x86_64 GNU/Linux
 *   5.8.0-63-generic                                                           (uname -r)
 *
 * Events: one `uname` per line: `kernel` (the release), `hostname`, `arch`, `build` (the
 * `#86-Ubuntu SMP …` version string) and `os`. `uname -r` gives `kernel` only, and is taken
 * only when the file name says so (a bare version could be anything). Fact: `kernel`.
 */
import type { FieldValue, LineParser, ParseContext, ParserModule } from '../../src/model/parser.js';

const ARCH = String.raw`x86_64|amd64|aarch64|arm64|armv\d+l?|ppc64le|ppc64|s390x|i[3-6]86|riscv64|mips64|unknown`;
/** `Linux host release #build … arch [processor platform] os`. */
const UNAME_A = new RegExp(String.raw`^(Linux) (\S+) (\d+\.\d+[\w.+~-]*) (#\S.*?) (${ARCH})(?: (?:${ARCH}))*(?: (\S+))?\s*$`);
const RELEASE = /^\s*(\d+\.\d+(?:\.\d+)?[\w.+~-]*)\s*$/;
const NAME_A = /^uname (?:-a|--all)\b/;
const NAME_R = /^uname (?:-r|--kernel-release)\b/;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;

export const uname: ParserModule = {
  meta: {
    id: 'uname',
    title: 'Kernel identity (uname)',
    description: '`uname -a` (kernel release, host name, architecture, build) and `uname -r`; records the kernel fact.',
    emits: { uname: ['kernel', 'hostname', 'arch', 'build', 'os'] },
    sources: ['uname'],
    inputs: ['uname -a', 'uname -r'],
  },
  detect(probe) {
    const lines = probe.head.split('\n', 5).filter((l) => l.trim() !== '');
    if (lines.length === 0 || lines.length > 3) return 0;
    if (NAME_R.test(probe.command)) return RELEASE.test(lines[0]) ? 1 : 0.5;
    const full = UNAME_A.test(lines[0]);
    const named = NAME_A.test(probe.command) || /^uname(?: |$)/.test(probe.command);
    if (full) return named ? 1 : 0.8;
    return named ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    const releaseOnly = NAME_R.test(ctx.file.command);
    let seen = false;
    return {
      line(text, lineNo) {
        if (text.trim() === '') return;
        if (BINARY.test(text)) { ctx.warn('uname.binary', lineNo, 'binary bytes in uname output'); return; }
        const a = UNAME_A.exec(text);
        const r = a ? null : releaseOnly ? RELEASE.exec(text) : null;
        if (!a && !r) { ctx.warn('uname.bad-line', lineNo, 'line is not `uname -a` or `uname -r` output'); return; }
        const fields: Record<string, FieldValue> = {};
        if (a) {
          fields.kernel = a[3];
          fields.hostname = a[2];
          fields.arch = a[5];
          fields.build = a[4];
          fields.os = a[6] ?? a[1];
        } else if (r) {
          fields.kernel = r[1];
        }
        ctx.emit({ source: 'uname', kind: 'uname', message: text.trim(), fields, line: lineNo, text });
        if (!seen) ctx.fact('kernel', fields.kernel as string, lineNo);
        seen = true;
      },
      end() {},
    };
  },
};

export default uname;
