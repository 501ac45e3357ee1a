/**
 * Generates docs/parsers.md — every parser's inputs and the event kinds and fields it emits —
 * from the parsers' own metadata, the single source. `npm run docs` writes it; a test fails
 * when the committed file is stale.
 */
import { PARSER_LIST } from '../../parsers/index.js';
import { declaredKinds } from '../../parsers/index.js';
import { EVENT_PROPERTIES } from '../dsl/vocabulary.js';

export function parsersMarkdown(): string {
  const out: string[] = [
    '# Parsers and event kinds',
    '',
    '<!-- Generated from each parser\'s `meta` by `npm run docs`; do not edit by hand. -->',
    '',
    `Every event has ${EVENT_PROPERTIES.map((p) => `\`${p}\``).join(', ')}, plus the fields of its kind below.`,
    'Signatures select events with `from <kind>` and test these fields (`*` means the parser passes through',
    'arbitrary keys, such as structured klog key="value" pairs).',
    '',
    '## Event kinds',
    '',
    '| kind | fields | emitted by |',
    '|---|---|---|',
  ];
  const kinds = declaredKinds();
  for (const kind of [...kinds.keys()].sort()) {
    const by = PARSER_LIST.filter((p) => Object.hasOwn(p.meta.emits, kind)).map((p) => `\`${p.meta.id}\``).join(', ');
    out.push(`| \`${kind}\` | ${[...kinds.get(kind)!].sort().map((f) => `\`${f}\``).join(', ')} | ${by} |`);
  }
  out.push('| `fact` | `name`, `value` | the pipeline, for every bundle fact (versions, OS, cluster) |', '');
  out.push('## Parsers', '');
  for (const p of [...PARSER_LIST].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1))) {
    out.push(`### \`${p.meta.id}\` — ${p.meta.title}`, '', p.meta.description, '');
    out.push(`- inputs: ${p.meta.inputs.map((i) => `\`${i}\``).join(', ')}`);
    out.push(`- sources: ${p.meta.sources.map((s) => `\`${s}\``).join(', ')}`);
    out.push(`- kinds: ${Object.keys(p.meta.emits).map((k) => `\`${k}\``).join(', ')}`, '');
  }
  return `${out.join('\n')}\n`;
}
