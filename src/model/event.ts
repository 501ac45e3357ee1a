/**
 * The one event schema every parser emits and every signature reads.
 *
 * An event is one fact observed in one input: a log entry, an IPVS virtual service, a process
 * row, a sysctl value, a Kubernetes object. `loc` is what a report cites, so it always names the
 * full address of the file (archive members included) and the line or line range.
 */

export type Severity = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'fatal';

/** Numeric order of severities, used by `>=` comparisons in signatures. */
export const SEVERITY_ORDER: Record<Severity, number> = {
  debug: 0, info: 1, notice: 2, warning: 3, error: 4, critical: 5, fatal: 6,
};

export type FieldValue = string | number | boolean;

export interface SourceLocation {
  /** Full address: `upload.tgz!/snapshot.tar.gz!/nodes/10.200.0.3/journalctl --utc -u kubelet`. */
  file: string;
  /** 1-based first line of the event. */
  line: number;
  /** Last line when the event spans several lines (klog continuations, YAML objects). */
  endLine?: number;
}

export interface Event {
  /** The program or command that produced it: kubelet, kube-proxy, kernel, ipvsadm, ps, kubectl … */
  source: string;
  /** What the event describes: log, ipvs.service, process, sysctl, k8s.object … */
  kind: string;
  /** Node name or IP the input came from, when the layout or content says so. */
  node?: string;
  /**
   * Pod whose log the event came from. Pod logs often sit outside any node folder; the matcher
   * places them on their node once `kubectl get pods -o wide` has told it where the pod runs.
   */
  pod?: string;
  /** Epoch milliseconds (UTC) when the input carries a time. */
  time?: number;
  severity?: Severity;
  /** Free text of a log entry (the part after headers); absent for tabular events. */
  message?: string;
  /** Typed columns / key-values of the event. */
  fields: Record<string, FieldValue>;
  loc: SourceLocation;
  /** The raw input text, used for evidence excerpts (redacted before printing). */
  text?: string;
}
