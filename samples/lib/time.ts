/**
 * Time for the sample generator. All instants are integers in **microseconds** since the Unix
 * epoch (UTC), which is exact up to the year 2255 and fine enough for klog's `.uuuuuu`. The
 * formatters below reproduce the stamps each tool prints; none of them reads the clock.
 */

export const SEC = 1_000_000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const p2 = (n: number): string => String(n).padStart(2, '0');

/** `2024-03-05T04:00:00Z` → µs. Throws on anything `Date` cannot read. */
export function parseIso(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`not an ISO time: ${text}`);
  return ms * 1000;
}

function date(t: number): Date {
  return new Date(Math.floor(t / 1000));
}

function micros(t: number): string {
  return String(((t % SEC) + SEC) % SEC).padStart(6, '0');
}

function hms(d: Date): string {
  return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** klog date and time: `0305 04:00:01.123456`. */
export function klogStamp(t: number): string {
  const d = date(t);
  return `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${hms(d)}.${micros(t)}`;
}

/** journalctl short format: `Mar 05 04:00:01`. */
export function journalStamp(t: number): string {
  const d = date(t);
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${hms(d)}`;
}

/** journalctl `-- Logs begin at … --` stamp: `Tue 2024-03-05 03:57:41 UTC`. */
export function journalHeaderStamp(t: number): string {
  const d = date(t);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${hms(d)} UTC`;
}

/** RFC 3339 with nanoseconds and trailing zeros trimmed, as Go's `time.RFC3339Nano` prints. */
export function rfc3339Nano(t: number, extraNanos = 0): string {
  const d = date(t);
  let frac = `${micros(t)}${String(extraNanos).padStart(3, '0')}`.replace(/0+$/, '');
  frac = frac ? `.${frac}` : '';
  return `${isoDate(d)}T${hms(d)}${frac}Z`;
}

/** `2024-03-05T04:00:01Z`. */
export function isoSeconds(t: number): string {
  const d = date(t);
  return `${isoDate(d)}T${hms(d)}Z`;
}

function isoDate(d: Date): string {
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
}

/** Go's default `time.Time` string: `2024-03-05 09:42:17.512380123 +0000 UTC`. */
export function goTime(t: number, extraNanos = 0): string {
  const d = date(t);
  return `${isoDate(d)} ${hms(d)}.${micros(t)}${String(extraNanos).padStart(3, '0')} +0000 UTC`;
}

/** `[2024-03-05 10:14:12+0000]`, the stamp bmctl puts in front of its console lines. */
export function bmctlStamp(t: number): string {
  const d = date(t);
  return `[${isoDate(d)} ${hms(d)}+0000]`;
}

/** Compact UTC stamp used in file names: `20240305T101500Z`. */
export function compactStamp(t: number): string {
  const d = date(t);
  return `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}T${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}Z`;
}

/** `20240305-101412`, the stamp in bmctl log folder names. */
export function dashedStamp(t: number): string {
  const d = date(t);
  return `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}-${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}`;
}

/** `Tue Mar  5 10:15:02 2024`, as `iptables-save` and `date` print it. */
export function ctime(t: number): string {
  const d = date(t);
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d)} ${d.getUTCFullYear()}`;
}

/** `05/Mar/2024:06:14:03 +0000`, the common log format stamp. */
export function clfStamp(t: number): string {
  const d = date(t);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${hms(d)} +0000`;
}

/** ps STIME: `HH:MM` for a start on the same day as `now`, `MmmDD` before that. */
export function psStartTime(start: number, now: number): string {
  const s = date(start);
  const n = date(now);
  if (s.getUTCFullYear() === n.getUTCFullYear() && s.getUTCMonth() === n.getUTCMonth() && s.getUTCDate() === n.getUTCDate()) {
    return `${p2(s.getUTCHours())}:${p2(s.getUTCMinutes())}`;
  }
  return `${MONTHS[s.getUTCMonth()]}${p2(s.getUTCDate())}`;
}

/** ps cumulative CPU TIME: `HH:MM:SS`, or `D-HH:MM:SS` past a day. */
export function psCpuTime(seconds: number): string {
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const rest = `${p2(Math.floor((s % 86400) / 3600))}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}`;
  return days > 0 ? `${days}-${rest}` : rest;
}

/**
 * kubectl's AGE column (`k8s.io/apimachinery/pkg/util/duration.HumanDuration`): `45s`, `5m12s`,
 * `47m`, `6h15m`, `20h`, `3d4h`, `47d`, `2y30d`.
 */
export function kubectlAge(elapsed: number): string {
  const seconds = Math.max(0, Math.floor(elapsed / SEC));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  return `${Math.floor(days / 365)}y${days % 365}d`;
}

/** crictl's CREATED column: `2 hours ago`, `About an hour ago`, `47 days ago`. */
export function crictlAgo(elapsed: number): string {
  const s = Math.floor(elapsed / SEC);
  if (s < 60) return `${s} seconds ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return m === 1 ? 'About a minute ago' : `${m} minutes ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return h === 1 ? 'About an hour ago' : `${h} hours ago`;
  const d = Math.floor(h / 24);
  if (d < 14) return d === 1 ? 'About a day ago' : `${d} days ago`;
  const w = Math.floor(d / 7);
  if (d < 60) return `${w} weeks ago`;
  return `${Math.floor(d / 30)} months ago`;
}

/**
 * Go's `time.Duration.String()` for a duration in nanoseconds: `3m5.30015447s`, `45.2s`, `1h2m0.5s`.
 */
export function goDuration(nanos: number): string {
  const totalNs = Math.max(0, Math.round(nanos));
  const h = Math.floor(totalNs / 3_600_000_000_000);
  const m = Math.floor((totalNs % 3_600_000_000_000) / 60_000_000_000);
  const ns = totalNs % 60_000_000_000;
  const whole = Math.floor(ns / 1_000_000_000);
  const frac = String(ns % 1_000_000_000).padStart(9, '0').replace(/0+$/, '');
  const sec = `${whole}${frac ? `.${frac}` : ''}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}
