/**
 * Time helpers shared by parsers. Many Kubernetes logs carry no year (klog `mmdd`, journal
 * `Mmm dd`): the year is inferred from a reference time (the member's mtime), stepping back one
 * year when the date would otherwise lie in the future (a December line read in January).
 */

export const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

/** Fallback year when nothing tells us (stdin without dates). Any fixed value keeps output deterministic. */
export const DEFAULT_YEAR = 2000;

/**
 * Epoch ms (UTC) of a yearless date. `reference` is an epoch ms near the end of the log; the
 * year chosen is the latest one that does not put the date more than a day after `reference`.
 */
export function yearlessToEpoch(
  month: number, day: number, hour: number, minute: number, second: number, micros: number,
  reference: number | undefined,
): number {
  const frac = Math.floor(micros / 1000);
  if (reference === undefined) return Date.UTC(DEFAULT_YEAR, month, day, hour, minute, second, frac);
  const refYear = new Date(reference).getUTCFullYear();
  const t = Date.UTC(refYear, month, day, hour, minute, second, frac);
  return t > reference + 86_400_000 ? Date.UTC(refYear - 1, month, day, hour, minute, second, frac) : t;
}

/** Parse a `10m`, `1h30m`, `90s`, `2d` duration into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const n = Number(m[1]);
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
    matched = re.lastIndex;
  }
  return matched === text.length && matched > 0 ? total : undefined;
}

/** `1h2m3s`-style rendering of a duration in ms, for explanations. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean).join('') || '0s';
}
