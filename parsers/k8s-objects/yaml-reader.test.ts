import { describe, expect, it } from 'vitest';
import { readBlockYaml, readYaml, readYamlText, typePlain, Unsupported, YamlSyntaxError } from './yaml-reader.js';

/** The fast reader must agree with the `yaml` package whenever it accepts a document. */
function same(text: string): unknown {
  const fast = readBlockYaml(text.split('\n'));
  expect(JSON.stringify(fast)).toBe(JSON.stringify(readYamlText(text)));
  return fast;
}

describe('yaml reader', () => {
  it('types plain scalars without loss', () => {
    expect(typePlain('8080')).toBe(8080);
    expect(typePlain('0.5')).toBe(0.5);
    expect(typePlain('1.10')).toBe('1.10');
    expect(typePlain('0755')).toBe('0755');
    expect(typePlain('1e3')).toBe('1e3');
    expect(typePlain('True')).toBe(true);
    expect(typePlain('~')).toBeNull();
    expect(typePlain('12345678901234567890')).toBe('12345678901234567890');
  });

  it('reads go-yaml style mappings, sequences at key indentation and quoted scalars like the yaml package', () => {
    const v = same('a: 1\nb:\n  c: "x\\ty \\u00e9"\n  d: \'it\'\'s\'\nlist:\n- a: 1\n  b: [x, 2]\n- plain # comment\n-\n  k: v\n- ""\nempty:\nport: "8080"\n') as Record<string, unknown>;
    expect(v.b).toEqual({ c: 'x\ty é', d: "it's" });
    expect(v.list).toEqual([{ a: 1, b: ['x', 2] }, 'plain', { k: 'v' }, '']);
    expect(v.port).toBe('8080');
    expect(v.empty).toBeNull();
  });

  it('reads literal block scalars with every chomping indicator', () => {
    const v = same('data:\n  script: |\n    #!/bin/sh\n    echo hi\n\n      indented\n\n  strip: |-\n    x\n\n  keep: |+\n    y\n\n  e: {}\n  l: []\nafter: 1\n') as Record<string, Record<string, unknown>>;
    expect(v.data.script).toBe('#!/bin/sh\necho hi\n\n  indented\n');
    expect(v.data.strip).toBe('x');
    expect(v.data.keep).toBe('y\n\n');
  });

  it('keeps dotted and slashed keys whole, and a __proto__ key as a plain key', () => {
    const v = same('metadata:\n  annotations:\n    baremetal.cluster.gke.io/maintenance-mode-duration: 10m\n  __proto__: x\n') as Record<string, Record<string, Record<string, unknown>>>;
    expect(v.metadata.annotations['baremetal.cluster.gke.io/maintenance-mode-duration']).toBe('10m');
    expect(Object.getPrototypeOf(v.metadata)).toBeNull();
    expect(v.metadata.__proto__).toBe('x');
  });

  it('hands documents outside the subset to the yaml package', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: >\n  folded\n  text\n', 'a: {b: 1}\n', 'msg: a long\n  plain scalar\n', 'a: "two\n  lines"\n', '- - a\n']) {
      expect(() => readBlockYaml(text.split('\n'))).toThrow(Unsupported);
    }
    expect(readYaml('a: &x 1\nb: *x\n'.split('\n'))).toEqual({ a: 1, b: 1 });
    expect(readYaml('msg: a long\n  plain scalar\n'.split('\n'))).toEqual({ msg: 'a long plain scalar' });
  });

  it('reports syntax errors with their line', () => {
    try {
      readYaml('a: 1\nb: [unclosed\nc: 2\n'.split('\n'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(YamlSyntaxError);
      expect((e as YamlSyntaxError).line).toBeGreaterThanOrEqual(2);
    }
  });
});
