import { describe, expect, it } from 'vitest';
import conntrack from './conntrack.js';
import { probeFor, realSample, runParser } from '../testing.js';

const STATS = [
  'cpu=0   \tfound=12 invalid=1532 ignore=204412 insert=0 insert_failed=0 drop=0 early_drop=0 error=12 search_restart=4 ',
  'cpu=1   \tfound=9 invalid=1611 ignore=198001 insert=0 insert_failed=37 drop=37 early_drop=0 error=9 search_restart=2 ',
].join('\n');

const LIST = [
  'tcp      6 86396 ESTABLISHED src=10.244.1.5 dst=10.96.0.1 sport=40312 dport=443 src=10.200.0.3 dst=10.244.1.5 sport=6443 dport=40312 [ASSURED] mark=0 use=1',
  'udp      17 27 src=10.244.1.7 dst=10.96.0.10 sport=53211 dport=53 [UNREPLIED] src=10.244.2.3 dst=10.244.1.7 sport=53 dport=53211 mark=0 zone=0 use=1',
  'conntrack v1.4.5 (conntrack-tools): 2 flow entries have been shown.',
].join('\n');

describe('conntrack --count', () => {
  it('reads the single number of a file named after the command', () => {
    const run = runParser(conntrack, '231876\n', 'nodes/10.200.0.8/conntrack --count');
    expect(run.events).toEqual([expect.objectContaining({ kind: 'conntrack.count', line: 1, fields: { count: 231876 } })]);
    expect(runParser(conntrack, '17\n', 'nodes/n/conntrack_-C').events[0].fields.count).toBe(17);
  });
  it('claims a bare number only by name', () => {
    expect(conntrack.detect(probeFor('nodes/n/conntrack_--count', '231876\n'))).toBe(1);
    expect(conntrack.detect(probeFor('nodes/n/conntrack -C', '231876\n'))).toBe(1);
    expect(conntrack.detect(probeFor('nodes/n/proc/sys/net/netfilter/nf_conntrack_count', '231876\n'))).toBe(0);
    expect(conntrack.detect(probeFor('nodes/n/uptime', '231876\n'))).toBe(0);
    expect(conntrack.detect(probeFor('nodes/n/conntrack_--count', 'sudo: conntrack: command not found\n'))).toBe(0.5);
    // A log whose file name merely starts with `conntrack-` is not conntrack output.
    expect(conntrack.detect(probeFor('kube-proxy/conntrack-structured-1.36.txt', realSample('kube-proxy/conntrack-structured-1.36.txt')))).toBe(0);
  });
});

describe('conntrack -S', () => {
  it('emits one stats event per CPU with numeric fields', () => {
    const run = runParser(conntrack, STATS, 'nodes/n/conntrack -S');
    expect(run.warnings).toEqual([]);
    expect(run.events).toHaveLength(2);
    expect(run.events[1]).toMatchObject({ kind: 'conntrack.stats', line: 2, fields: { cpu: 1, insert_failed: 37, drop: 37, invalid: 1611, search_restart: 2 } });
    expect(typeof run.events[0].fields.found).toBe('number');
  });
  it('is detected by content alone', () => {
    expect(conntrack.detect(probeFor('nodes/n/ct-stats', STATS))).toBe(0.8);
    expect(conntrack.detect(probeFor('nodes/n/conntrack_-S', STATS))).toBe(1);
  });
});

describe('conntrack -L', () => {
  const run = runParser(conntrack, LIST, 'nodes/n/conntrack -L');
  it('reads original and reply tuples, state and flags', () => {
    expect(run.warnings).toEqual([]);
    expect(run.events[0].fields).toEqual({
      proto: 'tcp', protonum: 6, timeout: 86396, state: 'ESTABLISHED', src: '10.244.1.5', dst: '10.96.0.1', sport: 40312, dport: 443,
      replySrc: '10.200.0.3', replyDst: '10.244.1.5', replySport: 6443, replyDport: 40312, assured: true, unreplied: false, mark: 0,
    });
    expect(run.events[1].fields).toMatchObject({ proto: 'udp', unreplied: true, assured: false, replySrc: '10.244.2.3', zone: 0 });
    expect(run.events[1].fields.state).toBeUndefined();
  });
  it('turns the summary line into a count', () => {
    expect(run.events[2]).toMatchObject({ kind: 'conntrack.count', line: 3, fields: { count: 2 } });
  });
  it('reads /proc/net/nf_conntrack rows', () => {
    const r = runParser(conntrack, 'ipv4     2 tcp      6 117 TIME_WAIT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 [ASSURED] mark=0 zone=0 use=2\n', 'conntrack -L');
    expect(r.events[0].fields).toMatchObject({ proto: 'tcp', state: 'TIME_WAIT', timeout: 117 });
  });
});

describe('conntrack on broken input', () => {
  it('warns on garbage, binary and a cut count', () => {
    const run = runParser(conntrack, '231876\nnot a number\n\x00\x01\x02', 'conntrack --count');
    expect(run.events).toHaveLength(1);
    expect(run.warnings.map((w) => [w.code, w.line])).toEqual([['conntrack.bad-line', 2], ['conntrack.binary', 3]]);
  });
  it('warns on a truncated stats line', () => {
    const run = runParser(conntrack, `${STATS}\ncpu=2   \tfound=1 inval`, 'conntrack -S');
    expect(run.events).toHaveLength(2);
    expect(run.warnings).toEqual([expect.objectContaining({ code: 'conntrack.bad-line', line: 3 })]);
  });
});
