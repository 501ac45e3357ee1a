/**
 * One Kubernetes object to one `k8s.object` event: scalar leaves flattened under dotted paths,
 * secrets redacted, a few derived conveniences, and the bundle facts the object states.
 *
 * Paths join keys with `.` and keep each key whole, so an annotation reads
 * `metadata.annotations.baremetal.cluster.gke.io/maintenance-mode-duration` and a list entry
 * `spec.ingress.0.ports.0.endPort`. Leaves up to three keys deep (`status.phase`,
 * `spec.loadBalancer.mode`, `metadata.labels.app`) come first, then the rest in document order,
 * so the cap on leaves drops the deep tail of a huge object, never its headline.
 */
import { createHash } from 'node:crypto';
import type { FieldValue, ParsedEvent } from '../../src/model/parser.js';

export const MAX_LEAVES = 400;
export const MAX_VALUE_CHARS = 4096;

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const k of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

// ---------------------------------------------------------------------------------------------
// Redaction

/**
 * Keys whose string value is a credential, wherever they appear (kubeconfigs, OIDC settings,
 * connection strings): `token`, `password`, `clientSecret`, `client-key-data`, `api-key` …
 */
const SECRET_KEY = /(?:password|passwd|secret|token|api-?key|api_key|private-?key|client-key(?:-data)?)$/i;
/** Certificate data: not secret, but long; replaced by its size and a fingerprint to compare. */
const CERT_KEYS = new Set(['certificate-authority-data', 'certificateauthoritydata', 'client-certificate-data', 'clientcertificatedata']);
const EMBEDDED_CREDENTIAL = /-----BEGIN [A-Z ]*PRIVATE KEY-----|client-key-data:|(?:^|\n)\s*token:\s*\S|"client-key-data"/;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function byteSize(value: string, base64: boolean): number {
  if (base64 && /^[A-Za-z0-9+/=\s]*$/.test(value)) {
    const b = value.replace(/\s+/g, '');
    const pad = b.endsWith('==') ? 2 : b.endsWith('=') ? 1 : 0;
    return Math.max(0, Math.floor((b.length * 3) / 4) - pad);
  }
  return Buffer.byteLength(value, 'utf8');
}

export function redacted(value: unknown, base64 = false): string {
  const s = typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
  return `[REDACTED ${byteSize(s, base64)} bytes]`;
}

function fingerprinted(value: string): string {
  const fp = createHash('sha256').update(value.replace(/\s+/g, '')).digest('hex').slice(0, 16);
  return `[REDACTED ${byteSize(value, true)} bytes sha256:${fp}]`;
}

/** The value to emit for a leaf, after redaction and the length cap. */
function leafValue(key: string, value: string | number | boolean): FieldValue {
  if (typeof value !== 'string') return value;
  if (SECRET_KEY.test(key)) return redacted(value, key.toLowerCase().endsWith('-data'));
  if (CERT_KEYS.has(key.toLowerCase())) return fingerprinted(value);
  if (EMBEDDED_CREDENTIAL.test(value)) return redacted(value);
  return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
}

// ---------------------------------------------------------------------------------------------
// Flattening

interface Flat {
  fields: Record<string, FieldValue>;
  leaves: number;
  dropped: number;
}

function put(flat: Flat, path: string, key: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
  if (flat.leaves >= MAX_LEAVES) { flat.dropped++; return; }
  flat.fields[path] = leafValue(key, value);
  flat.leaves++;
}

function isLeaf(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/** First pass: scalar leaves reached through maps only, up to `depth` keys deep. */
function shallow(flat: Flat, o: Obj, prefix: string, depth: number, skip: (path: string) => boolean): void {
  for (const k of Object.keys(o)) {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    if (skip(path)) continue;
    const v = o[k];
    if (isLeaf(v)) put(flat, path, k, v);
    else if (depth > 1 && isObject(v)) shallow(flat, v, path, depth - 1, skip);
  }
}

/** Second pass: everything the first pass did not take, depth first. */
function deep(flat: Flat, v: unknown, path: string, key: string, depth: number, viaMapsOnly: boolean, skip: (path: string) => boolean): void {
  if (path !== '' && skip(path)) return;
  if (isLeaf(v)) {
    if (!(viaMapsOnly && depth <= SHALLOW_DEPTH)) put(flat, path, key, v);
    return;
  }
  if (depth > 64) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (flat.leaves >= MAX_LEAVES) { flat.dropped += countLeaves(v.slice(i)); return; }
      deep(flat, v[i], `${path}.${i}`, String(i), depth + 1, false, skip);
    }
    return;
  }
  for (const k of Object.keys(v as Obj)) {
    deep(flat, (v as Obj)[k], path === '' ? k : `${path}.${k}`, k, depth + 1, viaMapsOnly, skip);
  }
}

