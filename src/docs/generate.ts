/** Writes the generated documentation files (docs/parsers.md). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { parsersMarkdown } from './parsers-doc.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), /\/dist\//.test(import.meta.url) ? '../../..' : '../..');
writeFileSync(resolve(root, 'docs/parsers.md'), parsersMarkdown());
process.stdout.write('docs/parsers.md written\n');
