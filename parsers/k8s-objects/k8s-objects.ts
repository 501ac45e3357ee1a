/**
 * Kubernetes objects as YAML or JSON: `kubectl get … -o yaml|json` (single objects, `kind: List`,
 * multi-document YAML) and the bmctl cluster config (`bmctl-workspace/<cluster>/<cluster>.yaml`:
 * a `Cluster` and its `NodePool`s), custom resources included.
 *
 * Sample input:
 *   apiVersion: v1
 *   items:
 *   - apiVersion: v1
 *     kind: Service
 *     metadata: {name: ingress, namespace: gke-system}
 *     spec: {externalTrafficPolicy: Local, type: LoadBalancer}
 *   kind: List
 *
 * Events: one `k8s.object` per object (each entry of a List on its own), spanning the object's
 * lines. Fields: `apiVersion`, `objectKind`, `name`, `namespace`, every scalar leaf under its
 * dotted path (`spec.externalTrafficPolicy`, `data.kube-proxy-replacement`,
 * `metadata.annotations.baremetal.cluster.gke.io/maintenance-mode-duration`,
 * `spec.ingress.0.ports.0.endPort`), at most 400 leaves of at most 4 KiB each (`leavesDropped`
 * counts the rest), and per kind: Pods `terminating`, `restartCount`, `oomKilled`,
 * `memoryLimit` (smallest container limit, bytes); workloads `memoryLimit`; Endpoints
 * `addresses`, `notReadyAddresses`; EndpointSlices `addresses`; Services `ports`.
 * Secrets never show their values: `data`/`stringData` keys map to `[REDACTED n bytes]`, and so
 * do credential keys anywhere (`token`, `password`, `client-key-data` …) and values holding a
 * private key or a kubeconfig; certificate data keeps its size and a sha256 fingerprint.
 *
 * Facts: a Cluster gives `cluster.name`, `anthos-bare-metal`, `pod.cidr`, `service.cidr`,
 * `container-runtime`; a Node gives `node`, `kubelet`, `kubernetes`, `kernel`, `os.name`,
 * `container-runtime` (and `containerd`/`docker` versions) for that node.
 *
 * Documents are parsed one at a time and list entries one at a time (see split.ts); an
 * unparsable document or entry is a warning with its line, and the rest are still read.
 */
import type { FileProbe, LineParser, ParseContext, ParserModule } from '../../src/model/parser.js';
import { isObject, objectEvent, objectFacts } from './objects.js';
import { JsonSplitter, YamlSplitter, type JsonUnit, type YamlUnit } from './split.js';
import { readYaml, YamlSyntaxError, type YamlValue } from './yaml-reader.js';

