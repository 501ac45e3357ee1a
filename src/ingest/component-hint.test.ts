import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentFromContent } from './component-hint.js';
import { makeProbe } from './classify.js';
import { ROOT } from '../../test/support/cli.js';

const real = (p: string) => readFileSync(join(ROOT, '../shared/real-samples', p), 'utf8');

describe('component of a log from its content', () => {
  it('knows kube-proxy by its klog callers, with and without a journal prefix', () => {
    expect(componentFromContent(real('kube-proxy/ipvs-graceful-termination.txt'))).toBe('kube-proxy');
    expect(componentFromContent(real('kube-proxy/ipvs-graceful-termination-journald.txt'))).toBe('kube-proxy');
  });
  it('knows kubelet by its klog callers', () => {
    expect(componentFromContent(real('kubelet/pleg-not-healthy-journald.txt'))).toBe('kubelet');
  });
  it('names nothing for callers shared by several components, for non-klog text and on a tie', () => {
    expect(componentFromContent('I0305 03:57:54.255071       1 server.go:148] Version: v1.20.8\n')).toBeUndefined();
    expect(componentFromContent(real('ps/ps-ef-spaces-in-cmd-insights-core.txt'))).toBeUndefined();
    expect(componentFromContent([
      'I0305 03:57:54.255071       1 proxier.go:411] x',
      'I0305 03:57:54.255071       1 kubelet.go:1852] y',
    ].join('\n'))).toBeUndefined();
  });
  it('lets the path decide when it names a component', () => {
    const head = Buffer.from('I0517 23:42:46.043950       1 graceful_termination.go:160] Trying to delete rs: 10.233.0.1:443/TCP/172.17.8.102:6443\n');
    expect(makeProbe({ address: 'a', path: 'logs/kube-system/anetd-4k55h/cilium-agent.log', name: 'cilium-agent.log', head }).component).toBe('cilium');
    expect(makeProbe({ address: 'a', path: 'ticket/out.txt', name: 'out.txt', head }).component).toBe('kube-proxy');
  });
});
