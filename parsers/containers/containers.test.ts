import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import containers, { dockerState, headerColumns, sliceRow } from './containers.js';
import { probeFor, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('table slicing', () => {
  it('keeps multi-word titles and slices values that hold spaces', () => {
    const cols = headerColumns('CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD');
    expect(cols.map((c) => c.title)).toEqual(['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD']);
    const row = sliceRow('1f73f2d81bf98       3a2d1a9a4d3e7       About an hour ago   Running             kube-proxy          0                   9d4c8f3a2b1e0       kube-proxy-x7k2p', cols);
    expect(row).toMatchObject({ CREATED: 'About an hour ago', 'POD ID': '9d4c8f3a2b1e0', POD: 'kube-proxy-x7k2p' });
  });
  it('reads docker statuses', () => {
    expect(dockerState('Exited (137) 6 days ago')).toEqual({ state: 'exited', exitCode: 137 });
    expect(dockerState('Up 2 hours (healthy)')).toEqual({ state: 'running' });
    expect(dockerState('Up 5 seconds (Paused)')).toEqual({ state: 'paused' });
    expect(dockerState('Restarting (1) 5 seconds ago')).toEqual({ state: 'restarting', exitCode: 1 });
    expect(dockerState('Removal In Progress')).toEqual({ state: 'removing' });
  });
});

describe('docker ps -a', () => {
  const run = runParser(containers, fixture('docker-ps-a.txt'), 'nodes/10.200.0.3/docker_ps_-a_||_true');
  it('emits one container per row, sliced by the header offsets', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(6);
    expect(run.events[0]).toMatchObject({
      kind: 'container', source: 'docker', line: 2,
      fields: {
        id: '9a8b7c6d5e4f', image: 'a0b1c2d3e4f5', command: '/usr/local/bin/kube…', created: '3 minutes ago',
        status: 'Exited (1) 3 minutes ago', state: 'exited', exitCode: 1, runtime: 'docker',
        name: 'k8s_kube-proxy_kube-proxy-x7k2p_kube-system_5b1c2d3e-0000-4000-8000-000000000001_4',
        container: 'kube-proxy', pod: 'kube-proxy-x7k2p', namespace: 'kube-system', attempt: 4,
      },
    });
    expect(run.events[0].fields.ports).toBeUndefined();
  });
  it('gives every docker id its 12-character prefix, truncated or not', () => {
    expect(run.events.map((e) => e.fields.shortId)).toEqual(run.events.map((e) => e.fields.id));
    const full = 'ab4c7762f5abf40951770aa0d4d5e1d8f1b7a2d7c9c3f2e1a0b9c8d7e6f5a4b3';
    const noTrunc = runParser(containers, [
      'CONTAINER ID                                                       IMAGE     COMMAND    CREATED       STATUS       PORTS     NAMES',
      `${full}   busybox   "sh"       2 hours ago   Up 2 hours             web`,
    ].join('\n'), 'docker ps -a --no-trunc');
    expect(noTrunc.events[0].fields).toMatchObject({ id: full, shortId: 'ab4c7762f5ab' });
  });
  it('reads ports, quoted commands with spaces and non-Kubernetes names', () => {
    expect(run.events[3].fields).toMatchObject({ ports: '0.0.0.0:8080->80/tcp, :::8080->80/tcp', name: 'web', container: 'web', state: 'running' });
    expect(run.events[3].fields.pod).toBeUndefined();
    expect(run.events[4].fields).toMatchObject({ command: "sh -c 'sleep 3600'", state: 'created', name: 'quirky_hopper' });
    expect(run.events[5].fields).toMatchObject({ exitCode: 137, container: 'etcd', pod: 'etcd-cp-1' });
    expect(run.events[2].fields).toMatchObject({ status: 'Up 2 hours (healthy)', image: 'gcr.io/gke-on-prem-release/anetd:v1.8.2-gke.5' });
  });
  it('is detected by name and content, and by content alone', () => {
    expect(containers.detect(probeFor('nodes/n/docker_ps_-a_||_true', fixture('docker-ps-a.txt')))).toBe(1);
    expect(containers.detect(probeFor('nodes/n/containers.txt', fixture('docker-ps-a.txt')))).toBe(0.8);
  });
});

describe('crictl ps -a', () => {
  it('reads state, attempt, pod id and pod', () => {
    const run = runParser(containers, fixture('crictl-ps-a.txt'), 'nodes/n/crictl ps -a');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.fields.state)).toEqual(['running', 'exited', 'created']);
    expect(run.events[1]).toMatchObject({
      source: 'crictl',
      fields: { id: '8e1a2b3c4d5e6', created: 'About an hour ago', status: 'Exited', name: 'cilium-agent', container: 'cilium-agent', attempt: 3, podId: '7b2c3d4e5f6a7', pod: 'anetd-5x2lq', runtime: 'cri' },
    });
    expect(run.events[1].fields.exitCode).toBeUndefined();
  });
  it('skips crictl WARN notices and turns its fatal line into a command error', () => {
    const text = [
      'WARN[0000] runtime connect using default endpoints: [unix:///var/run/dockershim.sock unix:///run/containerd/containerd.sock unix:///run/crio/crio.sock]. As the default settings are now deprecated, you should set the endpoint instead.',
      'FATA[0002] listing containers: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial unix /run/containerd/containerd.sock: connect: permission denied"',
    ].join('\n');
    const run = runParser(containers, text, 'nodes/n/crictl ps -a');
    expect(run.warnings).toEqual([]);
    expect(run.events).toEqual([expect.objectContaining({ kind: 'command.error', line: 2, fields: expect.objectContaining({ command: 'crictl ps -a', reason: 'permission-denied' }) })]);
  });
  it('reads an older crictl table without the POD column', () => {
    const text = 'CONTAINER ID        IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID\n1f73f2d81bf98       3a2d1a9a4d3e7       2 hours ago         Running             kube-proxy          0                   9d4c8f3a2b1e0\n';
    const run = runParser(containers, text, 'crictl ps -a');
    expect(run.events[0].fields).toMatchObject({ id: '1f73f2d81bf98', runtime: 'cri', podId: '9d4c8f3a2b1e0', name: 'kube-proxy' });
  });
});

describe('containers on broken input', () => {
  it('warns on lines before the header, garbage rows, binary and a cut row', () => {
    const text = [
      'something odd',
      'CONTAINER ID   IMAGE     COMMAND    CREATED        STATUS       PORTS     NAMES',
      '3f4e5d6c7b8a   pause     "/pause"   2 hours ago    Up 2 hours             k8s_POD_a_b_c_0',
      'not a row',
      '\x00\x01\x02\x03',
      '9a8b7c6d5e4f   pause     "/pause"   2 hours ago    Up 2',
    ].join('\n');
    const run = runParser(containers, text, 'docker ps -a');
    expect(run.events.map((e) => e.fields.id)).toEqual(['3f4e5d6c7b8a', '9a8b7c6d5e4f']);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['containers.no-header', 1], ['containers.bad-row', 4], ['containers.binary', 5], ['containers.truncated', 6]]);
  });
});
