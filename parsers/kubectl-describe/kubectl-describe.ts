/**
 * `kubectl describe <kind>` output: one or many objects, each a block of `Key:  value` lines
 * with indented sections, a `Conditions:` table and an `Events:` table at the end.
 *
 * Sample input:
 *   Name:         coredns-6b8c9d7f5-ztr2p
 *   Namespace:    kube-system
 *   Status:       Pending
 *   Events:
 *     Type     Reason                  Age                 From     Message
 *     ----     ------                  ----                ----     -------
 *     Warning  FailedCreatePodSandBox  3m (x12 over 5m)    kubelet  Failed to create pod sandbox: rpc error: …
 *
 * Events: one `k8s.describe` per object (emitted at its end, spanning its lines) with
 * `objectKind` (from the command, a `Kind:` line, or the shape of the object), `name`,
 * `namespace`, `status`, each top-level `Key: value` under its lower-camel-cased key
 * (`Start Time` → `startTime`, `QoS Class` → `qosClass`, `Controlled By` → `controlledBy`;
 * wrapped values such as Labels joined with `,`), `condition.<Type>` (and `.reason`) from the
 * Conditions table, Node System Info (`kubeletVersion`, `kernelVersion`, `osImage`,
 * `containerRuntimeVersion` …), and for Pods `restartCount` (sum), `oomKilled`, `waitingReason`.
 * Each Events row is a `k8s.event` (`type`, `reason`, `age`, `count` and `over` from
 * `(x12 over 5m)`, `from`, `message`, and the object's `object`/`objectKind`/`namespace`); a
 * message wrapped over several lines is joined.
 *
 * Facts from a Node: `node`, `node.role` (one per role), `node.ip` (the InternalIP address), `kubelet`,
 * `kubernetes`, `kube-proxy`, `kernel`, `os.name`, `container-runtime`.
 */
import type { FieldValue, FileProbe, LineParser, ParseContext, ParsedEvent, ParserModule } from '../../src/model/parser.js';
import { headerColumns, splitRow, type Column } from '../kubectl-table/kubectl-table.js';

const MAX_VALUE = 4096;
/** Most fields kept per object (top-level keys, conditions, system info). */
const MAX_KEYS = 200;

const TOP_KEY = /^([A-Z][A-Za-z0-9 ./()_-]*?):(?:[ \t]+(.*))?$/;
const NESTED_KEY = /^( +)([A-Z][A-Za-z0-9 ./()_-]*?):(?:[ \t]+(.*))?$/;
const EVENT_AGE = /^(.*?) \(x(\d+) over (\S+)\)$/;

const KINDS: Record<string, string> = {
  po: 'Pod', pod: 'Pod', pods: 'Pod', no: 'Node', node: 'Node', nodes: 'Node',
  svc: 'Service', service: 'Service', services: 'Service', ep: 'Endpoints', endpoints: 'Endpoints',
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet', rs: 'ReplicaSet', replicaset: 'ReplicaSet', replicasets: 'ReplicaSet',
  sts: 'StatefulSet', statefulset: 'StatefulSet', statefulsets: 'StatefulSet', ns: 'Namespace', namespace: 'Namespace', namespaces: 'Namespace',
  cm: 'ConfigMap', configmap: 'ConfigMap', configmaps: 'ConfigMap', secret: 'Secret', secrets: 'Secret',
  pv: 'PersistentVolume', pvc: 'PersistentVolumeClaim', job: 'Job', jobs: 'Job', cj: 'CronJob', cronjob: 'CronJob', cronjobs: 'CronJob',
  netpol: 'NetworkPolicy', networkpolicy: 'NetworkPolicy', networkpolicies: 'NetworkPolicy', ing: 'Ingress', ingress: 'Ingress', ingresses: 'Ingress',
  cluster: 'Cluster', clusters: 'Cluster', nodepool: 'NodePool', nodepools: 'NodePool',
  baremetalmachine: 'BareMetalMachine', baremetalmachines: 'BareMetalMachine', machine: 'Machine', machines: 'Machine',
  egressnatpolicy: 'EgressNATPolicy', egressnatpolicies: 'EgressNATPolicy', endpointslice: 'EndpointSlice', endpointslices: 'EndpointSlice',
};

