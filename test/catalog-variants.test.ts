/**
 * The shipped catalog against the forms messages take in newer releases: kubelet and kube-proxy
 * 1.21+ write structured klog lines (`"Skipping pod synchronization" err="[PLEG is not healthy:
 * …]"`) whose telling text sits in a field, not in the message. Each case is a small folder laid
 * out like a snapshot (nodes/<ip>/<command>, logs/<ns>/<pod>/<container>.log, kubectlCommands/).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeBundle } from '../src/analyze.js';
import { loadSignatureDirs } from '../src/dsl/load.js';
import { compileSignatures } from '../src/match/compile.js';
import type { Finding } from '../src/model/finding.js';

const { signatures } = await loadSignatureDirs([]);
const compiled = compileSignatures(signatures);
const work = mkdtempSync(join(tmpdir(), 'kubesleuth-variants-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let cases = 0;
async function scan(files: Record<string, string>): Promise<Finding[]> {
  const root = join(work, `case-${++cases}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return (await analyzeBundle(root, { signatures, compiled })).findings;
}

const ranked = (findings: Finding[]) => findings.filter((f) => ['confirmed', 'possible', 'advisory'].includes(f.confidence));
const top = (findings: Finding[]) => ranked(findings).map((f) => [f.id, f.confidence])[0];
const clauseCount = (f: Finding | undefined, name: string) => f?.clauses.find((c) => c.name === name)?.count;

const JOURNAL_HEAD = '-- Logs begin at Mon 2024-03-11 06:00:00 UTC, end at Mon 2024-03-11 09:00:00 UTC. --';

/** A kubelet journal line of node-b in the structured (InfoS / ErrorS) form. */
function kubelet(time: string, level: 'I' | 'E', caller: string, body: string): string {
  return `Mar 11 ${time} node-b kubelet[1450]: ${level}0311 ${time}.100000    1450 ${caller}] ${body}`;
}

const PS_RUNC_INIT = [
  'UID          PID    PPID  C    SZ   RSS PSR STIME TTY          TIME CMD',
  'root           1       0  0 42000 11000   0 06:00 ?        00:00:02 /sbin/init',
  'root        4242     900  0  1000  2000   1 06:40 ?        00:00:00 runc init',
  '',
].join('\n');

