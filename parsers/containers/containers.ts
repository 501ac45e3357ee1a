/**
 * Container lists: `docker ps -a` and `crictl ps -a` tables, sliced by the header's column
 * offsets (values such as `2 hours ago` hold spaces, and PORTS may be empty).
 *
 * Sample input:
 *   CONTAINER ID   IMAGE                  COMMAND                  CREATED        STATUS                      PORTS     NAMES
 *   3f4e5d6c7b8a   k8s.gcr.io/pause:3.2   "/pause"                 2 hours ago    Up 2 hours                            k8s_POD_kube-proxy-x7k2p_kube-system_5b1c…_0
 *   9a8b7c6d5e4f   a0b1c2d3e4f5           "/usr/local/bin/kube…"   3 minutes ago  Exited (1) 3 minutes ago              k8s_kube-proxy_kube-proxy-x7k2p_kube-system_5b1c…_4
 *   CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD
 *   1f73f2d81bf98       3a2d1a9a4d3e7       2 hours ago         Running             kube-proxy          0                   9d4c8f3a2b1e0       kube-proxy-x7k2p
 *
 * Events: one `container` per row: `id`, `image`, `command`, `created`, `status` (as printed),
 * `state` (running, exited, created, paused, restarting, dead, removing, unknown), `exitCode`,
 * `name` (as printed), `container` (the container's own name, also read from docker's
 * `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>` names), `pod`, `namespace`, `podId`,
 * `attempt`, `ports` and `runtime` (`docker` or `cri`). Error lines in the output (`FATA[0002]
 * listing containers: … permission denied`, `Cannot connect to the Docker daemon …`) become
 * `command.error` events; crictl's `WARN[…]` notices are skipped.
 */
import type { FieldValue, LineParser, ParseContext, ParserModule } from '../../src/model/parser.js';
import { commandErrorEvent, isCompanionLine, parseCommandError } from '../command-error/command-error.js';

const DOCKER_HEADER = /^CONTAINER ID\s{2,}IMAGE\s{2,}.*\bNAMES\s*$/;
const CRI_HEADER = /^CONTAINER(?: ID)?\s{2,}IMAGE\s{2,}.*\bSTATE\s{2,}.*\bNAME\b/;
const COLUMN = /\S+(?: \S+)*/g;
const ID = /^[0-9a-f]{12,64}$/;
const K8S_NAME = /^k8s_([^_]+)_([^_]+)_([^_]+)_([^_]+)_(\d+)$/;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;
const NAME = /^(?:docker|nerdctl|podman) (?:container )?(?:ps|ls)\b|^crictl (?:ps|containers)\b/;

interface Column { title: string; start: number }

/** Column titles and start offsets of a header line. */
export function headerColumns(header: string): Column[] {
  const out: Column[] = [];
  for (const m of header.matchAll(COLUMN)) out.push({ title: m[0], start: m.index ?? 0 });
  return out;
}

/** Slice a row by the header's offsets. */
export function sliceRow(row: string, cols: readonly Column[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < cols.length; i++) {
    const end = i + 1 < cols.length ? cols[i + 1].start : undefined;
    out[cols[i].title] = row.slice(cols[i].start, end).trim();
  }
  return out;
}

/** `Up 2 hours (healthy)`, `Exited (137) 3 minutes ago` → state and exit code. */
export function dockerState(status: string): { state: string; exitCode?: number } {
  if (status.startsWith('Up ')) return { state: /\(Paused\)/.test(status) ? 'paused' : 'running' };
  let m = /^Exited \((-?\d+)\)/.exec(status);
  if (m) return { state: 'exited', exitCode: Number(m[1]) };
  m = /^Restarting \((-?\d+)\)/.exec(status);
  if (m) return { state: 'restarting', exitCode: Number(m[1]) };
  if (status.startsWith('Created')) return { state: 'created' };
  if (status.startsWith('Dead')) return { state: 'dead' };
  if (status.startsWith('Removal In Progress')) return { state: 'removing' };
  return { state: 'unknown' };
}

/** crictl states: `Running`, `Exited`, `CONTAINER_EXITED` → `running`, `exited`. */
function criState(state: string): string {
  return state.toLowerCase().replace(/^container_/, '') || 'unknown';
}

function firstLines(head: string): string[] {
  return head.split('\n', 12).filter((l) => l.trim() !== '' && !isCompanionLine(l));
}

