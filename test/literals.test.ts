import { describe, expect, it } from 'vitest';
import { requiredLiterals } from '../src/match/literals.js';

describe('required literals of a regex', () => {
  it('finds the longest literal run every match must contain', () => {
    expect(requiredLiterals('Trying to delete rs: ')).toEqual(['Trying to delete rs: ']);
    expect(requiredLiterals('PLEG is not healthy: pleg was last seen active (\\S+) ago')).toEqual(['PLEG is not healthy: pleg was last seen active ']);
    expect(requiredLiterals('nf_conntrack: (nf_conntrack: )?table full, dropping packet')).toEqual(['table full, dropping packet']);
  });
  it('gives one literal per top-level alternative, or none when one alternative has none', () => {
    expect(requiredLiterals('Trying to delete rs: |Adding rs to graceful delete rsList')).toEqual(['Trying to delete rs: ', 'Adding rs to graceful delete rsList']);
    expect(requiredLiterals('abcdef|\\d+')).toBeUndefined();
  });
  it('drops characters made optional by ?, * or {0,…} and treats escapes as literal', () => {
    expect(requiredLiterals('colou?r')).toEqual(['colo']);
    expect(requiredLiterals('ab?c')).toBeUndefined();
    expect(requiredLiterals('Set sysctl \'net/netfilter/nf_conntrack_max\'')).toEqual(["Set sysctl 'net/netfilter/nf_conntrack_max'"]);
    expect(requiredLiterals('runc:\\[2:INIT\\]')).toEqual(['runc:[2:INIT]']);
    expect(requiredLiterals('abc\\d{0,3}defgh')).toEqual(['defgh']);
  });
  it('lower-cases literals of case-insensitive regexes', () => {
    expect(requiredLiterals('Connection Refused', 'i')).toEqual(['connection refused']);
  });
});