/** The kind a `kubectl describe <what>` command names, if any. */
export function kindFromCommand(command: string): string | undefined {
  const m = /\bkubectl\b.*\bdescribe (?:-\S+ (?:\S+ )?)*([a-z][a-z0-9.-]*)(?:\/\S+)?/.exec(command);
  if (!m) return undefined;
  const base = m[1].split('.')[0];
  return KINDS[base];
}

/** `Start Time` → `startTime`, `QoS Class` → `qosClass`, `IPs` → `ips`, `CreationTimestamp` → `creationTimestamp`. */
export function camelKey(key: string): string {
  const words = key.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  return words.map((w, i) => {
    if (i > 0) return w[0].toUpperCase() + w.slice(1);
    if (w.length <= 4 || w === w.toUpperCase()) return w.toLowerCase();
    let k = 0;
    while (k < w.length && w[k] >= 'A' && w[k] <= 'Z') k++;
    return k <= 1 ? w[0].toLowerCase() + w.slice(1) : w.slice(0, k - 1).toLowerCase() + w.slice(k - 1);
  }).join('');
}

/** Guess a kind from the keys an object shows. */
function guessKind(keys: ReadonlySet<string>): string | undefined {
  if (keys.has('containers') && (keys.has('node') || keys.has('qosClass'))) return 'Pod';
  if (keys.has('systemInfo') || (keys.has('roles') && keys.has('taints'))) return 'Node';
  if (keys.has('desiredNumberOfNodesScheduled')) return 'DaemonSet';
  if (keys.has('strategyType') && keys.has('replicas')) return 'Deployment';
  if (keys.has('replicas') && keys.has('controlledBy') && keys.has('podTemplate')) return 'ReplicaSet';
  if (keys.has('type') && keys.has('ip') && keys.has('port')) return 'Service';
  if (keys.has('subsets')) return 'Endpoints';
  if (keys.has('addressType')) return 'EndpointSlice';
  if (keys.has('podSelector')) return 'NetworkPolicy';
  return undefined;
}

interface EventTable {
  cols: Column[];
  names: string[];
}

interface DescribeObject {
  line: number;
  endLine: number;
  fields: Record<string, FieldValue>;
  fieldCount: number;
  keys: Set<string>;
  name?: string;
  namespace?: string;
  kind?: string;
  /** Top-level key whose value continues on the next indented lines, and its value column. */
  wrapKey?: string;
  wrapCol: number;
  section?: string;
  /** Column table inside the current section (Conditions, Events). */
  table?: EventTable;
  tableSeparator: boolean;
  pendingEvent?: ParsedEvent;
  restarts: number;
  sawRestarts: boolean;
  oomKilled: boolean;
  /** `State:` / `Last State:` value most recently seen, for the `Reason:` under it. */
  state?: string;
}

const SYSTEM_INFO_FACTS: Record<string, string[]> = {
  kubeletVersion: ['kubelet', 'kubernetes'], kubeProxyVersion: ['kube-proxy'], kernelVersion: ['kernel'], osImage: ['os.name'], containerRuntimeVersion: ['container-runtime'],
};

class DescribeReader implements LineParser {
  private obj: DescribeObject | undefined;
  private readonly commandKind: string | undefined;

  constructor(private readonly ctx: ParseContext) {
    this.commandKind = kindFromCommand(ctx.file.command);
  }