describe('catalog: structured kubelet lines (1.21+)', () => {
  it('pleg-unhealthy-runc reads the PLEG error from the err field, even in a short excerpt', async () => {
    const lines = ['07:10:01', '07:10:06', '07:10:11', '07:10:16'].map((t, i) =>
      kubelet(t, 'I', 'kubelet.go:2359', `"Skipping pod synchronization" err="[container runtime is down, PLEG is not healthy: pleg was last seen active 3m${5 + 5 * i}.3s ago; threshold is 3m0s]"`));
    const findings = await scan({
      'nodes/10.0.0.6/journalctl --utc -u kubelet': [JOURNAL_HEAD, ...lines, ''].join('\n'),
      'nodes/10.0.0.6/ps -edF': PS_RUNC_INIT,
    });
    expect(top(findings)).toEqual(['pleg-unhealthy-runc', 'confirmed']);
  });

  it('pleg-unhealthy-runc ignores the structured start-up line "pleg has yet to be successful"', async () => {
    const lines = ['07:10:01', '07:10:06', '07:10:11', '07:10:16'].map((t) =>
      kubelet(t, 'I', 'kubelet.go:2359', '"Skipping pod synchronization" err="[container runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]"'));
    const findings = await scan({
      'nodes/10.0.0.6/journalctl --utc -u kubelet': [JOURNAL_HEAD, ...lines, ''].join('\n'),
      'nodes/10.0.0.6/ps -edF': PS_RUNC_INIT,
    });
    expect(ranked(findings).map((f) => f.id)).not.toContain('pleg-unhealthy-runc');
  });

  it('image-pull-retry-benign sets aside structured pull errors that name the image only in a field', async () => {
    const findings = await scan({
      'nodes/10.0.0.5/journalctl --utc -u kubelet': [
        JOURNAL_HEAD,
        kubelet('07:00:01', 'E', 'remote_image.go:238', '"PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"gcr.io/acme/app:v2\\": dial tcp 142.250.1.82:443: i/o timeout" image="gcr.io/acme/app:v2"'),
        kubelet('07:00:01', 'E', 'pod_workers.go:1294', '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with ErrImagePull: \\"rpc error: code = Unknown desc = failed to pull and unpack image\\"" pod="shop/app-5d8c" podUID=0b7c'),
        kubelet('07:00:15', 'E', 'pod_workers.go:1294', '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with ImagePullBackOff: \\"Back-off pulling image \\\\\\"gcr.io/acme/app:v2\\\\\\"\\"" pod="shop/app-5d8c" podUID=0b7c'),
        '',
      ].join('\n'),
      'nodes/10.0.0.5/journalctl --utc -u containerd': [
        JOURNAL_HEAD,
        'Mar 11 07:01:00 node-b containerd[900]: time="2024-03-11T07:01:00.090000000Z" level=info msg="PullImage \\"gcr.io/acme/app:v2\\" returns image reference \\"sha256:1234\\""',
        '',
      ].join('\n'),
    });
    const benign = findings.find((f) => f.id === 'image-pull-retry-benign');
    expect(benign?.confidence).toBe('benign');
    expect(clauseCount(benign, 'backoff')).toBe(3);
  });

  it('component-restart-connection-refused-benign sets aside structured connection-refused lines', async () => {
    const findings = await scan({
      'nodes/10.0.0.5/journalctl --utc -u kubelet': [
        JOURNAL_HEAD,
        kubelet('07:00:01', 'E', 'kubelet_node_status.go:92', '"Unable to register node with API server" err="Post \\"https://10.0.0.1:6443/api/v1/nodes\\": dial tcp 10.0.0.1:6443: connect: connection refused" node="node-b"'),
        kubelet('07:00:02', 'E', 'reflector.go:147', '"Unhandled Error" err="k8s.io/client-go/informers/factory.go:160: Failed to watch *v1.Service: failed to list *v1.Service: Get \\"https://10.0.0.1:6443/api/v1/services?limit=500\\": dial tcp 10.0.0.1:6443: connect: connection refused"'),
        kubelet('07:00:20', 'I', 'kubelet_node_status.go:76', '"Successfully registered node" node="node-b"'),
        '',
      ].join('\n'),
    });
    const benign = findings.find((f) => f.id === 'component-restart-connection-refused-benign');
    expect(benign?.confidence).toBe('benign');
    expect(clauseCount(benign, 'refused')).toBe(2);
  });

  it('log-forwarder-chunk-corrupt sees the structured CrashLoopBackOff of the forwarder', async () => {
    const backoff = (t: string) => kubelet(t, 'E', 'pod_workers.go:1294',
      '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"stackdriver-log-forwarder\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=stackdriver-log-forwarder pod=stackdriver-log-forwarder-x7k2p_kube-system(5f0e)\\"" pod="kube-system/stackdriver-log-forwarder-x7k2p" podUID=5f0e');
    const findings = await scan({
      'kubectlCommands/kubectl get nodes -o wide': [
        'NAME     STATUS   ROLES    AGE   VERSION            INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION     CONTAINER-RUNTIME',
        'node-b   Ready    <none>   44d   v1.21.5-gke.1200   10.0.0.7      <none>        Ubuntu 20.04.2 LTS   5.8.0-63-generic   containerd://1.4.8',
        '',
      ].join('\n'),
      'kubectlCommands/kube-system/kubectl get pods -o wide': [
        'NAME                              READY   STATUS    RESTARTS   AGE   IP            NODE     NOMINATED NODE   READINESS GATES',
        'stackdriver-log-forwarder-x7k2p   1/1     Running   2          44d   192.168.1.7   node-b   <none>           <none>',
        '',
      ].join('\n'),
      'logs/kube-system/stackdriver-log-forwarder-x7k2p/stackdriver-log-forwarder.log': [
        '[2024/03/11 07:20:01] [ info] [storage] backlog input plugin: storage_backlog.3',
        '[2024/03/11 07:20:01] [error] [input:storage_backlog:storage_backlog.3] chunk validation failed, data might be corrupted. Found 12 valid records, failed content starts right after byte 4181.',
        '',
      ].join('\n'),
      'nodes/10.0.0.7/journalctl --utc -u kubelet': [JOURNAL_HEAD, backoff('07:25:01'), backoff('07:30:12'), backoff('07:35:20'), ''].join('\n'),
    });
    expect(top(findings)).toEqual(['log-forwarder-chunk-corrupt', 'confirmed']);
  });
});

