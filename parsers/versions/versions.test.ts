import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import versions from './versions.js';
import { probeFor, runParser } from '../testing.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const pairs = (run: ReturnType<typeof runParser>) => run.events.filter((e) => e.kind === 'version').map((e) => [e.fields.component, e.fields.version]);
const facts = (run: ReturnType<typeof runParser>) => run.facts.map((f) => [f.name, f.value]);

describe('runc and containerd', () => {
  it('reads `runc --version` with its commit', () => {
    const run = runParser(versions, 'runc version 1.0.0-rc93\ncommit: 12644e614e25b05da6fd08a38ffa0cfe1903fdec\nspec: 1.0.2-dev\ngo: go1.13.15\nlibseccomp: 2.5.1\n', 'nodes/n/runc --version');
    expect(run.warnings).toEqual([]);
    expect(run.events).toEqual([expect.objectContaining({ kind: 'version', line: 1, endLine: 2, fields: { component: 'runc', version: '1.0.0-rc93', commit: '12644e614e25b05da6fd08a38ffa0cfe1903fdec' } })]);
    expect(run.facts).toEqual([{ name: 'runc', value: '1.0.0-rc93', line: 1, node: undefined }]);
  });
  it('reads the containerd.io, upstream and Ubuntu package forms', () => {
    expect(facts(runParser(versions, 'containerd containerd.io 1.4.6 d71fcd7d8303cbf684402823e425e9dd2e99285d\n', 'containerd --version'))).toEqual([['containerd', '1.4.6']]);
    expect(facts(runParser(versions, 'containerd github.com/containerd/containerd v1.6.21 3dce8eb055cbb6872793272b4f20ed16117344f8\n', 'containerd -v'))).toEqual([['containerd', 'v1.6.21']]);
    expect(facts(runParser(versions, 'containerd github.com/containerd/containerd 1.5.9-0ubuntu1~20.04.4 \n', 'containerd --version'))).toEqual([['containerd', '1.5.9-0ubuntu1~20.04.4']]);
  });
});

describe('docker', () => {
  it('reads the client and server blocks of `docker version`', () => {
    const run = runParser(versions, fixture('docker-version.txt'), 'nodes/n/docker version');
    expect(run.warnings).toEqual([]);
    expect(pairs(run)).toEqual([['docker-client', '20.10.7'], ['docker', '20.10.7'], ['containerd', '1.4.6'], ['runc', '1.0.0-rc95'], ['docker-init', '0.19.0']]);
    expect(facts(run)).toEqual([['docker', '20.10.7'], ['containerd', '1.4.6'], ['runc', '1.0.0-rc95']]);
    expect(run.events[3]).toMatchObject({ line: 24, endLine: 25, fields: { commit: 'b9ee9c6314599f1b4a7f497e1f1f856fe433d3b7' } });
    expect(run.events[0].fields.commit).toBe('f0df350');
  });
  it('turns an unreachable daemon into a command error after the client block', () => {
    const text = 'Client: Docker Engine - Community\n Version:           20.10.7\n API version:       1.41\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n';
    const run = runParser(versions, text, 'docker version');
    expect(run.warnings).toEqual([]);
    expect(run.events.map((e) => e.kind)).toEqual(['version', 'command.error']);
    expect(run.events[1].fields).toMatchObject({ reason: 'unreachable', program: 'docker', command: 'docker version' });
    expect(run.facts).toEqual([]);
  });
  it('reads `docker --version`', () => {
    const run = runParser(versions, 'Docker version 19.03.15, build 99e3ed8919\n', 'docker --version');
    expect(run.events[0].fields).toEqual({ component: 'docker', version: '19.03.15', commit: '99e3ed8919' });
  });
  it('detects `docker version` by content alone', () => {
    expect(versions.detect(probeFor('nodes/n/runtime.txt', fixture('docker-version.txt')))).toBe(0.8);
    expect(versions.detect(probeFor('nodes/n/docker_version', fixture('docker-version.txt')))).toBe(1);
  });
});

