/** Prints AST pieces back as signature-language text, for `explain` and the docs. */
import type { Condition, Evidence, Literal, Predicate } from './ast.js';

function lit(l: Literal): string {
  if (l.type === 'string') return JSON.stringify(l.value);
  if (l.type === 'duration') return l.text;
  return String(l.value);
}

const field = (f: string) => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(f) ? f : JSON.stringify(f));

export function printPredicate(p: Predicate, parent?: Predicate['type']): string {
  switch (p.type) {
    case 'and': case 'or': {
      const s = `${printPredicate(p.left, p.type)} ${p.type} ${printPredicate(p.right, p.type)}`;
      return parent && parent !== p.type ? `(${s})` : s;
    }
    case 'not': return `not ${printPredicate(p.operand, 'not')}`;
    case 'compare': return `${field(p.field)} ${p.op} ${lit(p.value)}`;
    case 'regex': return `${field(p.field)} ${p.negated ? '!~' : '~'} /${p.source}/${p.flags}`;
    case 'contains': return `${field(p.field)} ${p.negated ? 'not ' : ''}contains ${JSON.stringify(p.value)}`;
    case 'in-list': return `${field(p.field)} ${p.negated ? 'not ' : ''}in (${p.values.map(lit).join(', ')})`;
    case 'in-clause': return `${field(p.field)} ${p.negated ? 'not ' : ''}in ${p.clause}.${field(p.otherField)}`;
    case 'exists': return `${field(p.field)} ${p.negated ? 'not ' : ''}exists`;
  }
}

export function printEvidence(e: Evidence): string {
  const parts = [`from ${e.from}`];
  if (e.where) parts.push(`where ${printPredicate(e.where)}`);
  const a = e.agg;
  if (a.count) parts.push(`count ${a.count.op} ${a.count.value}`);
  if (a.distinct) parts.push(`distinct ${a.distinct.field} ${a.distinct.op} ${a.distinct.value}`);
  if (a.within) parts.push(`within ${a.within.text}`);
  if (a.span) parts.push(`span ${a.span.op} ${a.span.text}`);
  return parts.join(' ');
}

export function printCondition(c: Condition | undefined, parent?: Condition['type']): string {
  if (!c) return '';
  switch (c.type) {
    case 'ref': return c.name;
    case 'order': return `${c.name} ${c.relation} ${c.other}`;
    case 'not': return `not ${printCondition(c.operand, 'not')}`;
    default: {
      const s = `${printCondition(c.left, c.type)} ${c.type} ${printCondition(c.right, c.type)}`;
      return parent && parent !== c.type ? `(${s})` : s;
    }
  }
}