  line(text: string, lineNo: number): void {
    if (text.trim() === '') {
      // A blank line ends a wrapped value and a table row's continuation, not the object.
      if (this.obj) { this.obj.wrapKey = undefined; this.flushEvent(); }
      return;
    }
    const c = text.charCodeAt(0);
    if (c !== 32 && c !== 9) {
      const m = TOP_KEY.exec(text);
      if (!m) {
        if (this.obj?.section === 'Events' && this.obj.pendingEvent) { this.continueEvent(text, lineNo); return; }
        this.ctx.warn('kubectl-describe.unknown-line', lineNo, 'line that is neither a key nor inside a section');
        return;
      }
      const key = m[1];
      const value = (m[2] ?? '').trim();
      if (key === 'Name' && (!this.obj || this.obj.name !== undefined)) this.startObject(lineNo);
      const o = this.obj;
      if (!o) return;
      o.endLine = lineNo;
      this.flushEvent();
      o.table = undefined;
      o.wrapKey = undefined;
      o.section = value === '' ? key : undefined;
      this.topLevel(o, key, value, text);
      return;
    }
    const o = this.obj;
    if (!o) { this.ctx.warn('kubectl-describe.orphan-line', lineNo, 'indented line before any object'); return; }
    o.endLine = lineNo;
    // A wrapped top-level value (Labels, Annotations, Tolerations) continues at its value column.
    if (o.wrapKey !== undefined && leading(text) >= o.wrapCol) {
      const k = o.wrapKey;
      const prev = String(o.fields[k] ?? '');
      if (prev.length < MAX_VALUE) o.fields[k] = cap(prev === '' ? text.trim() : `${prev},${text.trim()}`);
      return;
    }
    o.wrapKey = undefined;
    if (o.section === 'Events' || o.section === 'Conditions') { this.tableLine(o, text, lineNo); return; }
    this.nested(o, text);
  }

  end(): void {
    this.finishObject();
  }

  private startObject(lineNo: number): void {
    this.finishObject();
    this.obj = {
      line: lineNo, endLine: lineNo, fields: {}, fieldCount: 0, keys: new Set(), wrapCol: 0, tableSeparator: false,
      restarts: 0, sawRestarts: false, oomKilled: false,
    };
  }

  private topLevel(o: DescribeObject, key: string, value: string, text: string): void {
    const k = camelKey(key);
    if (o.keys.size < MAX_KEYS) o.keys.add(k);
    if (key === 'Name') o.name = value;
    else if (key === 'Namespace') o.namespace = value;
    else if (key === 'Kind') o.kind = value;
    if (value === '' || key === 'Name' || key === 'Namespace' || key === 'Kind') return;
    set(o, k, value);
    if (key === 'Events' || key === 'Conditions') return; // `Events:  <none>`
    o.wrapKey = k;
    o.wrapCol = text.length - text.slice(key.length + 1).trimStart().length;
  }

  /** Lines inside a section other than Events / Conditions. */
  private nested(o: DescribeObject, text: string): void {
    const m = NESTED_KEY.exec(text);
    if (!m) return;
    const key = m[2];
    const value = (m[3] ?? '').trim();
    if (o.section === 'System Info' && value !== '') {
      const k = camelKey(key);
      set(o, k, value);
      o.keys.add('systemInfo');
      return;
    }
    // `Addresses:` of a Node: `InternalIP:  10.200.0.4`, `Hostname:  node-2`.
    if (o.section === 'Addresses' && value !== '') { set(o, `address.${key}`, value); return; }
    if (key === 'Restart Count' && /^\d+$/.test(value)) { o.restarts += Number(value); o.sawRestarts = true; return; }
    if (key === 'State' || key === 'Last State') { o.state = value; return; }
    if (key === 'Reason' && value !== '') {
      if (value === 'OOMKilled') o.oomKilled = true;
      if (o.state === 'Waiting' && o.fields.waitingReason === undefined) o.fields.waitingReason = value;
    }
  }