describe('kubectl and kubelet', () => {
  it('reads the version.Info form: client is kubectl, server is the cluster', () => {
    const run = runParser(versions, fixture('kubectl-version.txt'), 'kubectl version');
    expect(pairs(run)).toEqual([['kubectl', 'v1.20.8-gke.1500'], ['kubernetes', 'v1.20.8-gke.1500']]);
    expect(facts(run)).toEqual([['kubernetes', 'v1.20.8-gke.1500']]);
    expect(run.events[1].fields.commit).toBe('5b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c');
  });
  it('reads the short form with its skew warning and kustomize line', () => {
    const text = 'Client Version: v1.28.2\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\nServer Version: v1.26.5-gke.1200\nWARNING: version difference between client (1.28) and server (1.26) exceeds the supported minor version skew of +/-1\n';
    const run = runParser(versions, text, 'kubectl version --short');
    expect(run.warnings).toEqual([]);
    expect(pairs(run)).toEqual([['kubectl', 'v1.28.2'], ['kustomize', 'v5.0.4-0.20230601165947-6ce0bf390ce3'], ['kubernetes', 'v1.26.5-gke.1200']]);
  });
  it('reads `kubectl version -o yaml` and `-o json`', () => {
    const yaml = 'clientVersion:\n  buildDate: "2023-06-14T09:53:42Z"\n  gitVersion: v1.27.3\n  major: "1"\nkustomizeVersion: v5.0.1\nserverVersion:\n  gitVersion: v1.26.5-gke.1200\n  major: "1"\n';
    expect(pairs(runParser(versions, yaml, 'kubectl version -o yaml'))).toEqual([['kubectl', 'v1.27.3'], ['kustomize', 'v5.0.1'], ['kubernetes', 'v1.26.5-gke.1200']]);
    const json = '{\n  "clientVersion": {\n    "major": "1",\n    "gitVersion": "v1.27.3"\n  },\n  "serverVersion": {\n    "gitVersion": "v1.26.5-gke.1200"\n  }\n}\n';
    const run = runParser(versions, json, 'kubectl version -o json');
    expect(run.warnings).toEqual([]);
    expect(pairs(run)).toEqual([['kubectl', 'v1.27.3'], ['kubernetes', 'v1.26.5-gke.1200']]);
  });
  it('names a `Kubernetes vX` line after the binary in the file name', () => {
    expect(facts(runParser(versions, 'Kubernetes v1.20.8-gke.1500\n', 'nodes/n/kubelet --version'))).toEqual([['kubelet', 'v1.20.8-gke.1500']]);
    expect(facts(runParser(versions, 'Kubernetes v1.20.8\n', 'kube-proxy --version'))).toEqual([['kube-proxy', 'v1.20.8']]);
    expect(versions.detect(probeFor('nodes/n/kubelet_--version', 'Kubernetes v1.20.8-gke.1500\n'))).toBe(1);
    expect(versions.detect(probeFor('nodes/n/something', 'Kubernetes v1.20.8-gke.1500\n'))).toBe(0.2);
  });
  it('turns a refused connection into a command error', () => {
    const run = runParser(versions, 'Client Version: v1.28.2\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?\n', 'kubectl version');
    expect(run.events[1]).toMatchObject({ kind: 'command.error', fields: { reason: 'unreachable', program: 'kubectl' } });
  });
});

describe('crictl, bmctl and iptables', () => {
  it('reads `crictl version` as the runtime version and records container-runtime', () => {
    const run = runParser(versions, 'Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v1.4.6\nRuntimeApiVersion:  v1alpha2\n', 'crictl version');
    expect(pairs(run)).toEqual([['containerd', 'v1.4.6']]);
    expect(facts(run)).toEqual([['containerd', 'v1.4.6'], ['container-runtime', 'containerd://1.4.6']]);
    expect(versions.detect(probeFor('nodes/n/cri.txt', 'Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v1.4.6\n'))).toBe(0.8);
  });
  it('reads `ctr version`: the client is ctr, the server is containerd', () => {
    const text = 'Client:\n  Version:  v1.4.6\n  Revision: d71fcd7d8303cbf684402823e425e9dd2e99285d\n  Go version: go1.13.15\n\nServer:\n  Version:  v1.4.6\n  Revision: d71fcd7d8303cbf684402823e425e9dd2e99285d\n  UUID: 3c1d4a52-0a1b-4c2d-9e8f-7a6b5c4d3e2f\n';
    const run = runParser(versions, text, 'nodes/n/ctr version');
    expect(run.warnings).toEqual([]);
    expect(pairs(run)).toEqual([['ctr', 'v1.4.6'], ['containerd', 'v1.4.6']]);
    expect(run.events[1].fields.commit).toBe('d71fcd7d8303cbf684402823e425e9dd2e99285d');
    expect(facts(run)).toEqual([['containerd', 'v1.4.6']]);
  });
  it('reads the Docker 1.13 layout without an Engine block', () => {
    const text = 'Client:\n Version:         1.13.1\n API version:     1.26\n Package version: docker-1.13.1-162.git64e9980.el7.centos.x86_64\n\nServer:\n Version:         1.13.1\n API version:     1.26 (minimum version 1.12)\n';
    expect(pairs(runParser(versions, text, 'docker version'))).toEqual([['docker-client', '1.13.1'], ['docker', '1.13.1']]);
  });
  it('reads crictl, bmctl and iptables one-liners', () => {
    expect(pairs(runParser(versions, 'crictl version v1.20.0\n', 'crictl --version'))).toEqual([['crictl', 'v1.20.0']]);
    expect(facts(runParser(versions, 'bmctl version: 1.8.2-gke.8, git commit: 5a1b2c3d4e5f, build date: Mon Jun 14 10:00:00 PDT 2021\n', 'bmctl version'))).toEqual([['anthos-bare-metal', '1.8.2-gke.8']]);
    expect(pairs(runParser(versions, 'iptables v1.8.4 (nf_tables)\n', 'iptables --version'))).toEqual([['iptables', 'v1.8.4']]);
  });
  it('declines other files', () => {
    expect(versions.detect(probeFor('nodes/n/uptime', ' 10:00:00 up 2 days,  1:02,  1 user,  load average: 0.52, 0.58, 0.59\n'))).toBe(0);
  });
});

describe('versions on broken input', () => {
  it('warns on garbage and binary, keeps what it read, and a cut line stays a warning', () => {
    const run = runParser(versions, 'runc version 1.0.0-rc93\nwhat is this\n\x00\x01\x02\x03\nClient Version: version.Info{Major:"1", Minor:"2', 'versions.txt');
    expect(pairs(run)).toEqual([['runc', '1.0.0-rc93']]);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['versions.bad-line', 2], ['versions.binary', 3], ['versions.bad-line', 4]]);
  });
});
