/**
 * Every signature's samples, by signature id. Keep the keys sorted; one import and one entry
 * per scenario (see samples/README.md, "Adding a scenario").
 */
import type { Scenario } from './lib/scenario.js';
import adcCredentialsMissing from './adc-credentials-missing/scenario.js';
import bootstrapCidrOverlap from './bootstrap-cidr-overlap/scenario.js';
import caRotationClientconfigStale from './ca-rotation-clientconfig-stale/scenario.js';
import cbr0BridgeDown from './cbr0-bridge-down/scenario.js';
import centosEolRepos from './centos-eol-repos/scenario.js';
import cgroupV2Unsupported from './cgroup-v2-unsupported/scenario.js';
import componentRestartConnectionRefusedBenign from './component-restart-connection-refused-benign/scenario.js';
import conntrackMaxReadonly from './conntrack-max-readonly/scenario.js';
import conntrackTableFull from './conntrack-table-full/scenario.js';
import containerdPreviewCgroupfs from './containerd-preview-cgroupfs/scenario.js';
import crictlNotInSudoPath from './crictl-not-in-sudo-path/scenario.js';
import dockerServiceInactive from './docker-service-inactive/scenario.js';
import dpv2HairpinConntrackLeak from './dpv2-hairpin-conntrack-leak/scenario.js';
import dpv2IpLeakContainerd from './dpv2-ip-leak-containerd/scenario.js';
import dpv2NetpolEndportIgnored from './dpv2-netpol-endport-ignored/scenario.js';
import dpv2NfsHang from './dpv2-nfs-hang/scenario.js';
import dpv2SelfConnectionPolicyDrop from './dpv2-self-connection-policy-drop/scenario.js';
import egressSourceIpDuplicate from './egress-source-ip-duplicate/scenario.js';
import ephemeralPortRangeOverlap from './ephemeral-port-range-overlap/scenario.js';
import firewalldWipedCiliumChains from './firewalld-wiped-cilium-chains/scenario.js';
import gkeConnectAgentOom from './gke-connect-agent-oom/scenario.js';
import imagePullRetryBenign from './image-pull-retry-benign/scenario.js';
import installTransientErrorsBenign from './install-transient-errors-benign/scenario.js';
import kernelTooOldBpfNodeport from './kernel-too-old-bpf-nodeport/scenario.js';
import kubeProxyIpvsStaleRules from './kube-proxy-ipvs-stale-rules/scenario.js';
import l2lbLocalTrafficPolicy from './l2lb-local-traffic-policy/scenario.js';
import logForwarderChunkCorrupt from './log-forwarder-chunk-corrupt/scenario.js';
import maintenanceAnnotationBlocksUpgrade from './maintenance-annotation-blocks-upgrade/scenario.js';
import manifestsDirMissing from './manifests-dir-missing/scenario.js';
import multinicContainerdProxy from './multinic-containerd-proxy/scenario.js';
import namespaceDeletedBeforeCluster from './namespace-deleted-before-cluster/scenario.js';
import nodeUnreachableDrain from './node-unreachable-drain/scenario.js';
import nodeportRandomFullyConflict from './nodeport-random-fully-conflict/scenario.js';
import plegUnhealthyRunc from './pleg-unhealthy-runc/scenario.js';
import podMtuMismatch from './pod-mtu-mismatch/scenario.js';
import probeFailureRecoveredBenign from './probe-failure-recovered-benign/scenario.js';
import registryMirrorAuditproxyMissing from './registry-mirror-auditproxy-missing/scenario.js';
import rhelEndpointLimit from './rhel-endpoint-limit/scenario.js';
import rpFilterEnabled from './rp-filter-enabled/scenario.js';
import selinuxTmpfsLabel from './selinux-tmpfs-label/scenario.js';
import selinuxUpgradeContainerd171 from './selinux-upgrade-containerd-171/scenario.js';
import snapshotIncompleteNonroot from './snapshot-incomplete-nonroot/scenario.js';
import staleContainerPortInUse from './stale-container-port-in-use/scenario.js';
import tmpNoexec from './tmp-noexec/scenario.js';
import upgradeApiserverHealth443 from './upgrade-apiserver-health-443/scenario.js';
import upgradeNilContext18x from './upgrade-nil-context-18x/scenario.js';
import upgradeResourceversionInvalid from './upgrade-resourceversion-invalid/scenario.js';
import upgradeStuckWaiting181 from './upgrade-stuck-waiting-181/scenario.js';
import userClusterVersionSkew from './user-cluster-version-skew/scenario.js';
import userKubeconfigSecretOverwritten from './user-kubeconfig-secret-overwritten/scenario.js';
import vmxnet3TunnelOffload from './vmxnet3-tunnel-offload/scenario.js';
import zombiePidExhaustion from './zombie-pid-exhaustion/scenario.js';

