import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import kubectlTable, { headerColumns, normaliseResource, parseKubectlGet, splitRow } from './kubectl-table.js';
import { probeFor, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
const run = (name: string, path = `snapshot/kubectlCommands/${name}`) => runParser(kubectlTable, fixture(name), path);

describe('kubectl-table: pods', () => {
  const r = run('kubectl_get_pods_-o_wide_-n_kube-system');

  it('cuts cells at header offsets, so restarts with "(4m ago)" and multi-word headers survive', () => {
    expect(r.warnings).toEqual([]);
    expect(r.events).toHaveLength(5);
    expect(r.events[0].fields).toEqual({
      resource: 'pods', namespace: 'kube-system', name: 'anetd-5x2lq', ready: '1/1', status: 'Running',
      restarts: 1, restartsAgo: '4m', age: '10d', ip: '10.200.0.3', node: 'node-1',
      'nominated-node': '<none>', 'readiness-gates': '<none>',
    });
    expect(r.events[1].fields).toMatchObject({ status: 'CrashLoopBackOff', restarts: 27, restartsAgo: '2m11s' });
    expect(r.events[2].fields).toMatchObject({ name: 'coredns-6b8c9d7f5-ztr2p', status: 'Terminating', restarts: 0 });
    expect(r.events[2].fields.restartsAgo).toBeUndefined();
  });

  it('puts a pod row on its node, and none on a pending pod', () => {
    expect(r.events.map((e) => e.node)).toEqual(['node-1', 'node-2', 'node-2', 'node-1', undefined]);
    expect(r.events[0]).toMatchObject({ source: 'kubectl', kind: 'k8s.row', line: 2 });
  });
});

describe('kubectl-table: nodes -o wide', () => {
  const r = run('kubectl_get_nodes_-o_wide');

  it('keeps comma-joined statuses and spaced OS names', () => {
    expect(r.events[0].fields).toMatchObject({
      resource: 'nodes', name: 'node-1', status: 'Ready,SchedulingDisabled', roles: 'control-plane,master',
      version: 'v1.20.8-gke.1500', 'internal-ip': '10.200.0.3', 'external-ip': '<none>',
      'os-image': 'Ubuntu 18.04.5 LTS', 'kernel-version': '4.15.0-144-generic', 'container-runtime': 'containerd://1.4.6',
    });
    expect(r.events[0].fields.namespace).toBeUndefined();
    expect(r.events[1].fields.status).toBe('NotReady');
    expect(r.events[1].node).toBe('node-2');
  });

  it('records node facts per node', () => {
    const node1 = r.facts.filter((f) => f.node === 'node-1').map((f) => `${f.name}=${f.value}`);
    expect(node1).toEqual([
      'node=node-1', 'node.role=control-plane', 'node.role=master', 'node.ip=10.200.0.3', 'kubelet=v1.20.8-gke.1500', 'kubernetes=v1.20.8-gke.1500', 'kernel=4.15.0-144-generic',
      'os.name=Ubuntu 18.04.5 LTS', 'container-runtime=containerd://1.4.6', 'containerd=1.4.6',
    ]);
    // `<none>` roles give no role fact.
    expect(r.facts.filter((f) => f.node === 'node-2').map((f) => f.name)).toEqual([
      'node', 'node.ip', 'kubelet', 'kubernetes', 'kernel', 'os.name', 'container-runtime', 'containerd',
    ]);
  });
});

describe('kubectl-table: services, all, events', () => {
  it('reads -A tables with the namespace column', () => {
    const r = run('kubectl_get_svc_-A');
    expect(r.events.map((e) => [e.fields.namespace, e.fields.name, e.fields.type])).toEqual([
      ['default', 'kubernetes', 'ClusterIP'], ['gke-system', 'istio-ingress', 'LoadBalancer'], ['kube-system', 'kube-dns', 'ClusterIP'],
    ]);
    expect(r.events[1].fields).toMatchObject({ resource: 'services', 'cluster-ip': '10.96.3.17', 'external-ip': '10.200.0.50', 'port(s)': '80:30080/TCP,443:30443/TCP' });
  });

  it('reads every table of kubectl get all, with the resource from the name prefix', () => {
    const r = run('kubectl_get_all_-A');
    expect(r.events.map((e) => `${e.fields.resource}:${e.fields.name}`)).toEqual([
      'pods:anetd-5x2lq', 'pods:kube-proxy-87b8t', 'services:kubernetes', 'daemonsets:anetd', 'daemonsets:kube-proxy', 'deployments:coredns',
    ]);
    expect(r.events[3].fields).toMatchObject({ desired: 3, current: 3, ready: 2, 'up-to-date': 3, available: 2, 'node-selector': 'kubernetes.io/os=linux' });
    expect(r.events[5].fields.ready).toBe('2/2');
    expect(r.warnings).toEqual([]);
  });

  it('turns an events table into rows and k8s.event events', () => {
    const r = run('kubectl_get_events_-A');
    const events = r.events.filter((e) => e.kind === 'k8s.event');
    expect(r.events.filter((e) => e.kind === 'k8s.row')).toHaveLength(2);
    expect(events[0]).toMatchObject({
      severity: 'warning',
      fields: { type: 'Warning', reason: 'FailedCreatePodSandBox', age: '3m', objectKind: 'pod', object: 'coredns-6b8c9d7f5-ztr2p', namespace: 'kube-system' },
    });
    expect(events[0].message).toMatch(/no IP addresses available in range set: 192\.168\.1\.1-192\.168\.1\.254$/);
    expect(events[1]).toMatchObject({ severity: 'info', fields: { reason: 'Scheduled' } });
  });
});

describe('kubectl-table: custom columns, broken rows, detection', () => {
  it('reads custom columns and guesses nothing it cannot', () => {
    const text = 'POD                 HOST-IP      QOS\nanetd-5x2lq         10.200.0.3   Burstable\n';
    const r = runParser(kubectlTable, text, 'kubectl_get_pods_-A_-o_custom-columns=POD:.metadata.name,HOST-IP:.status.hostIP,QOS:.status.qosClass');
    expect(r.events[0].fields).toEqual({ resource: 'pods', name: 'anetd-5x2lq', pod: 'anetd-5x2lq', 'host-ip': '10.200.0.3', qos: 'Burstable' });
  });

  it('guesses the resource from the header when the file name does not say', () => {
    const r = runParser(kubectlTable, fixture('kubectl_get_nodes_-o_wide'), 'out.txt');
    expect(r.events[0].fields.resource).toBe('nodes');
  });

  it('splits a misaligned row on spaces with one warning, and reports kubectl errors and orphan lines', () => {
    const text = [
      'garbage before any header',
      'NAME     READY   STATUS    RESTARTS   AGE',
      'pod-a    1/1     Running   0          1d',
      'pod-with-a-very-long-name 0/1 Error 3 2d',
      '\u0000\u0001\u00ff binary',
      'Unable to connect to the server: dial tcp 10.200.0.49:443: i/o timeout',
      'E0615 10:00:00.000000   12345 memcache.go:255] couldn\'t get resource list for metrics.k8s.io/v1beta1: the server is currently unable to handle the request',
    ].join('\n');
    const r = runParser(kubectlTable, text, 'kubectl get pods');
    expect(r.warnings).toEqual([
      { code: 'kubectl-table.orphan-line', line: 1, message: expect.any(String) },
      { code: 'kubectl-table.misaligned', line: 4, message: expect.stringContaining('line 2') },
    ]);
    const rows = r.events.filter((e) => e.kind === 'k8s.row');
    expect(rows[1].fields).toMatchObject({ name: 'pod-with-a-very-long-name', ready: '0/1', status: 'Error', restarts: 3, age: '2d' });
    expect(rows).toHaveLength(3);
    const logs = r.events.filter((e) => e.kind === 'log');
    expect(logs[0]).toMatchObject({ severity: 'error', line: 6, message: expect.stringContaining('i/o timeout') });
    expect(logs[1]).toMatchObject({ severity: 'error', line: 7, source: 'kubectl', message: expect.stringContaining('metrics.k8s.io') });
  });

  it('detects tables by name and content, and leaves other tools alone', () => {
    const pods = fixture('kubectl_get_pods_-o_wide_-n_kube-system');
    expect(kubectlTable.detect(probeFor('kubectl_get_pods_-o_wide_-n_kube-system', pods))).toBe(1);
    expect(kubectlTable.detect(probeFor('out.txt', pods))).toBe(0.8);
    expect(kubectlTable.detect(probeFor('kubectl get pods', 'No resources found in default namespace.\n'))).toBe(0.5);
    expect(kubectlTable.detect(probeFor('kubectl get pods -o yaml', 'apiVersion: v1\n'))).toBe(0);
    expect(kubectlTable.detect(probeFor('lsblk', 'NAME   MAJ:MIN RM   SIZE RO TYPE MOUNTPOINT\nsda      8:0    0   100G  0 disk\n'))).toBe(0);
    expect(kubectlTable.detect(probeFor('ps', '  PID TTY          TIME CMD\n    1 ?        00:00:01 systemd\n'))).toBe(0);
    expect(kubectlTable.detect(probeFor('ipvsadm -Ln', 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n'))).toBe(0);
  });
});

describe('kubectl-table helpers', () => {
  it('normalises resource names and parses kubectl get command lines', () => {
    expect(['po', 'pod', 'svc', 'ep', 'networkpolicy', 'egressnatpolicies', 'clusters.baremetal.cluster.gke.io', 'ingress'].map(normaliseResource))
      .toEqual(['pods', 'pods', 'services', 'endpoints', 'networkpolicies', 'egressnatpolicies', 'clusters', 'ingresses']);
    expect(parseKubectlGet('kubectl --kubeconfig kc get pods -o wide -n kube-system')).toEqual({ resources: ['pods'], namespace: 'kube-system', allNamespaces: false });
    expect(parseKubectlGet('kubectl get pods,svc -A')).toEqual({ resources: ['pods', 'services'], namespace: undefined, allNamespaces: true });
    expect(parseKubectlGet('journalctl -u kubelet')).toBeUndefined();
  });
  it('keeps empty cells empty', () => {
    const cols = headerColumns('NAME   HOLDER   AGE');
    expect(splitRow(`${'a'.padEnd(16)}1d`, cols)).toEqual({ cells: ['a', '', '1d'], aligned: true });
  });
});
