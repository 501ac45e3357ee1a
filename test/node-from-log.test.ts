import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeResolver } from '../src/node-resolver.js';
import type { Event } from '../src/model/event.js';
import { unpack } from './support/archives.js';
import { BUNDLES, cli } from './support/cli.js';

const log = (pod: string, message: string, fields: Event['fields'] = {}): Event => ({ source: 'kube-proxy', kind: 'log', pod, message, fields, loc: { file: 'f', line: 1 } });

describe('a pod placed on its node by its own log', () => {
  it('reads the node IP kube-proxy logs at start, in text and structured form', () => {
    const r = new NodeResolver();
    r.learn(log('kube-proxy-a', 'Successfully retrieved node IP: 192.168.49.2'));
    r.learn(log('kube-proxy-b', 'Successfully retrieved node IP(s)', { IPs: '[10.200.0.9]' }));
    r.learn(log('kube-proxy-c', 'Using ipvs Proxier.'));
    expect([r.nodeOfPod('kube-proxy-a'), r.nodeOfPod('kube-proxy-b'), r.nodeOfPod('kube-proxy-c')]).toEqual(['192.168.49.2', '10.200.0.9', undefined]);
  });

  it('lets a kubectl pod listing win over the log', () => {
    const r = new NodeResolver();
    r.learn(log('kube-proxy-a', 'Successfully retrieved node IP: 192.168.49.2'));
    r.learn({ source: 'kubectl', kind: 'k8s.row', fields: { resource: 'pods', name: 'kube-proxy-a', node: 'cp-1' }, loc: { file: 'f', line: 1 } });
    expect(r.nodeOfPod('kube-proxy-a')).toBe('cp-1');
  });

  it('confirms the IPVS issue on its node when the snapshot has no kubectl pod listing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesleuth-nopods-'));
    try {
      await unpack(join(BUNDLES, 'ipvs-stale-rules.tar.gz'), dir);
      const top = join(dir, readdirSync(dir)[0]);
      rmSync(join(top, 'kubectl', 'kubectl_get_pods_-o_wide_--all-namespaces'));
      const scan = () => JSON.parse(cli(['scan', dir, '--format', 'json']).stdout).findings.find((f: { id: string }) => f.id === 'kube-proxy-ipvs-stale-rules');
      // Without the listing nothing ties the kube-proxy log to the node whose IPVS table is stale.
      expect(scan()).toMatchObject({ confidence: 'possible' });
      const file = join(top, 'logs', 'kube-system', 'kube-proxy-vppxm', 'kube-proxy.log');
      writeFileSync(file, `I0305 03:57:54.200000       1 node.go:172] Successfully retrieved node IP: 10.200.0.9\n${readFileSync(file, 'utf8')}`);
      expect(scan()).toMatchObject({ confidence: 'confirmed', nodes: ['10.200.0.9'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