export const SCENARIOS = {
  'adc-credentials-missing': adcCredentialsMissing,
  'bootstrap-cidr-overlap': bootstrapCidrOverlap,
  'ca-rotation-clientconfig-stale': caRotationClientconfigStale,
  'cbr0-bridge-down': cbr0BridgeDown,
  'centos-eol-repos': centosEolRepos,
  'cgroup-v2-unsupported': cgroupV2Unsupported,
  'component-restart-connection-refused-benign': componentRestartConnectionRefusedBenign,
  'conntrack-max-readonly': conntrackMaxReadonly,
  'conntrack-table-full': conntrackTableFull,
  'containerd-preview-cgroupfs': containerdPreviewCgroupfs,
  'crictl-not-in-sudo-path': crictlNotInSudoPath,
  'docker-service-inactive': dockerServiceInactive,
  'dpv2-hairpin-conntrack-leak': dpv2HairpinConntrackLeak,
  'dpv2-ip-leak-containerd': dpv2IpLeakContainerd,
  'dpv2-netpol-endport-ignored': dpv2NetpolEndportIgnored,
  'dpv2-nfs-hang': dpv2NfsHang,
  'dpv2-self-connection-policy-drop': dpv2SelfConnectionPolicyDrop,
  'egress-source-ip-duplicate': egressSourceIpDuplicate,
  'ephemeral-port-range-overlap': ephemeralPortRangeOverlap,
  'firewalld-wiped-cilium-chains': firewalldWipedCiliumChains,
  'gke-connect-agent-oom': gkeConnectAgentOom,
  'image-pull-retry-benign': imagePullRetryBenign,
  'install-transient-errors-benign': installTransientErrorsBenign,
  'kernel-too-old-bpf-nodeport': kernelTooOldBpfNodeport,
  'kube-proxy-ipvs-stale-rules': kubeProxyIpvsStaleRules,
  'l2lb-local-traffic-policy': l2lbLocalTrafficPolicy,
  'log-forwarder-chunk-corrupt': logForwarderChunkCorrupt,
  'maintenance-annotation-blocks-upgrade': maintenanceAnnotationBlocksUpgrade,
  'manifests-dir-missing': manifestsDirMissing,
  'multinic-containerd-proxy': multinicContainerdProxy,
  'namespace-deleted-before-cluster': namespaceDeletedBeforeCluster,
  'node-unreachable-drain': nodeUnreachableDrain,
  'nodeport-random-fully-conflict': nodeportRandomFullyConflict,
  'pleg-unhealthy-runc': plegUnhealthyRunc,
  'pod-mtu-mismatch': podMtuMismatch,
  'probe-failure-recovered-benign': probeFailureRecoveredBenign,
  'registry-mirror-auditproxy-missing': registryMirrorAuditproxyMissing,
  'rhel-endpoint-limit': rhelEndpointLimit,
  'rp-filter-enabled': rpFilterEnabled,
  'selinux-tmpfs-label': selinuxTmpfsLabel,
  'selinux-upgrade-containerd-171': selinuxUpgradeContainerd171,
  'snapshot-incomplete-nonroot': snapshotIncompleteNonroot,
  'stale-container-port-in-use': staleContainerPortInUse,
  'tmp-noexec': tmpNoexec,
  'upgrade-apiserver-health-443': upgradeApiserverHealth443,
  'upgrade-nil-context-18x': upgradeNilContext18x,
  'upgrade-resourceversion-invalid': upgradeResourceversionInvalid,
  'upgrade-stuck-waiting-181': upgradeStuckWaiting181,
  'user-cluster-version-skew': userClusterVersionSkew,
  'user-kubeconfig-secret-overwritten': userKubeconfigSecretOverwritten,
  'vmxnet3-tunnel-offload': vmxnet3TunnelOffload,
  'zombie-pid-exhaustion': zombiePidExhaustion,
} as const satisfies Record<string, Scenario>;

export type ScenarioId = keyof typeof SCENARIOS;

export const SCENARIO_IDS = Object.keys(SCENARIOS) as ScenarioId[];
