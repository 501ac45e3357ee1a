/**
 * `kubectl get …` tables: the default and `-o wide` columns, `-A` with a NAMESPACE column,
 * `-o custom-columns`, and several tables in one file (`kubectl get all`).
 *
 * Sample input:
 *   NAMESPACE     NAME                          READY   STATUS        RESTARTS      AGE   IP           NODE
 *   kube-system   anetd-5x2lq                   1/1     Running       1 (4m ago)    10d   10.200.0.3   node-1
 *   shop          nfs-client-6d5f7c8b9-abcde    0/1     Terminating   0             3d    192.168.1.7  node-2
 *
 *   NAME     STATUS                     ROLES    AGE   VERSION            INTERNAL-IP   OS-IMAGE             KERNEL-VERSION       CONTAINER-RUNTIME
 *   node-1   Ready,SchedulingDisabled   master   10d   v1.20.8-gke.1500   10.200.0.3    Ubuntu 18.04.5 LTS   4.15.0-144-generic   containerd://1.4.6
 *
 * Cells are cut at the header's column offsets, since values hold spaces (`1 (4m ago)`,
 * `Ubuntu 18.04.5 LTS`); a row that does not line up with its header is split on runs of
 * spaces instead.
 *
 * Events: one `k8s.row` per row with `resource` (plural, lower-case: pods, nodes, services …,
 * from the command in the file name, a `pod/…` name prefix, or guessed from the header),
 * `namespace`, `name`, and every column under its lower-case header with spaces as `-`
 * (`ready`, `status`, `restarts`, `age`, `ip`, `node`, `nominated-node`, `internal-ip`,
 * `os-image`, `kernel-version`, `container-runtime`, `cluster-ip`, `external-ip`, `port(s)` …).
 * Whole numbers are numbers; `RESTARTS` `1 (4m ago)` is `restarts` 1 and `restartsAgo` `4m`.
 * Rows of an events table (`LAST SEEN TYPE REASON OBJECT MESSAGE`) also give a `k8s.event`.
 * kubectl's own errors (`error: …`, `Unable to connect to the server: …`) are `log` events.
 *
 * Facts from a nodes table: `node`, `node.role` (ROLES, one fact per role), `node.ip`
 * (INTERNAL-IP), `kubelet` and `kubernetes` (VERSION), `kernel`, `os.name`,
 * `container-runtime` (and the `containerd`/`docker` version it names), per node.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule, Severity } from '../../src/model/parser.js';

// ---------------------------------------------------------------------------------------------
// Columns (shared with kubectl-describe, whose Events and Conditions are such tables)

export interface Column {
  /** Header text as written (`NOMINATED NODE`). */
  title: string;
  /** Offset of the header's first character. */
  start: number;
}

const HEADER_WORD = /^[A-Z][A-Z0-9._/:%#-]*$/;

/** Columns of a header line: titles separated by two or more spaces. */
export function headerColumns(line: string): Column[] {
  const cols: Column[] = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(line); m; m = re.exec(line)) cols.push({ title: m[0], start: m.index });
  return cols;
}

/** True when every title is upper-case words (`NAME`, `NOMINATED NODE`, `PORT(S)`). */
export function isUpperHeader(cols: readonly Column[]): boolean {
  // Units in parentheses may be lower-case: `PORT(S)`, `CPU(cores)`, `MEMORY(bytes)`.
  return cols.length >= 2 && cols.every((c) => c.title.split(' ').every((w) => HEADER_WORD.test(w.replace(/\([A-Za-z]*\)/g, ''))));
}

/**
 * Cells of a row, cut at the column offsets when the row lines up with them (each cell starts
 * after a space), else split on runs of two or more spaces, else on single spaces with the last
 * column taking the rest. `aligned` tells which way was used.
 */
export function splitRow(row: string, cols: readonly Column[]): { cells: string[]; aligned: boolean } {
  let aligned = true;
  for (let i = 1; i < cols.length; i++) {
    const s = cols[i].start;
    if (s >= row.length) break;
    if (row.charCodeAt(s - 1) !== 32 || row.charCodeAt(s) === 32) {
      // A cell may be empty (blank under its header) only if the next one starts on time.
      if (row.charCodeAt(s) === 32 && row.charCodeAt(s - 1) === 32) continue;
      aligned = false;
      break;
    }
  }
  if (aligned) {
    const cells = cols.map((c, i) => row.slice(c.start, i + 1 < cols.length ? cols[i + 1].start : undefined).trim());
    return { cells, aligned };
  }
  let parts = row.trim().split(/ {2,}/);
  if (parts.length !== cols.length) {
    const words = row.trim().split(/\s+/);
    parts = words.length >= cols.length ? [...words.slice(0, cols.length - 1), words.slice(cols.length - 1).join(' ')] : words;
  }
  while (parts.length < cols.length) parts.push('');
  return { cells: parts, aligned };
}

