/**
 * Ansible transcripts of the bare-metal machine jobs (preflight, node prepare, cal-update) as the
 * job pods and bmctl's log folders keep them: task banners, the profile_tasks time line under
 * each banner, results, retries and the play recap.
 *
 * Sample output:
 *   TASK [cal-update : Check apiserver health] *************************************
 *   Thursday 20 January 2022  13:50:46 +0000 (0:00:00.033)       0:00:09.316 ******
 *   FAILED - RETRYING: Check apiserver health (30 retries left).
 */
import { SEC } from '../time.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `0:00:07.920` */
function duration(us: number): string {
  const s = us / SEC;
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${(s % 60).toFixed(3).padStart(6, '0')}`;
}

/** profile_tasks' line: `Monday 07 February 2022  10:03:11 +0000 (0:00:07.920)       0:00:07.961 ******`. */
export function ansibleProfile(t: number, step: number, total: number): string {
  const d = new Date(Math.floor(t / 1000));
  const hms = d.toISOString().slice(11, 19);
  return `${DAYS[d.getUTCDay()]} ${String(d.getUTCDate()).padStart(2, '0')} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}  ${hms} +0000 (${duration(step)})       ${duration(total)} ******`;
}

/** A `TASK [role : name] ****` banner padded with stars to 80 columns, as ansible prints it. */
export function taskBanner(name: string): string {
  const head = `TASK [${name}] `;
  return `${head}${'*'.repeat(Math.max(3, 80 - head.length))}`;
}

/** A `PLAY [...] ****` or `PLAY RECAP ****` line padded to 80 columns. */
export function playBanner(text: string): string {
  const head = `${text} `;
  return `${head}${'*'.repeat(Math.max(3, 80 - head.length))}`;
}

/** One PLAY RECAP row. */
export function recapRow(host: string, counts: { ok: number; changed: number; failed: number; skipped: number }): string {
  return `${host.padEnd(27)}: ok=${String(counts.ok).padEnd(4)} changed=${String(counts.changed).padEnd(4)} unreachable=0    failed=${String(counts.failed).padEnd(4)} skipped=${String(counts.skipped).padEnd(4)} rescued=0    ignored=0`;
}