  /** Header, separator and rows of the Conditions and Events tables. */
  private tableLine(o: DescribeObject, text: string, lineNo: number): void {
    if (!o.table) {
      const cols = headerColumns(text);
      if (cols.length < 2) { this.ctx.warn('kubectl-describe.bad-table', lineNo, `no column header under ${o.section}`); return; }
      o.table = { cols, names: cols.map((c) => camelKey(c.title)) };
      o.tableSeparator = false;
      return;
    }
    if (!o.tableSeparator && /^\s+-{2,}(?:\s+-{2,})*\s*$/.test(text)) { o.tableSeparator = true; return; }
    const { cells } = splitRow(text, o.table.cols);
    const row: Record<string, string> = {};
    o.table.names.forEach((n, i) => { row[n] = cells[i] ?? ''; });
    if (o.section === 'Conditions') {
      if (row.type) {
        set(o, `condition.${row.type}`, row.status ?? '');
        if (row.reason) set(o, `condition.${row.type}.reason`, row.reason);
      }
      return;
    }
    // An Events row starts with its type; anything else continues the message before it.
    const type = row.type ?? '';
    if (o.pendingEvent && !/^(?:Normal|Warning)$/.test(type) && o.table.names.includes('type')) {
      this.continueEvent(text, lineNo);
      return;
    }
    this.flushEvent();
    o.pendingEvent = this.eventOf(o, row, text, lineNo);
  }

  private eventOf(o: DescribeObject, row: Record<string, string>, text: string, lineNo: number): ParsedEvent {
    const fields: Record<string, FieldValue> = {};
    if (row.type) fields.type = row.type;
    if (row.reason) fields.reason = row.reason;
    let age = row.age ?? row.lastSeen;
    if (age !== undefined) {
      const m = EVENT_AGE.exec(age);
      if (m) { age = m[1]; fields.count = Number(m[2]); fields.over = m[3]; }
      fields.age = age;
    }
    if (row.count !== undefined && /^\d+$/.test(row.count)) fields.count = Number(row.count);
    if (row.firstSeen) fields.firstSeen = row.firstSeen;
    if (row.from) fields.from = row.from;
    if (row.subObjectPath) fields.subObjectPath = row.subObjectPath;
    if (o.name !== undefined) fields.object = o.name;
    fields.objectKind = this.kindOf(o);
    if (o.namespace !== undefined) fields.namespace = o.namespace;
    const message = row.message ?? '';
    fields.message = message;
    return {
      source: 'kubectl', kind: 'k8s.event', severity: row.type === 'Warning' ? 'warning' : row.type === 'Normal' ? 'info' : undefined,
      message, fields, line: lineNo, text,
    };
  }

  private continueEvent(text: string, lineNo: number): void {
    const e = this.obj?.pendingEvent;
    if (!e) return;
    if ((e.message ?? '').length < MAX_VALUE) {
      e.message = `${e.message ?? ''}\n${text.trim()}`;
      e.fields.message = e.message;
      e.text = `${e.text ?? ''}\n${text}`;
    }
    e.endLine = lineNo;
  }

  private flushEvent(): void {
    const o = this.obj;
    if (o?.pendingEvent) { this.ctx.emit(o.pendingEvent); o.pendingEvent = undefined; }
  }

  private kindOf(o: DescribeObject): string {
    return o.kind ?? this.commandKind ?? guessKind(o.keys) ?? 'unknown';
  }

