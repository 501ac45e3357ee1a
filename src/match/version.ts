/**
 * Version parsing and ordering for the versions Kubernetes bundles reveal:
 * `v1.20.8-gke.1500`, `1.25.6-gke.200`, `1.0.0-rc93`, `containerd://1.4.6`, `5.8.0-63-generic`.
 *
 * Ordering: numeric parts first (missing parts are 0); then pre-releases (`-rc93`, `-beta.1`)
 * sort before the plain release, and builds (`-gke.200`, `+k3s1`, distro suffixes such as
 * `-63-generic` or `-0ubuntu1`) sort after it. Suffix identifiers compare part by part,
 * numbers numerically (`gke.200` < `gke.1090000`, `rc92` < `rc93`).
 */
import { holds } from './comparator.js';

export interface Version {
  text: string;
  nums: number[];
  /** Pre-release identifiers (before the release), or undefined. */
  pre?: (string | number)[];
  /** Build/distro identifiers (after the release), or undefined. */
  build?: (string | number)[];
}

const VERSION_IN_TEXT = /v?(\d+(?:\.\d+)+)([-+~][0-9A-Za-z][0-9A-Za-z.~+-]*)?/;
const PRE_RELEASE = /^[-~]?(rc|alpha|beta|pre|dev|a|b)\.?\d*/i;

function identifiers(s: string): (string | number)[] {
  return (s.match(/\d+|[A-Za-z]+/g) ?? []).map((p) => (/^\d+$/.test(p) ? Number(p) : p.toLowerCase()));
}

/** Find and parse the first version in a text; undefined when there is none. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_IN_TEXT.exec(text);
  if (!m) return undefined;
  const nums = m[1].split('.').map(Number);
  const suffix = m[2];
  if (!suffix) return { text: m[0], nums };
  if (PRE_RELEASE.test(suffix)) return { text: m[0], nums, pre: identifiers(suffix) };
  return { text: m[0], nums, build: identifiers(suffix) };
}

function compareIds(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1; // numbers before words, as in semver
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < Math.max(a.nums.length, b.nums.length); i++) {
    const x = a.nums[i] ?? 0;
    const y = b.nums[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  const rank = (v: Version) => (v.pre ? 0 : v.build ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) < rank(b) ? -1 : 1;
  if (a.pre && b.pre) return compareIds(a.pre, b.pre);
  if (a.build && b.build) return compareIds(a.build, b.build);
  return 0;
}

export type Op = '==' | '!=' | '<' | '<=' | '>' | '>=';

export function satisfies(v: Version, op: Op, bound: Version): boolean {
  return holds(compareVersions(v, bound), op);
}

/** True when no version can satisfy every bound of the chain (`>= 1.13.2 < 1.13.0`). */
export function impossibleRange(bounds: { op: Op; version: Version }[]): boolean {
  let low: { v: Version; strict: boolean } | undefined;
  let high: { v: Version; strict: boolean } | undefined;
  for (const b of bounds) {
    if (b.op === '>' || b.op === '>=' || b.op === '==') {
      const strict = b.op === '>';
      if (!low || compareVersions(b.version, low.v) > 0 || (compareVersions(b.version, low.v) === 0 && strict)) low = { v: b.version, strict };
    }
    if (b.op === '<' || b.op === '<=' || b.op === '==') {
      const strict = b.op === '<';
      if (!high || compareVersions(b.version, high.v) < 0 || (compareVersions(b.version, high.v) === 0 && strict)) high = { v: b.version, strict };
    }
  }
  if (!low || !high) return false;
  const c = compareVersions(low.v, high.v);
  return c > 0 || (c === 0 && (low.strict || high.strict));
}

/**
 * Is `v` at or past a fix? A fix list names the first fixed patch per release line
 * (`1.11.7, 1.12.5, 1.13.2`): a version is fixed when its line's fix is ≤ it, or when its line
 * is newer than every listed line. Lines are major.minor.
 */
export function carriesFix(v: Version, fixes: Version[]): boolean {
  const line = (x: Version) => [x.nums[0] ?? 0, x.nums[1] ?? 0];
  const [maj, min] = line(v);
  const same = fixes.filter((f) => line(f)[0] === maj && line(f)[1] === min);
  if (same.length > 0) return same.some((f) => compareVersions(v, f) >= 0);
  const newest = fixes.reduce<Version | undefined>((a, f) => (!a || compareVersions(f, a) > 0 ? f : a), undefined);
  if (!newest) return false;
  const [nmaj, nmin] = line(newest);
  return maj > nmaj || (maj === nmaj && min > nmin);
}