/** Field name of a column title: lower-case, spaces as `-`. */
export function fieldName(title: string): string {
  return title.toLowerCase().replace(/ /g, '-');
}

// ---------------------------------------------------------------------------------------------
// Resources

const ALIASES: Record<string, string> = {
  po: 'pods', pod: 'pods', no: 'nodes', node: 'nodes', svc: 'services', service: 'services',
  ep: 'endpoints', endpoint: 'endpoints', deploy: 'deployments', deployment: 'deployments',
  ds: 'daemonsets', daemonset: 'daemonsets', rs: 'replicasets', replicaset: 'replicasets',
  sts: 'statefulsets', statefulset: 'statefulsets', ns: 'namespaces', namespace: 'namespaces',
  cm: 'configmaps', configmap: 'configmaps', secret: 'secrets', pv: 'persistentvolumes',
  pvc: 'persistentvolumeclaims', ing: 'ingresses', ingress: 'ingresses', netpol: 'networkpolicies',
  ev: 'events', event: 'events', cs: 'componentstatuses', sa: 'serviceaccounts',
  crd: 'customresourcedefinitions', crds: 'customresourcedefinitions', job: 'jobs', cj: 'cronjobs', cronjob: 'cronjobs',
  hpa: 'horizontalpodautoscalers', pdb: 'poddisruptionbudgets', sc: 'storageclasses', csr: 'certificatesigningrequests',
  endpointslice: 'endpointslices', limits: 'limitranges', quota: 'resourcequotas', rc: 'replicationcontrollers',
};

/** `pod`, `po`, `pods.v1.`, `clusters.baremetal.cluster.gke.io` → plural lower-case resource. */
export function normaliseResource(spec: string): string {
  const base = spec.toLowerCase().split('.')[0].split('/')[0];
  if (base === 'all') return base;
  if (base in ALIASES) return ALIASES[base];
  if (base.endsWith('s')) return base;
  if (/[^aeiou]y$/.test(base)) return `${base.slice(0, -1)}ies`;
  return `${base}s`;
}

const FLAGS_WITH_VALUE = new Set([
  '-n', '--namespace', '-o', '--output', '-l', '--selector', '--field-selector', '--sort-by', '-L', '--label-columns',
  '--kubeconfig', '--context', '--cluster', '--user', '-s', '--server', '--chunk-size', '--template', '-c',
]);

/** Resource(s) and namespace named by a `kubectl get …` command line. */
export function parseKubectlGet(command: string): { resources: string[]; namespace?: string; allNamespaces: boolean } | undefined {
  const words = command.split(' ');
  const get = words.indexOf('get');
  if (!words.includes('kubectl') || get === -1) return undefined;
  let namespace: string | undefined;
  let allNamespaces = false;
  let spec: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '-A' || w === '--all-namespaces') allNamespaces = true;
    else if (w === '-n' || w === '--namespace') namespace = words[i + 1];
    else if (w.startsWith('--namespace=')) namespace = w.slice(12);
    else if (w.startsWith('-n') && w.length > 2 && !w.startsWith('--')) namespace = w.slice(2);
    if (w.startsWith('-')) { if (FLAGS_WITH_VALUE.has(w)) i++; continue; }
    if (i > get && spec === undefined) spec = w;
  }
  const resources = spec ? spec.split(',').filter((s) => s !== '').map(normaliseResource) : [];
  return { resources, namespace, allNamespaces };
}

