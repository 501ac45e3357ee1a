import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import kubectlDescribe, { camelKey, kindFromCommand } from './kubectl-describe.js';
import { probeFor, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');

describe('kubectl-describe: pods', () => {
  const run = runParser(kubectlDescribe, fixture('kubectl_describe_pods_-n_kube-system'), 'snap/kubectl_describe_pods_-n_kube-system');
  const objects = run.events.filter((e) => e.kind === 'k8s.describe');
  const events = run.events.filter((e) => e.kind === 'k8s.event');

  it('emits one k8s.describe per object with top-level keys lower-camel-cased', () => {
    expect(run.warnings).toEqual([]);
    expect(objects).toHaveLength(2);
    expect(objects[0].fields).toMatchObject({
      objectKind: 'Pod', name: 'coredns-6b8c9d7f5-ztr2p', namespace: 'kube-system', status: 'Pending',
      priority: '2000000000', priorityClassName: 'system-cluster-critical', node: 'node-2/10.200.0.4',
      startTime: 'Tue, 15 Jun 2021 10:00:00 +0000', controlledBy: 'ReplicaSet/coredns-6b8c9d7f5', qosClass: 'Burstable',
      nodeSelectors: 'kubernetes.io/os=linux', labels: 'k8s-app=kube-dns,pod-template-hash=6b8c9d7f5',
      tolerations: 'CriticalAddonsOnly op=Exists,node-role.kubernetes.io/master:NoSchedule',
      'condition.Ready': 'False', 'condition.PodScheduled': 'True', restartCount: 0, oomKilled: false, waitingReason: 'ContainerCreating',
    });
    expect(objects[0]).toMatchObject({ line: 1, endLine: 53, node: 'node-2' });
  });

  it('sums restarts and sees an OOMKilled last state', () => {
    expect(objects[1].fields).toMatchObject({ restartCount: 18, oomKilled: true, waitingReason: 'CrashLoopBackOff', status: 'Running' });
  });

  it('turns every Events row into a k8s.event tied to its object, with the (xN over T) count', () => {
    expect(events.map((e) => e.fields.reason)).toEqual(['Scheduled', 'FailedCreatePodSandBox', 'SandboxChanged', 'BackOff']);
    const sandbox = events[1];
    expect(sandbox).toMatchObject({
      severity: 'warning', line: 52,
      fields: { type: 'Warning', age: '3m', count: 12, over: '5m', from: 'kubelet', object: 'coredns-6b8c9d7f5-ztr2p', objectKind: 'Pod', namespace: 'kube-system' },
    });
    expect(sandbox.message).toMatch(/^Failed to create pod sandbox: .*no IP addresses available in range set: 192\.168\.1\.1-192\.168\.1\.254$/);
    expect(events[3].fields).toMatchObject({ count: 341, over: '1h', age: '2m11s', object: 'gke-connect-agent-20210615-7f9d8c6b5-x2k4j', namespace: 'gke-connect' });
  });
});

describe('kubectl-describe: nodes and custom resources', () => {
  it('reads node conditions, system info and facts', () => {
    const run = runParser(kubectlDescribe, fixture('kubectl_describe_nodes'), 'kubectl_describe_nodes');
    expect(run.events).toHaveLength(1);
    expect(run.events[0].fields).toMatchObject({
      objectKind: 'Node', name: 'node-2', status: 'NotReady', 'condition.Ready': 'False', 'condition.Ready.reason': 'KubeletNotReady',
      'condition.MemoryPressure': 'Unknown', kernelVersion: '4.15.0-144-generic', osImage: 'Ubuntu 18.04.5 LTS',
      containerRuntimeVersion: 'containerd://1.4.6', kubeletVersion: 'v1.20.8-gke.1500', kubeProxyVersion: 'v1.20.8-gke.1500',
      taints: 'node.kubernetes.io/unreachable:NoSchedule', podCIDR: '192.168.1.0/24', events: '<none>',
      'address.InternalIP': '10.200.0.4', 'address.Hostname': 'node-2',
    });
    expect(run.events[0].node).toBe('node-2');
    expect(run.facts.map((f) => `${f.name}=${f.value}`)).toEqual([
      'node=node-2', 'node.role=worker', 'node.ip=10.200.0.4', 'kubelet=v1.20.8-gke.1500', 'kubernetes=v1.20.8-gke.1500', 'kube-proxy=v1.20.8-gke.1500', 'kernel=4.15.0-144-generic',
      'os.name=Ubuntu 18.04.5 LTS', 'container-runtime=containerd://1.4.6',
    ]);
  });

  it('takes the kind from a Kind: line and joins a message wrapped onto the next line', () => {
    const run = runParser(kubectlDescribe, fixture('kubectl_describe_clusters_-A'), 'describe.txt');
    const obj = run.events.find((e) => e.kind === 'k8s.describe');
    expect(obj?.fields).toMatchObject({ objectKind: 'Cluster', name: 'edge-1', apiVersion: 'baremetal.cluster.gke.io/v1', annotations: 'baremetal.cluster.gke.io/operation: upgrade' });
    const err = run.events.find((e) => e.fields.reason === 'ReconcileError');
    expect(err?.message).toBe('error during manifests operations: 1 error occurred:\n* Secret "x" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
    expect(err).toMatchObject({ line: 19, endLine: 20, fields: { objectKind: 'Cluster', from: 'anthos-cluster-operator' } });
  });
});

describe('kubectl-describe: broken input and detection', () => {
  it('warns on lines outside any object and on garbage, and still reads the object', () => {
    const text = '  stray indented line\n\u0000\u00ff binary junk\nName:  x\nNamespace:  y\nStatus:  Running\n';
    const run = runParser(kubectlDescribe, text, 'kubectl describe pods');
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['kubectl-describe.orphan-line', 1], ['kubectl-describe.unknown-line', 2]]);
    expect(run.events[0].fields).toMatchObject({ objectKind: 'Pod', name: 'x', namespace: 'y', status: 'Running' });
  });

  it('detects describe output by name and content', () => {
    const text = fixture('kubectl_describe_nodes');
    expect(kubectlDescribe.detect(probeFor('kubectl_describe_nodes', text))).toBe(1);
    expect(kubectlDescribe.detect(probeFor('x.txt', text))).toBe(0.8);
    expect(kubectlDescribe.detect(probeFor('kubectl describe pods', 'No resources found in default namespace.\n'))).toBe(0.5);
    expect(kubectlDescribe.detect(probeFor('x.txt', 'NAME   READY   STATUS\n'))).toBe(0);
  });

  it('names kinds and keys', () => {
    expect(kindFromCommand('kubectl describe -n kube-system pods')).toBe('Pod');
    expect(kindFromCommand('kubectl --kubeconfig kc describe baremetalmachines.infrastructure.baremetal.cluster.gke.io -A')).toBe('BareMetalMachine');
    expect(['Start Time', 'QoS Class', 'IPs', 'CreationTimestamp', 'Node-Selectors', 'Kube-Proxy Version', 'PodCIDR'].map(camelKey))
      .toEqual(['startTime', 'qosClass', 'ips', 'creationTimestamp', 'nodeSelectors', 'kubeProxyVersion', 'podCIDR']);
  });
});
