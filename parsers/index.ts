/**
 * The parser registry: id → module, sorted by id. Adding a parser means adding its folder and
 * one line here. Order matters only to break detection ties, which detectors should avoid.
 */
import type { ParserModule } from '../src/model/parser.js';
import ansible from './ansible/ansible.js';
import audit from './audit/audit.js';
import commandError from './command-error/command-error.js';
import conntrack from './conntrack/conntrack.js';
import containerLog from './container-log/container-log.js';
import containers from './containers/containers.js';
import dmesg from './dmesg/dmesg.js';
import ethtool from './ethtool/ethtool.js';
import ip from './ip/ip.js';
import iptables from './iptables/iptables.js';
import ipvsadm from './ipvsadm/ipvsadm.js';
import journal from './journal/journal.js';
import k8sObjects from './k8s-objects/k8s-objects.js';
import klog from './klog/klog.js';
import kubectlDescribe from './kubectl-describe/kubectl-describe.js';
import kubectlTable from './kubectl-table/kubectl-table.js';
import mount from './mount/mount.js';
import osRelease from './os-release/os-release.js';
import ps from './ps/ps.js';
import sysctl from './sysctl/sysctl.js';
import systemctl from './systemctl/systemctl.js';
import uname from './uname/uname.js';
import versions from './versions/versions.js';

export const PARSERS = {
  ansible,
  audit,
  'command-error': commandError,
  conntrack,
  'container-log': containerLog,
  containers,
  dmesg,
  ethtool,
  ip,
  iptables,
  ipvsadm,
  journal,
  'k8s-objects': k8sObjects,
  klog,
  'kubectl-describe': kubectlDescribe,
  'kubectl-table': kubectlTable,
  mount,
  'os-release': osRelease,
  ps,
  sysctl,
  systemctl,
  uname,
  versions,
} as const satisfies Record<string, ParserModule>;

export type ParserId = keyof typeof PARSERS;

export const PARSER_LIST: readonly ParserModule[] = Object.values(PARSERS);

/** Union of declared event kinds → field names, for signature checks and docs. */
export function declaredKinds(parsers: readonly ParserModule[] = PARSER_LIST): Map<string, Set<string>> {
  const kinds = new Map<string, Set<string>>();
  for (const p of parsers) {
    for (const [kind, fields] of Object.entries(p.meta.emits)) {
      const set = kinds.get(kind) ?? new Set<string>();
      for (const f of fields) set.add(f);
      kinds.set(kind, set);
    }
  }
  return kinds;
}