/** Resource a header describes, when the file name does not say. */
export function guessResource(titles: ReadonlySet<string>): string | undefined {
  const has = (...t: string[]) => t.every((x) => titles.has(x));
  if (has('LAST SEEN', 'REASON') || has('LAST SEEN', 'TYPE', 'OBJECT')) return 'events';
  if (has('READY', 'STATUS', 'RESTARTS')) return 'pods';
  if (has('STATUS', 'ROLES', 'VERSION')) return 'nodes';
  if (has('TYPE', 'CLUSTER-IP')) return 'services';
  if (has('ADDRESSTYPE', 'ENDPOINTS')) return 'endpointslices';
  if (has('ENDPOINTS')) return 'endpoints';
  if (has('DESIRED', 'CURRENT', 'NODE SELECTOR')) return 'daemonsets';
  if (has('READY', 'UP-TO-DATE', 'AVAILABLE')) return 'deployments';
  if (has('DESIRED', 'CURRENT', 'READY')) return 'replicasets';
  if (has('COMPLETIONS', 'DURATION')) return 'jobs';
  if (has('SCHEDULE', 'SUSPEND')) return 'cronjobs';
  if (has('POD-SELECTOR')) return 'networkpolicies';
  if (has('VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS') && titles.has('NAMESPACE')) return 'persistentvolumeclaims';
  if (has('CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY')) return 'persistentvolumes';
  if (has('TYPE', 'DATA')) return 'secrets';
  if (has('DATA', 'AGE')) return 'configmaps';
  if (has('SECRETS', 'AGE')) return 'serviceaccounts';
  if (has('STATUS', 'AGE') && titles.size <= 3) return 'namespaces';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Cells

const RESTARTS = /^(\d+) \((.+) ago\)$/;
const INTEGER = /^\d{1,15}$/;
const NAME_PREFIX = /^([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*)\/(.+)$/;
const KUBECTL_ERROR = /^(?:error: |Error from server|Unable to connect to the server|The connection to the server .* was refused|[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [^\]]*\] )/;
const KLOG_LEVEL: Record<string, Severity> = { I: 'info', W: 'warning', E: 'error', F: 'fatal' };
const NO_RESOURCES = /^No resources found/;
const EVENT_COUNT = /^(.*?) \(x(\d+) over (\S+)\)$/;

function cellValue(value: string): FieldValue {
  return INTEGER.test(value) ? Number(value) : value;
}

// ---------------------------------------------------------------------------------------------
// Parser

interface Table {
  cols: Column[];
  names: string[];
  /** Indexes of the NAME, NAMESPACE and RESTARTS columns, or -1. */
  nameAt: number;
  namespaceAt: number;
  restartsAt: number;
  resource: string | undefined;
  misaligned: boolean;
  header: number;
}

const NAME_TITLES = new Set(['NAME', 'NAMESPACE']);
const AGE_LIKE = /^(?:AGE|LAST SEEN|CREATED|STATUS|READY)$/;

function isTableHeader(line: string, named: boolean): Column[] | undefined {
  const c = line.charCodeAt(0);
  if (c < 65 || c > 90) return undefined; // starts with an upper-case letter
  const cols = headerColumns(line);
  if (!isUpperHeader(cols) || cols[0].start !== 0) return undefined;
  if (NAME_TITLES.has(cols[0].title) || cols[0].title === 'LAST SEEN') return cols;
  // Custom columns may call their first column anything, but only in a file named as kubectl get.
  return named ? cols : undefined;
}

class TableReader implements LineParser {
  private table: Table | undefined;
  private readonly cmd: ReturnType<typeof parseKubectlGet>;

  constructor(private readonly ctx: ParseContext) {
    this.cmd = parseKubectlGet(ctx.file.command);
  }

  line(text: string, lineNo: number): void {
    if (text.trim() === '') { this.table = undefined; return; }
    const header = isTableHeader(text, this.cmd !== undefined);
    // Inside a table only a NAME/NAMESPACE header starts another one (`kubectl get all` without blank lines).
    if (header && (!this.table || NAME_TITLES.has(header[0].title) || header[0].title === 'LAST SEEN')) {
      this.startTable(header, lineNo);
      return;
    }
    if (KUBECTL_ERROR.test(text)) {
      // kubectl's own stderr: client errors, and klog lines (`E0615 … memcache.go:255] couldn't get resource list …`).
      const severity = /^[IWEF]\d{4} /.test(text) ? KLOG_LEVEL[text[0]] : 'error';
      this.ctx.emit({ source: 'kubectl', kind: 'log', severity, message: text, fields: {}, line: lineNo, text });
      return;
    }
    if (NO_RESOURCES.test(text)) return;
    const t = this.table;
    if (!t) { this.ctx.warn('kubectl-table.orphan-line', lineNo, 'line outside any table (no header before it)'); return; }
    this.row(t, text, lineNo);
  }

  end(): void {
    this.table = undefined;
  }

  private startTable(cols: Column[], lineNo: number): void {
    const titles = new Set(cols.map((c) => c.title));
    const guessed = guessResource(titles);
    const named = this.cmd?.resources.length === 1 && this.cmd.resources[0] !== 'all' ? this.cmd.resources[0] : undefined;
    const at = (title: string) => cols.findIndex((c) => c.title === title);
    this.table = {
      cols, names: cols.map((c) => fieldName(c.title)), nameAt: at('NAME'), namespaceAt: at('NAMESPACE'), restartsAt: at('RESTARTS'),
      resource: named ?? guessed, misaligned: false, header: lineNo,
    };
  }

  private row(t: Table, text: string, lineNo: number): void {
    const { cells, aligned } = splitRow(text, t.cols);
    if (!aligned && !t.misaligned) {
      t.misaligned = true;
      this.ctx.warn('kubectl-table.misaligned', lineNo, `row does not line up with the header at line ${t.header}; split on spaces`);
    }
    // Built in its final key order (resource, namespace, name, columns) without copies.
    const fields: Record<string, FieldValue> = { resource: '' };
    const namespace = t.namespaceAt >= 0 ? cells[t.namespaceAt] ?? '' : this.cmd?.namespace;
    if (namespace !== undefined) fields.namespace = namespace;
    fields.name = '';
    let resource = t.resource;
    let name = '';
    if (t.nameAt >= 0) {
      const v = cells[t.nameAt] ?? '';
      const p = v.indexOf('/') > 0 ? NAME_PREFIX.exec(v) : null;
      if (p && (resource === undefined || this.cmd?.resources.length !== 1 || this.cmd.resources[0] === 'all')) {
        resource = normaliseResource(p[1]);
        name = p[2];
      } else {
        name = v;
      }
    }
    for (let i = 0; i < t.cols.length; i++) {
      if (i === t.nameAt || i === t.namespaceAt) continue;
      const v = cells[i] ?? '';
      if (i === t.restartsAt) {
        const r = RESTARTS.exec(v);
        if (r) { fields.restarts = Number(r[1]); fields.restartsAgo = r[2]; continue; }
      }
      fields[t.names[i]] = cellValue(v);
    }
    if (t.nameAt < 0) {
      // No NAME column (events, custom columns): the object's name, else the first column that is not the namespace.
      const i = t.namespaceAt === 0 ? 1 : 0;
      name = cells[i] ?? '';
      const object = typeof fields.object === 'string' ? NAME_PREFIX.exec(fields.object) : null;
      if (object) name = object[2];
    }
    fields.resource = resource ?? 'unknown';
    fields.name = name;
    const e: ParsedEvent = { source: 'kubectl', kind: 'k8s.row', fields, line: lineNo, text };
    const node = resource === 'nodes' ? name : resource === 'pods' && typeof fields.node === 'string' && fields.node !== '<none>' ? fields.node : undefined;
    if (node) e.node = node;
    this.ctx.emit(e);
    if (resource === 'nodes') this.nodeFacts(name, fields, lineNo);
    if (resource === 'clusters') this.clusterFacts(name, fields, lineNo);
    if (resource === 'events') this.event(fields, name, namespace, text, lineNo);
  }

  private nodeFacts(node: string, f: Record<string, FieldValue>, line: number): void {
    if (node === '') return;
    const s = (k: string) => (typeof f[k] === 'string' && f[k] !== '' && f[k] !== '<none>' && f[k] !== '<unknown>' ? (f[k] as string) : undefined);
    this.ctx.fact('node', node, line, node);
    for (const role of (s('roles') ?? '').split(',')) if (role !== '') this.ctx.fact('node.role', role, line, node);
    const ip = s('internal-ip');
    if (ip) this.ctx.fact('node.ip', ip, line, node);
    const version = s('version');
    if (version) { this.ctx.fact('kubelet', version, line, node); this.ctx.fact('kubernetes', version, line, node); }
    const kernel = s('kernel-version');
    if (kernel) this.ctx.fact('kernel', kernel, line, node);
    const os = s('os-image');
    if (os) this.ctx.fact('os.name', os, line, node);
    const runtime = s('container-runtime');
    if (runtime) {
      this.ctx.fact('container-runtime', runtime, line, node);
      const m = /^(containerd|docker):\/\/v?(\d[\w.+-]*)$/.exec(runtime);
      if (m) this.ctx.fact(m[1], m[2], line, node);
    }
  }

  private clusterFacts(name: string, f: Record<string, FieldValue>, line: number): void {
    const version = f['abm-version'] ?? f['anthosbaremetalversion'];
    if (name !== '') this.ctx.fact('cluster.name', name, line);
    if (typeof version === 'string' && version !== '' && version !== '<none>') this.ctx.fact('anthos-bare-metal', version, line);
  }

  /** An events-table row as a `k8s.event`, like the Events section of `kubectl describe`. */
  private event(f: Record<string, FieldValue>, name: string, namespace: string | undefined, text: string, line: number): void {
    const str = (k: string) => (f[k] === undefined ? undefined : String(f[k]));
    const type = str('type');
    const fields: Record<string, FieldValue> = {};
    if (type) fields.type = type;
    const reason = str('reason');
    if (reason) fields.reason = reason;
    let age = str('last-seen') ?? str('age');
    if (age) {
      const m = EVENT_COUNT.exec(age);
      if (m) { age = m[1]; fields.count = Number(m[2]); fields.over = m[3]; }
      fields.age = age;
    }
    if (typeof f.count === 'number') fields.count = f.count;
    const from = str('source') ?? str('from');
    if (from) fields.from = from;
    // `OBJECT` is `pod/name`; tables from kubectl < 1.14 have NAME and KIND instead.
    const object = str('object');
    const p = object ? NAME_PREFIX.exec(object) : null;
    if (p) { fields.objectKind = p[1]; fields.object = p[2]; }
    else if (object) fields.object = object;
    else if (name !== '') { fields.object = name; if (f.kind !== undefined) fields.objectKind = String(f.kind); }
    if (namespace !== undefined) fields.namespace = namespace;
    const message = str('message') ?? '';
    fields.message = message;
    this.ctx.emit({
      source: 'kubectl', kind: 'k8s.event', severity: type === 'Warning' ? 'warning' : type === 'Normal' ? 'info' : undefined,
      message, fields, line, text,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Detection

const KUBECTL_GET = /\bkubectl\b.*\bget\b/;
const NOT_A_TABLE = /(?:-o ?|--output[= ])(?:yaml|json|jsonpath|go-template|name|template)\b/;

function detect(probe: FileProbe): number {
  const named = KUBECTL_GET.test(probe.command) && !NOT_A_TABLE.test(probe.command);
  const first = probe.head.split('\n', 20).find((l) => l.trim() !== '' && !NO_RESOURCES.test(l) && !KUBECTL_ERROR.test(l));
  if (first === undefined) return named ? 0.5 : 0;
  const cols = isTableHeader(first.replace(/\r$/, ''), named);
  if (!cols) return named ? 0.5 : 0;
  if (named) return 1;
  // Without the name, only a header that is clearly kubectl's: NAME/NAMESPACE first and an AGE-like column.
  const titles = cols.map((c) => c.title);
  if (titles.some((t) => t.includes('MAJ:MIN'))) return 0; // lsblk
  return titles.some((t) => AGE_LIKE.test(t)) ? 0.8 : 0.2;
}

export const kubectlTable: ParserModule = {
  meta: {
    id: 'kubectl-table',
    title: 'kubectl get tables',
    description: 'kubectl get output in table form (-o wide, -A, custom columns, several tables per file), one event per row; node versions as facts.',
    emits: {
      'k8s.row': [
        'resource', 'namespace', 'name', 'ready', 'status', 'restarts', 'restartsAgo', 'age', 'ip', 'node',
        'nominated-node', 'readiness-gates', 'roles', 'version', 'internal-ip', 'external-ip', 'os-image',
        'kernel-version', 'container-runtime', 'type', 'cluster-ip', 'port(s)', 'endpoints', 'selector',
        'up-to-date', 'available', 'desired', 'current', 'node-selector', 'data', 'last-seen', 'reason',
        'object', 'message', '*',
      ],
      'k8s.event': ['type', 'reason', 'age', 'count', 'over', 'from', 'object', 'objectKind', 'namespace', 'message'],
      log: [],
    },
    sources: ['kubectl'],
    inputs: ['kubectl get pods -o wide -n kube-system', 'kubectl get nodes -o wide', 'kubectl get svc -A', 'kubectl get all -A', 'kubectl get events -A'],
  },
  detect,
  create(ctx: ParseContext): LineParser {
    return new TableReader(ctx);
  },
};

export default kubectlTable;