  private finishObject(): void {
    const o = this.obj;
    if (!o) return;
    this.flushEvent();
    this.obj = undefined;
    const kind = this.kindOf(o);
    const fields: Record<string, FieldValue> = { objectKind: kind };
    if (o.name !== undefined) fields.name = o.name;
    if (o.namespace !== undefined) fields.namespace = o.namespace;
    let status: FieldValue | undefined = o.fields.status;
    if (status === undefined && kind === 'Node') {
      const ready = o.fields['condition.Ready'];
      status = ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : ready === undefined ? undefined : 'Unknown';
    }
    if (status !== undefined) fields.status = status;
    Object.assign(fields, o.fields);
    if (kind === 'Pod') {
      if (o.sawRestarts) fields.restartCount = o.restarts;
      fields.oomKilled = o.oomKilled;
    }
    const e: ParsedEvent = { source: 'kubectl', kind: 'k8s.describe', fields, line: o.line, text: `${kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name ?? ''}`.trim() };
    if (o.endLine > o.line) e.endLine = o.endLine;
    if (kind === 'Node' && o.name) e.node = o.name;
    else if (kind === 'Pod' && typeof o.fields.node === 'string') e.node = o.fields.node.split('/')[0];
    this.ctx.emit(e);
    if (kind === 'Node' && o.name) {
      this.ctx.fact('node', o.name, o.line, o.name);
      const roles = o.fields.roles;
      if (typeof roles === 'string' && roles !== '<none>') for (const role of roles.split(',')) if (role !== '') this.ctx.fact('node.role', role, o.line, o.name);
      const ip = o.fields['address.InternalIP'];
      if (typeof ip === 'string') this.ctx.fact('node.ip', ip, o.line, o.name);
      for (const [k, facts] of Object.entries(SYSTEM_INFO_FACTS)) {
        const v = o.fields[k];
        if (typeof v === 'string' && v !== '') for (const f of facts) this.ctx.fact(f, v, o.line, o.name);
      }
    }
  }
}

/** Set a field, within the per-object cap on keys. */
function set(o: DescribeObject, key: string, value: string): void {
  if (!(key in o.fields)) {
    if (o.fieldCount >= MAX_KEYS) return;
    o.fieldCount++;
  }
  o.fields[key] = cap(value);
}

function leading(s: string): number {
  let i = 0;
  while (s.charCodeAt(i) === 32) i++;
  return i;
}

function cap(v: string): string {
  return v.length > MAX_VALUE ? `${v.slice(0, MAX_VALUE)}…` : v;
}

const DESCRIBE_NAME = /\bkubectl\b.*\bdescribe\b/;
const FIRST_NAME = /^Name:[ \t]+\S/;
const DESCRIBE_KEYS = /^(?:Namespace|Labels|Annotations|Events|CreationTimestamp|Roles|Selector|Kind|API Version):/m;

function detect(probe: FileProbe): number {
  const named = DESCRIBE_NAME.test(probe.command);
  const first = probe.head.split('\n', 10).find((l) => l.trim() !== '');
  const content = first !== undefined && FIRST_NAME.test(first) && DESCRIBE_KEYS.test(probe.head);
  if (content) return named ? 1 : 0.8;
  return named ? 0.5 : 0;
}

export const kubectlDescribe: ParserModule = {
  meta: {
    id: 'kubectl-describe',
    title: 'kubectl describe',
    description: 'kubectl describe output: one event per object (top-level keys, conditions, node system info, pod restarts) and one per row of its Events table.',
    emits: {
      'k8s.describe': [
        'objectKind', 'name', 'namespace', 'status', 'node', 'labels', 'annotations', 'startTime', 'ip', 'controlledBy',
        'qosClass', 'priority', 'restartCount', 'oomKilled', 'waitingReason', 'kubeletVersion', 'kernelVersion', 'osImage',
        'containerRuntimeVersion', 'kubeProxyVersion', 'roles', 'address.InternalIP', 'address.Hostname', 'unschedulable', 'taints', 'type', '*',
      ],
      'k8s.event': ['type', 'reason', 'age', 'count', 'over', 'from', 'message', 'object', 'objectKind', 'namespace', 'firstSeen', 'subObjectPath'],
    },
    sources: ['kubectl'],
    inputs: ['kubectl describe pods -n kube-system', 'kubectl describe nodes', 'kubectl describe clusters -A'],
  },
  detect,
  create(ctx: ParseContext): LineParser {
    return new DescribeReader(ctx);
  },
};

export default kubectlDescribe;