/** `kubectl get … -o yaml`, `-ojson`, `--output=yaml`. */
const KUBECTL_STRUCTURED = /\bkubectl\b.*\bget\b.*(?:-o ?|--output[= ])(?:yaml|json)\b/;
/** The bmctl cluster config: `bmctl-workspace/<cluster>/<cluster>.yaml`. */
const BMCTL_CONFIG = /(?:^|\/)bmctl-workspace\/([^/]+)\/\1\.ya?ml$/;
const MANIFEST_NAME = /\.(?:ya?ml|json)$/i;
const YAML_API_VERSION = /^apiVersion:[ \t]*\S/m;
const YAML_KIND = /^(?:kind:[ \t]*\S|items:)/m;
const YAML_CONFIG_KEYS = /^(?:gcrKeyPath|sshPrivateKeyPath|gkeConnectAgentServiceAccountKeyPath|cloudOperationsServiceAccountKeyPath):/m;
const JSON_API_VERSION = /"apiVersion"\s*:/;
const JSON_KIND = /"kind"\s*:/;
/** A line that can open a YAML document: a key, a list entry, a comment or a marker. */
const YAML_START = /^(?:[A-Za-z_"'][^:]*:(?:\s|$)|- |-$|#|---|%)/;

function contentSays(head: string): boolean {
  const t = head.replace(/^(?:\s*#[^\n]*\n|\s*---[^\n]*\n|\s*\n)*/, '');
  if (t.startsWith('{') || t.startsWith('[')) return JSON_API_VERSION.test(t) && JSON_KIND.test(t);
  return (YAML_API_VERSION.test(head) && YAML_KIND.test(head)) || YAML_CONFIG_KEYS.test(head);
}

function detect(probe: FileProbe): number {
  const named = KUBECTL_STRUCTURED.test(probe.command) || BMCTL_CONFIG.test(probe.path);
  const content = contentSays(probe.head);
  if (content) return named || MANIFEST_NAME.test(probe.name) ? 1 : 0.8;
  return named ? 0.5 : 0;
}

class ObjectsReader implements LineParser {
  private mode: 'unknown' | 'yaml' | 'json' = 'unknown';
  private readonly yaml: YamlSplitter;
  private readonly json: JsonSplitter;
  private readonly source: string;
  private lastLine = 0;
  private stray = 0;

  constructor(private readonly ctx: ParseContext) {
    this.source = BMCTL_CONFIG.test(ctx.file.path) ? 'bmctl' : 'kubectl';
    const dropped = (code: string, line: number, message: string) => ctx.warn(code, line, message);
    this.yaml = new YamlSplitter({ unit: (u) => this.yamlUnit(u), dropped });
    this.json = new JsonSplitter({
      unit: (u) => this.jsonUnit(u),
      dropped,
      garbage: (line) => ctx.warn('k8s-objects.stray-text', line, 'text outside any JSON value'),
    });
  }

  line(text: string, lineNo: number): void {
    this.lastLine = lineNo;
    if (this.mode === 'unknown') {
      const t = text.trimStart();
      if (t === '') return;
      if (t.startsWith('{') || t.startsWith('[')) this.mode = 'json';
      else if (YAML_START.test(t)) this.mode = 'yaml';
      else {
        // Text before the first document (a shell prompt, a kubectl warning, binary junk).
        if (this.stray++ < 10) this.ctx.warn('k8s-objects.stray-text', lineNo, 'text before the first document');
        return;
      }
    }
    if (this.mode === 'yaml') this.yaml.line(text, lineNo);
    else this.json.line(text, lineNo);
  }

  end(): void {
    if (this.mode === 'yaml') this.yaml.end();
    else if (this.mode === 'json') this.json.end(this.lastLine);
  }

  private yamlUnit(u: YamlUnit): void {
    // The object starts at its first line of content, after any leading comments.
    let first = u.lineNos[0];
    for (let i = 0; i < u.lines.length; i++) {
      const t = u.lines[i].trimStart();
      if (t !== '' && !t.startsWith('#')) { first = u.lineNos[i]; break; }
    }
    let last = first;
    for (let i = u.lines.length - 1; i >= 0; i--) {
      if (u.lines[i].trim() !== '') { last = u.lineNos[i]; break; }
    }
    let value: YamlValue;
    try {
      value = readYaml(u.lines);
    } catch (e) {
      const line = e instanceof YamlSyntaxError ? u.lineNos[Math.min(e.line, u.lines.length) - 1] ?? first : first;
      this.ctx.warn('k8s-objects.bad-yaml', line, `${u.item ? 'list entry' : 'YAML document'} starting at line ${first} skipped: ${message(e)}`);
      return;
    }
    if (u.item) {
      if (Array.isArray(value)) for (const v of value) this.value(v, first, last, true);
      return;
    }
    this.value(value, first, last, false);
  }

  private jsonUnit(u: JsonUnit): void {
    let value: unknown;
    try {
      value = JSON.parse(u.text);
    } catch {
      // JSON.parse quotes the input in its message, which may be a Secret's: say only where.
      const at = u.line + lineOfError(u.text);
      this.ctx.warn('k8s-objects.bad-json', at, `${u.item ? 'list entry' : 'JSON value'} starting at line ${u.line} skipped: invalid JSON at line ${at}`);
      return;
    }
    this.value(value, u.line, u.endLine, u.item);
  }

  /** An object, a List (its inline items), or an array of objects. */
  private value(v: unknown, line: number, endLine: number, item: boolean): void {
    if (Array.isArray(v)) {
      for (const x of v) if (isObject(x)) this.value(x, line, endLine, true);
      return;
    }
    if (!isObject(v)) return;
    if (Array.isArray(v.items) && (typeof v.kind !== 'string' || v.kind.endsWith('List'))) {
      for (const x of v.items) if (isObject(x)) this.value(x, line, endLine, true);
      return;
    }
    if (typeof v.kind !== 'string') {
      // Not an object (bmctl's credentials-paths header document, a config file): nothing to say.
      if (item) this.ctx.warn('k8s-objects.no-kind', line, 'list entry without a kind skipped');
      return;
    }
    // A List whose entries were split off and read on their own.
    if (v.kind.endsWith('List') && (v.items === null || v.items === undefined)) return;
    const fact = (name: string, value: string, at: number, node?: string) => this.ctx.fact(name, value, at, node);
    objectFacts(v, fact, line);
    this.ctx.emit(objectEvent(v, this.source, line, endLine));
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Line offset (0-based) inside `text` of the first JSON syntax error. */
function lineOfError(text: string): number {
  const pos = Math.min(jsonErrorAt(text), text.length);
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const JSON_WORD = /true|false|null/y;

/**
 * Offset of the first syntax error in `text` (JSON.parse names it only in some Node versions).
 * A plain recursive-descent check, iterative over nesting so deep input cannot overflow.
 */
function jsonErrorAt(text: string): number {
  let i = 0;
  const ws = () => { while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++; };
  const str = (): boolean => {
    if (text[i] !== '"') return false;
    for (i++; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 34) { i++; return true; }
      else if (c < 32) return false;
    }
    return false;
  };
  const scalar = (): boolean => {
    if (text[i] === '"') return str();
    for (const re of [JSON_NUMBER, JSON_WORD]) {
      re.lastIndex = i;
      if (re.test(text)) { i = re.lastIndex; return true; }
    }
    return false;
  };
  // Stack of open containers: '{' or '['.
  const stack: string[] = [];
  ws();
  for (;;) {
    // A value is expected here.
    if (text[i] === '{' || text[i] === '[') {
      const open = text[i++];
      ws();
      if ((open === '{' && text[i] === '}') || (open === '[' && text[i] === ']')) { i++; }
      else {
        stack.push(open);
        if (open === '{') { if (!str()) return i; ws(); if (text[i++] !== ':') return i - 1; ws(); }
        continue;
      }
    } else if (!scalar()) {
      return i;
    }
    // After a value: `,`, a closer, or the end.
    for (;;) {
      ws();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? i : text.length;
      if (text[i] === ',') {
        i++;
        ws();
        if (top === '{') { if (!str()) return i; ws(); if (text[i++] !== ':') return i - 1; ws(); }
        break;
      }
      if ((top === '{' && text[i] === '}') || (top === '[' && text[i] === ']')) { i++; stack.pop(); continue; }
      return i;
    }
  }
}

export const k8sObjects: ParserModule = {
  meta: {
    id: 'k8s-objects',
    title: 'Kubernetes objects (YAML / JSON)',
    description: 'kubectl get -o yaml|json output (objects, Lists, multi-document YAML, custom resources) and the bmctl cluster config, one event per object with flattened fields; secrets redacted.',
    emits: {
      'k8s.object': [
        'apiVersion', 'objectKind', 'name', 'namespace', 'leavesDropped',
        'terminating', 'restartCount', 'oomKilled', 'memoryLimit', 'addresses', 'notReadyAddresses', 'ports',
        '*',
      ],
    },
    sources: ['kubectl', 'bmctl'],
    inputs: [
      'kubectl get pods -A -o yaml', 'kubectl get cm cilium-config -n kube-system -o json',
      'kubectl get clusters,nodepools -A -o yaml', 'bmctl-workspace/<cluster>/<cluster>.yaml',
    ],
  },
  detect,
  create(ctx: ParseContext): LineParser {
    return new ObjectsReader(ctx);
  },
};

export default k8sObjects;
