import { describe, expect, it } from 'vitest';
import { matchLabels, parseLabels, unmatchedNotice } from './labels.js';

const opts = { csvDir: '/data/labels', cwd: '/work' };
const labels = (rows: [string, string][]) => new Map(rows.map(([p, id]) => [p, [id]]));

describe('matchLabels', () => {
  it('resolves relative labels against the CSV folder before the current directory', () => {
    const m = matchLabels(labels([['a.tgz', 'x']]), ['/data/labels/a.tgz', '/work/a.tgz'], opts);
    expect([...m.byPath]).toEqual([['/data/labels/a.tgz', ['x']]]);
  });

  it('resolves recorded relative paths against the current directory', () => {
    const m = matchLabels(labels([['/work/in/./case-1/a.tgz', 'x'], ['../work/in/case-2/a.tgz', 'y']]), ['in/case-1/a.tgz', 'in/case-2/a.tgz'], opts);
    expect(m.byPath.get('in/case-1/a.tgz')).toEqual(['x']);
    expect(m.byPath.get('in/case-2/a.tgz')).toEqual(['y']);
    expect(m.unmatched).toEqual([]);
  });

  it('does not match on a shared file name alone when the folders differ', () => {
    const m = matchLabels(labels([['/mnt/case-9/upload.tgz', 'x']]), ['/work/case-1/upload.tgz'], opts);
    expect(m.byPath.size).toBe(0);
    expect(m.unmatched).toEqual(['/mnt/case-9/upload.tgz']);
    expect(m.ambiguous).toEqual([]);
  });

  it('leaves out two labels whose best tail fit is the same bundle', () => {
    const m = matchLabels(labels([['/a/x/upload.tgz', 'p'], ['/b/x/upload.tgz', 'q']]), ['/c/x/upload.tgz'], opts);
    expect(m.byPath.size).toBe(0);
    expect(m.ambiguous).toEqual(['/a/x/upload.tgz', '/b/x/upload.tgz']);
  });

  it('prefers the longest shared tail', () => {
    const m = matchLabels(labels([['/mnt/arch/2024/case-1/upload.tgz', 'p']]), ['/srv/arch/2024/case-1/upload.tgz', '/srv/old/case-1/upload.tgz'], opts);
    expect([...m.byPath]).toEqual([['/srv/arch/2024/case-1/upload.tgz', ['p']]]);
  });

  it('keeps the root causes of two spellings of one bundle', () => {
    const m = matchLabels(new Map([['./a.tgz', ['p']], ['/work/a.tgz', ['q', 'p']]]), ['a.tgz'], { csvDir: '/work', cwd: '/work' });
    expect(m.byPath.get('a.tgz')).toEqual(['p', 'q']);
  });
});

describe('unmatchedNotice', () => {
  it('counts and lists the first few labelled paths that match nothing', () => {
    const text = 'path,root-cause\n' + Array.from({ length: 8 }, (_, i) => `c${i}.tgz,x`).join('\n');
    const parsed = parseLabels(text);
    const m = matchLabels(parsed, ['/work/c0.tgz'], { csvDir: '/work', cwd: '/work' });
    expect(unmatchedNotice('l.csv', m, parsed.size)).toBe('notice: l.csv: 7 of 8 labelled paths match no scanned bundle, left out of precision and recall: c1.tgz, c2.tgz, c3.tgz, c4.tgz, c5.tgz … +2 more');
    expect(unmatchedNotice('l.csv', matchLabels(parsed, [...parsed.keys()], opts), parsed.size)).toBeUndefined();
  });
});
