import { describe, expect, it } from 'vitest';
import { carriesFix, compareVersions, impossibleRange, parseVersion } from '../src/match/version.js';

const v = (s: string) => parseVersion(s)!;
const sorted = (xs: string[]) => [...xs].sort((a, b) => compareVersions(v(a), v(b)));

describe('version ordering', () => {
  it('orders GKE -gke.N builds numerically and after the upstream release', () => {
    expect(sorted(['1.25.6-gke.1090000', '1.25.6', '1.25.6-gke.200', '1.25.5-gke.9999', '1.25.10-gke.1'])).toEqual(
      ['1.25.5-gke.9999', '1.25.6', '1.25.6-gke.200', '1.25.6-gke.1090000', '1.25.10-gke.1']);
  });
  it('orders release candidates before the release', () => {
    expect(sorted(['1.0.0', '1.0.0-rc93', '1.0.0-rc92', '1.0.0-rc10', '0.1.1'])).toEqual(['0.1.1', '1.0.0-rc10', '1.0.0-rc92', '1.0.0-rc93', '1.0.0']);
  });
  it('finds versions inside the text that carries them', () => {
    expect(v('containerd://1.4.6').text).toBe('1.4.6');
    expect(v('Version: v1.20.8-gke.1500').nums).toEqual([1, 20, 8]);
    expect(v('runc version 1.0.0-rc93').pre).toEqual(['rc', 93]);
    expect(v('5.8.0-63-generic').build).toEqual([63, 'generic']);
    expect(parseVersion('no version here')).toBeUndefined();
  });
  it('treats missing parts as zero', () => {
    expect(compareVersions(v('1.8'), v('1.8.0'))).toBe(0);
    expect(compareVersions(v('1.8'), v('1.8.2'))).toBe(-1);
  });
});

describe('fixes and ranges', () => {
  const fixes = ['1.11.7', '1.12.5', '1.13.2'].map(v);
  it('checks the fix of the version\'s own release line', () => {
    expect(carriesFix(v('1.13.0'), fixes)).toBe(false);
    expect(carriesFix(v('1.13.2'), fixes)).toBe(true);
    expect(carriesFix(v('1.12.4'), fixes)).toBe(false);
    expect(carriesFix(v('1.11.9'), fixes)).toBe(true);
  });
  it('counts a newer release line as fixed and an older one as not', () => {
    expect(carriesFix(v('1.14.0'), fixes)).toBe(true);
    expect(carriesFix(v('1.10.3'), fixes)).toBe(false);
  });
  it('handles GKE fix lists', () => {
    const gke = ['1.22.17-gke.3100', '1.23.16-gke.200', '1.24.9-gke.3200', '1.25.6-gke.200'].map(v);
    expect(carriesFix(v('1.24.9-gke.2000'), gke)).toBe(false);
    expect(carriesFix(v('1.24.9-gke.3200'), gke)).toBe(true);
    expect(carriesFix(v('1.26.1-gke.100'), gke)).toBe(true);
  });
  it('detects impossible ranges', () => {
    expect(impossibleRange([{ op: '>=', version: v('1.13.2') }, { op: '<', version: v('1.13.0') }])).toBe(true);
    expect(impossibleRange([{ op: '>=', version: v('1.13.0') }, { op: '<', version: v('1.13.0') }])).toBe(true);
    expect(impossibleRange([{ op: '>=', version: v('1.13.0') }, { op: '<=', version: v('1.13.0') }])).toBe(false);
    expect(impossibleRange([{ op: '>=', version: v('1.25.6-gke.200') }, { op: '<', version: v('1.25.6-gke.1090000') }])).toBe(false);
  });
});
