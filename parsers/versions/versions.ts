/**
 * Small outputs that state versions: `runc --version`, `containerd --version`, `docker version`,
 * `docker --version`, `kubectl version` (text, `--short`, yaml and json), `kubelet --version`,
 * `kubeadm version`, `crictl version`, `ctr version`, `bmctl version`, `iptables --version`.
 *
 * Sample input:
 *   runc version 1.0.0-rc93
 *   containerd github.com/containerd/containerd v1.4.6 d71fcd7d8303cbf684402823e425e9dd2e99285d
 *   Server Version: version.Info{Major:"1", Minor:"20", GitVersion:"v1.20.8-gke.1500", GitCommit:"…"}
 *   Kubernetes v1.20.8-gke.1500                                       (kubelet --version)
 *   Client: Docker Engine - Community / Server: … / containerd: / runc:   (docker version blocks)
 *
 * Events: one `version` per stated version: `component` (runc, containerd, docker,
 * docker-client, docker-init, kubectl, kubernetes (the API server), kustomize, kubelet,
 * kube-proxy, kubeadm, crictl, ctr, cri-o, anthos-bare-metal, iptables; `kubernetes-binary` for a
 * `Kubernetes vX` line whose file name does not say which binary printed it), `version` (as printed:
 * `1.0.0-rc93`, `v1.20.8-gke.1500`), `commit` when the same line or block gives it.
 * Facts: `runc`, `containerd`, `docker` (the engine, or `docker --version`), `kubernetes`
 * (the server of `kubectl version`), `kubelet`, `kube-proxy`, `anthos-bare-metal`, and
 * `container-runtime` (`containerd://1.4.6`, from `crictl version`). Error lines (`The connection
 * to the server … was refused`, `Cannot connect to the Docker daemon …`) become `command.error`.
 */
import type { FieldValue, LineParser, ParseContext, ParsedEvent, ParserModule } from '../../src/model/parser.js';
import { commandErrorEvent, isCompanionLine, parseCommandError } from '../command-error/command-error.js';

const RUNC = /^runc version (\S+)\s*$/;
const CONTAINERD = /^containerd (?:containerd\.io|github\.com\/\S+|\S+) (v?\d[\w.+~-]*)(?: ([0-9a-f]{7,40}))?(?: \S+)?\s*$/;
const CTR = /^ctr (?:containerd\.io|github\.com\/\S+|\S+) (v?\d[\w.+~-]*)\s*$/;
const DOCKER_SHORT = /^Docker version ([^,\s]+)(?:, build (\S+))?\s*$/;
const KUBE_INFO = /^(Client|Server) Version: (?:&?version\.Info\{(.*)\}|(v\d\S*))\s*$/;
const KUSTOMIZE = /^Kustomize Version: (\S+)\s*$/;
const KUBEADM = /^kubeadm version: &?version\.Info\{(.*)\}\s*$/;
const KUBERNETES = /^Kubernetes (v\d+\.\d+\S*)\s*$/;
const CRICTL_SHORT = /^crictl version (v?\d\S*)\s*$/;
const BMCTL = /^bmctl version: ([^,\s]+)(?:, git commit: ([0-9a-f]+))?/;
const IPTABLES = /^(ip6?tables)(?:-legacy|-nft)? (v\d[\w.]*)(?: \((\w+)\))?\s*$/;
const GIT_VERSION = /GitVersion:"([^"]+)"/;
const GIT_COMMIT = /GitCommit:"([0-9a-f]+)"/;
/** `Client:` / `Server: Docker Engine - Community` section heads of docker/ctr version. */
const SECTION = /^(Client|Server)(?::\s*(.*))?$/;
const SUBSECTION = /^\s+([\w][\w .-]*):\s*$/;
const BLOCK_VERSION = /^\s+Version:\s+(\S+)/;
const BLOCK_COMMIT = /^\s+(?:Git commit|GitCommit|Revision):\s+(\S+)/;
/** crictl version: `Version:  0.1.0` (the CRI API), `RuntimeName:  containerd`, `RuntimeVersion:  v1.4.6`. */
const CRI_PROP = /^(Version|RuntimeName|RuntimeVersion|RuntimeApiVersion):\s+(\S+)\s*$/;
/** kubectl version -o yaml|json. */
const STRUCT_SECTION = /^\s*"?(clientVersion|serverVersion|kustomizeVersion)"?\s*:\s*(?:"([^"]+)"|(\S+))?/;
const STRUCT_GIT_VERSION = /^\s*"?gitVersion"?\s*:\s*"?([^",\s]+)/;
const NOISE = /^(?:WARNING: |Use --output=|$)/;
const BINARY = /[\x00-\x08\x0e-\x1f\ufffd]/;
const NAME = /^(?:runc|containerd|docker|dockerd|kubectl|kubelet|kubeadm|kube-proxy|kube-apiserver|kube-controller-manager|kube-scheduler|crictl|ctr|bmctl|ip6?tables(?:-legacy|-nft)?)(?: \S+)*? (?:--version|-v|version)\b/;
const FACTS = new Set(['runc', 'containerd', 'docker', 'kubernetes', 'kubelet', 'kube-proxy', 'anthos-bare-metal']);

