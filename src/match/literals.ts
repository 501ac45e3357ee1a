/**
 * Required-literal extraction: the strings any match of a regex must contain. The matcher
 * looks for all of them in one pass per event (literal-scanner.ts) and runs a clause's full
 * predicate only when one of its literals is present, so the cost per line does not grow with
 * the catalog.
 *
 * Conservative by construction: when unsure (classes, optional groups, short runs), a regex
 * yields no literal and its clause is simply always tested.
 */

const MIN_LITERAL = 3;

/** Split a regex source on top-level `|`. */
function topLevelAlternatives(src: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cls = false;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') { i++; continue; }
    if (cls) { if (c === ']') cls = false; continue; }
    if (c === '[') cls = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) { out.push(src.slice(start, i)); start = i + 1; }
  }
  out.push(src.slice(start));
  return out;
}

/** Longest run of literal characters that every match of a branch (no top-level `|`) contains. */
function longestLiteral(branch: string): string {
  let best = '';
  let run = '';
  const endRun = () => { if (run.length > best.length) best = run; run = ''; };
  for (let i = 0; i < branch.length; i++) {
    const c = branch[i];
    const next = branch[i + 1];
    const optionalNext = next === '?' || next === '*' || (next === '{' && /^\{0[,}]/.test(branch.slice(i + 1)));
    if (c === '\\') {
      const e = branch[i + 1];
      i++;
      const lit = /[\\.^$|?*+()[\]{}/\- "'#:=!<>@%&,;~`]/.test(e) ? e : undefined; // escaped punctuation is literal
      const nn = branch[i + 1];
      if (lit !== undefined && !(nn === '?' || nn === '*' || nn === '{')) { run += lit; if (nn === '+') endRun(); }
      else endRun();
      continue;
    }
    if (c === '[') { // character class: skip it
      endRun();
      for (i++; i < branch.length && branch[i] !== ']'; i++) if (branch[i] === '\\') i++;
      continue;
    }
    if (c === '(') { // group: skip it (its content may be optional or alternated)
      endRun();
      let depth = 1;
      for (i++; i < branch.length && depth > 0; i++) {
        if (branch[i] === '\\') i++;
        else if (branch[i] === '(') depth++;
        else if (branch[i] === ')') depth--;
      }
      i--;
      continue;
    }
    if ('.^$)|'.includes(c)) { endRun(); continue; }
    if (c === '?' || c === '*' || c === '+') { endRun(); continue; }
    if (c === '{') { endRun(); while (i < branch.length && branch[i] !== '}') i++; continue; }
    if (optionalNext) { endRun(); continue; }
    run += c;
    if (next === '+') endRun();
  }
  endRun();
  return best;
}

/**
 * The literals of which at least one appears in every match, or undefined when no useful set
 * exists. With the `i` flag the literals are lower-cased and must be searched case-insensitively.
 */
export function requiredLiterals(source: string, flags = ''): string[] | undefined {
  const alternatives = topLevelAlternatives(source);
  const lits: string[] = [];
  for (const alt of alternatives) {
    const lit = longestLiteral(alt);
    if (lit.length < MIN_LITERAL) return undefined;
    lits.push(flags.includes('i') ? lit.toLowerCase() : lit);
  }
  return [...new Set(lits)];
}