const SHALLOW_DEPTH = 3;

function countLeaves(v: unknown, budget = 100_000): number {
  if (isLeaf(v)) return v === null ? 0 : 1;
  let n = 0;
  for (const c of Array.isArray(v) ? v : Object.values(v as Obj)) {
    n += countLeaves(c, budget - n);
    if (n >= budget) break;
  }
  return n;
}

/**
 * Flatten `obj` into `fields`. Skipped: top-level `apiVersion`/`kind` (they have their own
 * fields), `metadata.managedFields` (bulky bookkeeping). For a Secret, `data`/`stringData`
 * values and the last-applied annotation (which repeats them) are redacted.
 */
export function flatten(obj: Obj, fields: Record<string, FieldValue>): number {
  const flat: Flat = { fields, leaves: 0, dropped: 0 };
  const secret = obj.kind === 'Secret';
  const lastApplied = `metadata.annotations.${LAST_APPLIED}`;
  const skip = (path: string): boolean => {
    if (path === 'apiVersion' || path === 'kind' || path === 'metadata.managedFields') return true;
    if (secret && (path === 'data' || path === 'stringData' || path === lastApplied)) return true;
    return false;
  };
  if (secret) {
    for (const key of ['data', 'stringData'] as const) {
      const m = obj[key];
      if (!isObject(m)) continue;
      for (const k of Object.keys(m)) {
        if (flat.leaves >= MAX_LEAVES) { flat.dropped++; continue; }
        fields[`${key}.${k}`] = redacted(m[k], key === 'data');
        flat.leaves++;
      }
    }
    const ann = get(obj, 'metadata', 'annotations', LAST_APPLIED);
    if (typeof ann === 'string') { fields[lastApplied] = redacted(ann); flat.leaves++; }
  }
  shallow(flat, obj, '', SHALLOW_DEPTH, skip);
  deep(flat, obj, '', '', 0, true, skip);
  return flat.dropped;
}

// ---------------------------------------------------------------------------------------------
// Derived fields

const QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(?:e(\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|k|K|M|G|T|P|E|m)?$/;
const MULTIPLIER: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

/** A resource quantity (`256Mi`, `1G`, `512k`, `1e3`) as a plain number; undefined when malformed. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] ? 10 ** Number(m[2]) : 1) * MULTIPLIER[m[3] ?? ''];
  return Math.round(n);
}

function podDerived(obj: Obj, fields: Record<string, FieldValue>): void {
  fields.terminating = get(obj, 'metadata', 'deletionTimestamp') !== undefined && get(obj, 'metadata', 'deletionTimestamp') !== null;
  const statuses = [...list(get(obj, 'status', 'containerStatuses')), ...list(get(obj, 'status', 'initContainerStatuses'))];
  let restarts = 0;
  let oom = false;
  for (const s of statuses) {
    const r = get(s, 'restartCount');
    if (typeof r === 'number') restarts += r;
    if (get(s, 'lastState', 'terminated', 'reason') === 'OOMKilled' || get(s, 'state', 'terminated', 'reason') === 'OOMKilled') oom = true;
  }
  fields.restartCount = restarts;
  fields.oomKilled = oom;
  let min: number | undefined;
  for (const c of list(get(obj, 'spec', 'containers'))) {
    const bytes = parseQuantity(get(c, 'resources', 'limits', 'memory'));
    if (bytes !== undefined && (min === undefined || bytes < min)) min = bytes;
  }
  if (min !== undefined) fields.memoryLimit = min;
}

/** Derived conveniences by kind; see `meta.emits`. */
export function derive(obj: Obj, fields: Record<string, FieldValue>): void {
  switch (obj.kind) {
    case 'Pod':
      podDerived(obj, fields);
      break;
    case 'Endpoints': {
      let ready = 0;
      let notReady = 0;
      for (const s of list(obj.subsets)) {
        ready += list(get(s, 'addresses')).length;
        notReady += list(get(s, 'notReadyAddresses')).length;
      }
      fields.addresses = ready;
      fields.notReadyAddresses = notReady;
      break;
    }
    case 'EndpointSlice': {
      let n = 0;
      for (const e of list(obj.endpoints)) n += list(get(e, 'addresses')).length;
      fields.addresses = n;
      break;
    }
    case 'Service':
      fields.ports = list(get(obj, 'spec', 'ports')).length;
      break;
    case 'Deployment':
    case 'PodTemplate':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet': {
      let min: number | undefined;
      for (const c of list(get(obj, 'spec', 'template', 'spec', 'containers'))) {
        const bytes = parseQuantity(get(c, 'resources', 'limits', 'memory'));
        if (bytes !== undefined && (min === undefined || bytes < min)) min = bytes;
      }
      if (min !== undefined) fields.memoryLimit = min;
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Facts

export type FactSink = (name: string, value: string, line: number, node?: string) => void;

/** `containerd://1.4.6` → the `containerd` fact `1.4.6`. */
export function runtimeVersionFacts(runtime: string, fact: FactSink, line: number, node?: string): void {
  fact('container-runtime', runtime, line, node);
  const m = /^(containerd|docker|cri-o):\/\/v?(\d[\w.+-]*)$/.exec(runtime);
  if (m && m[1] !== 'cri-o') fact(m[1], m[2], line, node);
}

/** Roles as `kubectl get nodes` shows them: the `node-role.kubernetes.io/<role>` labels. */
function nodeRoles(obj: Obj): string[] {
  const labels = get(obj, 'metadata', 'labels');
  if (!labels || typeof labels !== 'object') return [];
  const prefix = 'node-role.kubernetes.io/';
  return Object.keys(labels).filter((k) => k.startsWith(prefix) && k.length > prefix.length).map((k) => k.slice(prefix.length)).sort();
}

export function objectFacts(obj: Obj, fact: FactSink, line: number): void {
  const kind = obj.kind;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const name = str(get(obj, 'metadata', 'name'));
  if (kind === 'Cluster' && (apiVersion.startsWith('baremetal.cluster.gke.io/') || apiVersion.startsWith('cluster.x-k8s.io/'))) {
    if (name) fact('cluster.name', name, line);
    const version = str(get(obj, 'spec', 'anthosBareMetalVersion'));
    if (version) fact('anthos-bare-metal', version, line);
    for (const cidr of list(get(obj, 'spec', 'clusterNetwork', 'pods', 'cidrBlocks'))) if (typeof cidr === 'string') fact('pod.cidr', cidr, line);
    for (const cidr of list(get(obj, 'spec', 'clusterNetwork', 'services', 'cidrBlocks'))) if (typeof cidr === 'string') fact('service.cidr', cidr, line);
    const runtime = str(get(obj, 'spec', 'nodeConfig', 'containerRuntime'));
    if (runtime) fact('container-runtime', runtime, line);
  } else if (kind === 'Node' && name) {
    fact('node', name, line, name);
    for (const role of nodeRoles(obj)) fact('node.role', role, line, name);
    for (const a of list(get(obj, 'status', 'addresses'))) {
      if (str(get(a, 'type')) === 'InternalIP' && str(get(a, 'address'))) fact('node.ip', str(get(a, 'address'))!, line, name);
    }
    const info = get(obj, 'status', 'nodeInfo');
    const kubelet = str(get(info, 'kubeletVersion'));
    if (kubelet) { fact('kubelet', kubelet, line, name); fact('kubernetes', kubelet, line, name); }
    const proxy = str(get(info, 'kubeProxyVersion'));
    if (proxy) fact('kube-proxy', proxy, line, name);
    const kernel = str(get(info, 'kernelVersion'));
    if (kernel) fact('kernel', kernel, line, name);
    const os = str(get(info, 'osImage'));
    if (os) fact('os.name', os, line, name);
    const runtime = str(get(info, 'containerRuntimeVersion'));
    if (runtime) runtimeVersionFacts(runtime, fact, line, name);
  }
}

// ---------------------------------------------------------------------------------------------
// Event

/** The node an object is about, for per-node grouping: a Pod's node, a Node itself. */
function nodeOf(obj: Obj): string | undefined {
  if (obj.kind === 'Pod') return str(get(obj, 'spec', 'nodeName'));
  if (obj.kind === 'Node') return str(get(obj, 'metadata', 'name'));
  return undefined;
}

export function objectEvent(obj: Obj, source: string, line: number, endLine: number): ParsedEvent {
  const kind = str(obj.kind) ?? '';
  const name = str(get(obj, 'metadata', 'name'));
  const namespace = str(get(obj, 'metadata', 'namespace'));
  const fields: Record<string, FieldValue> = { apiVersion: str(obj.apiVersion) ?? '', objectKind: kind };
  if (name !== undefined) fields.name = name;
  if (namespace !== undefined) fields.namespace = namespace;
  const dropped = flatten(obj, fields);
  if (dropped > 0) fields.leavesDropped = dropped;
  derive(obj, fields);
  const e: ParsedEvent = {
    source, kind: 'k8s.object', fields, line,
    text: `${kind} ${namespace ? `${namespace}/` : ''}${name ?? ''}`.trim(),
  };
  if (endLine > line) e.endLine = endLine;
  const node = nodeOf(obj);
  if (node) e.node = node;
  return e;
}