export const containers: ParserModule = {
  meta: {
    id: 'containers',
    title: 'Container lists (docker ps / crictl ps)',
    description: '`docker ps -a` and `crictl ps -a` tables read by column offsets, with state and exit code, pod and namespace; errors in the output become command.error events.',
    emits: {
      container: ['id', 'shortId', 'image', 'command', 'created', 'status', 'state', 'exitCode', 'name', 'container', 'pod', 'namespace', 'podId', 'attempt', 'ports', 'runtime'],
      'command.error': ['command', 'error', 'reason', 'program'],
    },
    sources: ['docker', 'crictl', 'snapshot'],
    inputs: ['docker ps -a', 'crictl ps -a', 'docker ps -a || true'],
  },
  detect(probe) {
    const named = NAME.test(probe.command);
    const lines = firstLines(probe.head);
    if (lines.length === 0) return 0;
    const header = lines.slice(0, 4).some((l) => DOCKER_HEADER.test(l) || CRI_HEADER.test(l));
    if (header) return named ? 1 : 0.8;
    return named ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    let cols: Column[] | undefined;
    let runtime: 'docker' | 'cri' = 'docker';
    let lastStart = 0;
    return {
      line(text, lineNo) {
        if (text.trim() === '') return;
        if (BINARY.test(text)) { ctx.warn('containers.binary', lineNo, 'binary bytes in a container list'); return; }
        if (DOCKER_HEADER.test(text) || CRI_HEADER.test(text)) {
          runtime = CRI_HEADER.test(text) ? 'cri' : 'docker';
          cols = headerColumns(text);
          lastStart = cols[cols.length - 1].start;
          return;
        }
        const firstWord = /^\S+/.exec(text)?.[0] ?? '';
        if (cols && ID.test(firstWord)) {
          const v = sliceRow(text, cols);
          const id = v['CONTAINER ID'] ?? v.CONTAINER;
          if (!ID.test(id)) { ctx.warn('containers.misaligned', lineNo, 'row does not line up with the header columns'); return; }
          if (text.length <= lastStart) ctx.warn('containers.truncated', lineNo, 'row ends before the last column');
          ctx.emit({ source: runtime === 'docker' ? 'docker' : 'crictl', kind: 'container', fields: runtime === 'docker' ? dockerFields(v) : criFields(v), line: lineNo, text });
          return;
        }
        if (isCompanionLine(text)) return;
        const err = parseCommandError(text);
        if (err) { ctx.emit(commandErrorEvent(ctx.file, err, lineNo, text)); return; }
        ctx.warn(cols ? 'containers.bad-row' : 'containers.no-header', lineNo, cols ? 'row does not start with a container id' : 'line before any container table header');
      },
      end() {},
    };
  },
};

const SHORT_ID = /^[0-9a-f]{12}/;

function dockerFields(v: Record<string, string>): Record<string, FieldValue> {
  const status = v.STATUS ?? '';
  const { state, exitCode } = dockerState(status);
  const name = v.NAMES ?? '';
  const fields: Record<string, FieldValue> = {
    id: v['CONTAINER ID'], image: v.IMAGE ?? '', command: unquoteCommand(v.COMMAND ?? ''), created: v.CREATED ?? '',
    status, state, name, container: name, runtime: 'docker',
  };
  // `docker ps -a` shows 12 characters of the id, `--no-trunc` all 64: compare on the prefix.
  if (SHORT_ID.test(fields.id as string)) fields.shortId = (fields.id as string).slice(0, 12);
  if (exitCode !== undefined) fields.exitCode = exitCode;
  if (v.PORTS) fields.ports = v.PORTS;
  const k = K8S_NAME.exec(name);
  if (k) {
    fields.container = k[1];
    fields.pod = k[2];
    fields.namespace = k[3];
    fields.attempt = Number(k[5]);
  }
  return fields;
}

function criFields(v: Record<string, string>): Record<string, FieldValue> {
  const stateText = v.STATE ?? '';
  const fields: Record<string, FieldValue> = {
    id: v.CONTAINER ?? v['CONTAINER ID'], image: v.IMAGE ?? '', created: v.CREATED ?? '', status: stateText, state: criState(stateText),
    name: v.NAME ?? '', container: v.NAME ?? '', runtime: 'cri',
  };
  if (v.ATTEMPT && /^\d+$/.test(v.ATTEMPT)) fields.attempt = Number(v.ATTEMPT);
  if (v['POD ID']) fields.podId = v['POD ID'];
  if (v.POD) fields.pod = v.POD;
  return fields;
}

/** docker prints COMMAND quoted (`"/pause"`), truncated with `…`; keep the text inside the quotes. */
function unquoteCommand(c: string): string {
  return c.length >= 2 && c.startsWith('"') && c.endsWith('"') ? c.slice(1, -1) : c;
}

export default containers;