describe('catalog: outputs as the seeds have you collect them', () => {
  /** One row of `ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H`. */
  function psRow(pid: number, ppid: number, stat: string, wchan: string, depth: number, comm: string, args: string, cgroup: string): string {
    const indent = ' '.repeat(2 * depth);
    const cut = (t: string, w: number) => (indent + t).slice(0, w).padEnd(w);
    return `${String(pid).padStart(7)} ${String(ppid).padStart(7)} ${stat.padEnd(4)} ${wchan.padEnd(20)} ${'4026531993'.padStart(10)} ${cut(comm, 15)} ${cut(args, 50)} ${cgroup}`;
  }
  const LIVE = '276e173b0846e24b704d47e0d4d5e1d8f1b7a2d7c9c3f2e1a0b9c8d7e6f5a4b3';
  const STALE = 'ab4c7762f5abf40951770aa0d4d5e1d8f1b7a2d7c9c3f2e1a0b9c8d7e6f5a4b3';
  const POD_CGROUP = '12:pids:/kubepods/besteffort/poddb9ed086-edba-11e8-bdd6-42010a800164';
  const shim = (id: string) => `docker-containerd-shim ${id} /var/run/docker/libcontainerd/${id} docker-runc`;

  function staleBundle(dockerIds: string[]): Record<string, string> {
    return {
      'kubectlCommands/kubectl get nodes -o wide': [
        'NAME          STATUS   ROLES    AGE   VERSION           INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                             KERNEL-VERSION   CONTAINER-RUNTIME',
        'gke-pool-1-a  Ready    <none>   12d   v1.11.2-gke.18    10.0.0.9      <none>        Container-Optimized OS from Google   4.14.65+         docker://17.3.2',
        '',
      ].join('\n'),
      'kubectlCommands/default/kubectl get pods -o wide': [
        'NAME                      READY   STATUS             RESTARTS   AGE   IP          NODE           NOMINATED NODE',
        'ubuntu-6948dd5657-4gsgg   1/2     CrashLoopBackOff   14         2h    10.4.1.12   gke-pool-1-a   <none>',
        '',
      ].join('\n'),
      'logs/default/ubuntu-6948dd5657-4gsgg/redis.log': '16 Oct 05:06:47.533 # Creating Server TCP listening socket *:60250: bind: Address already in use\n',
      'nodes/10.0.0.9/ps -eo pid,ppid,stat,wchan:20,netns,comm,args:50,cgroup --cumulative -H': [
        '    PID    PPID STAT WCHAN                     NETNS COMMAND         COMMAND                                            CGROUP',
        psRow(1, 0, 'Ss', 'ep_poll', 0, 'systemd', '/sbin/init', '12:pids:/init.scope'),
        psRow(959, 1, 'Ssl', 'futex_wait_queue_me', 1, 'dockerd', '/usr/bin/dockerd -H fd://', '12:pids:/system.slice/docker.service'),
        psRow(1283089, 959, 'Sl', 'futex_wait_queue_me', 2, 'docker-containerd-shim', shim(LIVE), '12:pids:/system.slice/docker.service'),
        psRow(1283107, 1283089, 'Ss', 'sys_pause', 3, 'pause', '/pause', `${POD_CGROUP}/${LIVE}`),
        psRow(1283150, 959, 'Sl', 'futex_wait_queue_me', 2, 'docker-containerd-shim', shim(STALE), '12:pids:/system.slice/docker.service'),
        psRow(1283169, 1283150, 'Ss', 'do_wait', 3, 'sh', '/bin/sh -c echo hello && sleep 6000000', `${POD_CGROUP}/${STALE}`),
        '',
      ].join('\n'),
      'nodes/10.0.0.9/docker ps -a': [
        'CONTAINER ID        IMAGE                  COMMAND                  CREATED             STATUS              PORTS               NAMES',
        ...dockerIds.map((id) => `${id.slice(0, 12)}        k8s.gcr.io/pause:3.1   "/pause"                 2 hours ago         Up 2 hours                              k8s_POD_ubuntu-6948dd5657-4gsgg_default_db9ed086-edba-11e8-bdd6-42010a800164_0`),
        '',
      ].join('\n'),
    };
  }

  it('stale-container-port-in-use compares args:50-truncated shim ids with plain `docker ps -a`', async () => {
    expect(top(await scan(staleBundle([LIVE])))).toEqual(['stale-container-port-in-use', 'confirmed']);
  });

  it('stale-container-port-in-use stays silent when Docker lists every shim\'s container', async () => {
    const findings = await scan(staleBundle([LIVE, STALE]));
    expect(findings.filter((f) => f.confidence === 'confirmed').map((f) => f.id)).not.toContain('stale-container-port-in-use');
  });
});
