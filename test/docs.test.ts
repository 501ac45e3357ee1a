import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsersMarkdown } from '../src/docs/parsers-doc.js';

describe('generated docs', () => {
  it('docs/parsers.md matches the parsers\' metadata (run `npm run docs` after changing a parser)', () => {
    expect(readFileSync(new URL('../docs/parsers.md', import.meta.url), 'utf8')).toBe(parsersMarkdown());
  });
});