const CONTENT = [RUNC, CONTAINERD, DOCKER_SHORT, KUBE_INFO, KUBEADM, CRICTL_SHORT, BMCTL];

/** The binary a `Kubernetes vX` line came from, by the command that printed it. */
function kubernetesBinary(command: string): string | undefined {
  const m = /^(kubelet|kube-proxy|kubeadm|kube-apiserver|kube-controller-manager|kube-scheduler|kubectl)\b/.exec(command);
  return m?.[1];
}

export const versions: ParserModule = {
  meta: {
    id: 'versions',
    title: 'Component versions',
    description: 'Version outputs of runc, containerd, docker, kubectl, kubelet, kubeadm, crictl, ctr, bmctl and iptables; records the version facts.',
    emits: {
      version: ['component', 'version', 'commit'],
      'command.error': ['command', 'error', 'reason', 'program'],
    },
    sources: ['versions', 'snapshot'],
    inputs: ['runc --version', 'containerd --version', 'docker version', 'kubectl version', 'kubectl version --short', 'kubelet --version', 'crictl version'],
  },
  detect(probe) {
    const named = NAME.test(probe.command);
    const lines = probe.head.split('\n', 60).filter((l) => l.trim() !== '');
    if (lines.length === 0) return 0;
    const content = lines.some((l) => CONTENT.some((re) => re.test(l)))
      || (lines.some((l) => SECTION.test(l)) && lines.some((l) => BLOCK_VERSION.test(l)) && lines.some((l) => /^\s+(?:API version|Revision):/.test(l)))
      || (lines.some((l) => l.startsWith('RuntimeName:')) && lines.some((l) => l.startsWith('RuntimeVersion:')))
      || (lines.some((l) => STRUCT_SECTION.test(l)) && lines.some((l) => STRUCT_GIT_VERSION.test(l)));
    if (content) return named ? 1 : 0.8;
    if (named && lines.some((l) => KUBERNETES.test(l) || CTR.test(l) || IPTABLES.test(l))) return 1;
    if (lines.length === 1 && KUBERNETES.test(lines[0])) return 0.2;
    return named ? 0.5 : 0;
  },
  create(ctx: ParseContext): LineParser {
    const command = ctx.file.command;
    const family = /^ctr\b/.test(command) ? 'ctr' : 'docker';
    let section: 'client' | 'server' | undefined;
    let sub: string | undefined;
    /** The last version read, held until the next one so a following `commit:` line can join it. */
    let pending: ParsedEvent | undefined;
    let structSection: string | undefined;
    const cri: Record<string, string> = {};
    let criLine = 0;

    const flush = () => { if (pending) ctx.emit(pending); pending = undefined; };
    const emit = (component: string, version: string, lineNo: number, text: string, commit?: string) => {
      flush();
      const fields: Record<string, FieldValue> = { component, version };
      if (commit) fields.commit = commit;
      pending = { source: 'versions', kind: 'version', message: `${component} ${version}`, fields, line: lineNo, text };
      if (FACTS.has(component)) ctx.fact(component, version, lineNo);
    };
    const addCommit = (commit: string, lineNo: number) => {
      if (!pending || pending.fields.commit !== undefined) return;
      pending.fields.commit = commit;
      pending.endLine = lineNo;
    };

    /** Component of a `Version:` line inside a docker/ctr version block. */
    const blockComponent = (): string | undefined => {
      if (!section) return undefined;
      if (family === 'ctr') return section === 'client' ? 'ctr' : 'containerd';
      if (section === 'client') return sub ? undefined : 'docker-client';
      const s = (sub ?? 'engine').toLowerCase();
      return s === 'engine' ? 'docker' : s;
    };

    return {
      line(text, lineNo) {
        if (NOISE.test(text)) return;
        if (BINARY.test(text)) { ctx.warn('versions.binary', lineNo, 'binary bytes in a version output'); return; }
        let m = RUNC.exec(text);
        if (m) { emit('runc', m[1], lineNo, text); return; }
        m = CONTAINERD.exec(text);
        if (m) { emit('containerd', m[1], lineNo, text, m[2]); return; }
        m = CTR.exec(text);
        if (m) { emit('ctr', m[1], lineNo, text); return; }
        m = DOCKER_SHORT.exec(text);
        if (m) { emit('docker', m[1], lineNo, text, m[2]); return; }
        m = KUBE_INFO.exec(text);
        if (m) {
          const v = m[3] ?? GIT_VERSION.exec(m[2] ?? '')?.[1];
          if (v) emit(m[1] === 'Client' ? 'kubectl' : 'kubernetes', v, lineNo, text, GIT_COMMIT.exec(m[2] ?? '')?.[1]);
          else ctx.warn('versions.no-git-version', lineNo, 'version.Info without GitVersion');
          return;
        }
        m = KUSTOMIZE.exec(text);
        if (m) { emit('kustomize', m[1], lineNo, text); return; }
        m = KUBEADM.exec(text);
        if (m) {
          const v = GIT_VERSION.exec(m[1])?.[1];
          if (v) emit('kubeadm', v, lineNo, text, GIT_COMMIT.exec(m[1])?.[1]);
          return;
        }
        m = KUBERNETES.exec(text);
        if (m) { emit(kubernetesBinary(command) ?? 'kubernetes-binary', m[1], lineNo, text); return; }
        m = CRICTL_SHORT.exec(text);
        if (m) { emit('crictl', m[1], lineNo, text); return; }
        m = BMCTL.exec(text);
        if (m) { emit('anthos-bare-metal', m[1], lineNo, text, m[2]); return; }
        m = IPTABLES.exec(text);
        if (m) { emit(m[1], m[2], lineNo, text); return; }
        m = CRI_PROP.exec(text);
        if (m) {
          cri[m[1]] = m[2];
          if (criLine === 0) criLine = lineNo;
          if (m[1] === 'RuntimeVersion' && cri.RuntimeName) {
            const name = cri.RuntimeName === 'docker' ? 'docker' : cri.RuntimeName;
            emit(name, m[2], lineNo, text);
            ctx.fact('container-runtime', `${cri.RuntimeName}://${m[2].replace(/^v/, '')}`, lineNo);
          }
          return;
        }
        m = SECTION.exec(text);
        if (m) { section = m[1] === 'Client' ? 'client' : 'server'; sub = undefined; return; }
        m = SUBSECTION.exec(text);
        if (m && section) { sub = m[1].trim(); return; }
        m = BLOCK_VERSION.exec(text);
        if (m) {
          const component = blockComponent();
          if (component) emit(component, m[1], lineNo, text);
          return;
        }
        m = BLOCK_COMMIT.exec(text);
        if (m) { addCommit(m[1], lineNo); return; }
        if (section && /^\s+[\w/ .-]+:/.test(text)) return; // API version, Go version, Built, OS/Arch …
        m = STRUCT_SECTION.exec(text);
        if (m) {
          structSection = m[1];
          const inline = m[2] ?? (m[3] && m[3] !== '{' ? m[3] : undefined);
          if (structSection === 'kustomizeVersion' && inline) emit('kustomize', inline, lineNo, text);
          return;
        }
        m = STRUCT_GIT_VERSION.exec(text);
        if (m && structSection) {
          emit(structSection === 'clientVersion' ? 'kubectl' : 'kubernetes', m[1], lineNo, text);
          return;
        }
        if (/^\s*[{}[\]],?\s*$/.test(text)) return; // braces of the json document
        if (structSection && /^\s*"?\w+"?\s*:/.test(text)) return; // other keys of the yaml/json document
        if (/^commit: (?:v[\w.-]+-g)?[0-9a-f]+/.test(text)) { addCommit(text.slice(8).trim(), lineNo); return; }
        if (/^(?:spec|go|libseccomp): /.test(text)) return; // the rest of `runc --version`
        if (isCompanionLine(text)) return;
        const err = parseCommandError(text);
        if (err) { flush(); ctx.emit(commandErrorEvent(ctx.file, err, lineNo, text)); return; }
        ctx.warn('versions.bad-line', lineNo, 'line states no version this parser knows');
      },
      end() { flush(); },
    };
  },
};

export default versions;
