/**
 * bmctl preflight checks of a cluster operation (create, upgrade): the operation's console log
 * with its validation summary, and one Ansible log per node machine holding the check tasks,
 * their results and the PLAY RECAP, in `bmctl-workspace/<cluster>/log/<operation>-<stamp>/`.
 *
 * Sample output (node log):
 *   TASK [machine_check_common : Check the disks of the machine] ******************
 *   Tuesday 05 March 2024  09:41:07 +0000 (0:00:00.412)       0:00:12.904 ********
 *   fatal: [10.200.0.6]: FAILED! => {"changed": true, "cmd": "/tmp/disks_check.sh", "msg": "non-zero return code", "rc": 126, …}
 *
 * Sample output (operation log):
 *   [2024-03-05 09:41:22+0000] - Validation Category: machines and network
 *   [2024-03-05 09:41:22+0000] 	- [FAILED] 10.200.0.6 (log: bmctl-workspace/prod-1/log/upgrade-cluster-20240305-093902/10.200.0.6)
 */
import type { Cluster, Node } from '../cluster.js';
import { Rng } from '../rng.js';
import { SEC, dashedStamp } from '../time.js';
import { type ExtraFile, bmctlLines } from './dpv2node-bundle.js';

/** The outcome of one check task on one machine. */
export type TaskResult = 'ok' | 'changed' | 'skipping' | { fatal: Record<string, unknown> };

/** A check task: `[role : name]` and its result. */
export interface CheckTask {
  role: string;
  name: string;
  result: TaskResult;
}

/** The checks every machine runs; a scenario replaces the result of one or two of them. */
export function machineChecks(results: Record<string, TaskResult> = {}): CheckTask[] {
  const tasks: [string, string, TaskResult][] = [
    ['machine_check_common', 'Check the OS distribution and version', 'ok'],
    ['machine_check_common', 'Check the kernel version', 'ok'],
    ['machine_check_common', 'Check CPU and memory', 'ok'],
    ['machine_check_common', 'Copy the disk check script', 'changed'],
    ['machine_check_common', 'Check the disks of the machine', 'changed'],
    ['machine_check_common', 'Check the cgroup version', 'ok'],
    ['machine_check_common', 'Check for conflicting services', 'ok'],
    ['machine_check_runtime', 'Check docker service', 'skipping'],
    ['machine_check_runtime', 'Check containerd configuration', 'ok'],
    ['machine_check_network', 'Check connectivity to the control plane VIP', 'ok'],
    ['machine_check_network', 'Check the required ports are free', 'ok'],
    ['machine_check_network', 'Check DNS resolution of gcr.io', 'ok'],
  ];
  return tasks.map(([role, name, result]) => ({ role, name, result: results[name] ?? result }));
}

function weekday(t: number): string {
  const d = new Date(Math.floor(t / 1000));
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${p2(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()}  ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

function seconds(us: number): string {
  const s = us / SEC;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${(s % 60).toFixed(3).padStart(6, '0')}`;
}

function banner(text: string): string {
  return `${text} ${'*'.repeat(Math.max(3, 79 - text.length))}`;
}

/**
 * The Ansible log of one machine's checks (profile_tasks timing lines included). A task that
 * fails ends the play for the host, as Ansible does.
 */
export function machineCheckLog(node: Node, start: number, tasks: readonly CheckTask[], rngSeed: string): { text: string; end: number; failed: boolean } {
  const rng = new Rng(rngSeed);
  const out: string[] = [];
  let t = start;
  let last = 0;
  const elapsed = (): string => seconds(t - start);
  out.push(banner('PLAY [Check machine prerequisites]'), '');
  out.push(banner('TASK [Gathering Facts]'));
  out.push(`${weekday(t)} (0:00:00.041)       0:00:00.041 ${'*'.repeat(8)}`);
  t += rng.int(1 * SEC, 3 * SEC);
  out.push(`ok: [${node.ip}]`, '');
  const counts = { ok: 1, changed: 0, failed: 0, skipped: 0 };
  let failed = false;
  for (const task of tasks) {
    out.push(banner(`TASK [${task.role} : ${task.name}]`));
    const step = rng.int(200_000, 2 * SEC);
    out.push(`${weekday(t)} (${seconds(last)})       ${elapsed()} ${'*'.repeat(8)}`);
    t += step;
    last = step;
    const r = task.result;
    if (r === 'ok') { out.push(`ok: [${node.ip}]`); counts.ok++; }
    else if (r === 'changed') { out.push(`changed: [${node.ip}]`); counts.ok++; counts.changed++; }
    else if (r === 'skipping') { out.push(`skipping: [${node.ip}]`); counts.skipped++; }
    else {
      out.push(`fatal: [${node.ip}]: FAILED! => ${JSON.stringify(r.fatal)}`);
      counts.failed++;
      failed = true;
      out.push('');
      break;
    }
    out.push('');
  }
  out.push(banner('PLAY RECAP'));
  out.push(`${node.ip.padEnd(27)}: ok=${String(counts.ok).padEnd(4)} changed=${String(counts.changed).padEnd(4)} unreachable=0    failed=${String(counts.failed).padEnd(4)} skipped=${String(counts.skipped).padEnd(4)} rescued=0    ignored=0`);
  out.push('');
  out.push(`${weekday(t)} (${seconds(last)})       ${elapsed()} ${'*'.repeat(8)}`);
  out.push('='.repeat(79));
  return { text: `${out.join('\n')}\n`, end: t, failed };
}

/** The shell's words for a /tmp script it may not execute. */
export function tmpScriptDenied(script: string): Record<string, unknown> {
  const err = `/bin/sh: ${script}: Permission denied`;
  return { changed: true, cmd: script, delta: '0:00:00.003412', end: '', msg: 'non-zero return code', rc: 126, start: '', stderr: err, stderr_lines: [err], stdout: '', stdout_lines: [] };
}

export interface PreflightRun {
  /** `upgrade-cluster`, `create-cluster`, `check-preflight`. */
  operation: string;
  /** When the command started, µs. */
  start: number;
  /** The command line as typed. */
  command: string;
  /** Lines before the preflight (`Upgrading cluster …`). */
  before?: string[];
  /** Per machine: its check results (default: all pass). */
  results?: ReadonlyMap<string, Record<string, TaskResult>>;
  /** Lines after a successful preflight. */
  after?: string[];
}

/** The operation's folder and files: `<operation>.log` plus one Ansible log per machine. */
export function preflightFiles(c: Cluster, run: PreflightRun): { files: ExtraFile[]; failed: Node[]; end: number } {
  const rng = new Rng(`${c.seed}/dpv2node-preflight/${run.operation}/${run.start}`);
  const dir = `bmctl-workspace/${c.name}/log/${run.operation}-${dashedStamp(run.start)}`;
  const files: ExtraFile[] = [];
  const failed: Node[] = [];
  const checksStart = run.start + rng.int(40 * SEC, 70 * SEC);
  let end = checksStart;
  const summary: string[] = [];
  for (const node of c.nodes) {
    const log = machineCheckLog(node, checksStart + rng.int(0, 3 * SEC), machineChecks(run.results?.get(node.ip)), `${c.seed}/${run.operation}/${node.ip}`);
    files.push({ path: `${dir}/${node.ip}`, content: log.text });
    end = Math.max(end, log.end);
    if (log.failed) {
      failed.push(node);
      summary.push(`\t- [FAILED] ${node.ip} (log: ${dir}/${node.ip})`);
    } else summary.push(`\t- [PASSED] ${node.ip}`);
  }
  const steps: [number, string][] = [[0, run.command]];
  for (const l of run.before ?? []) steps.push([rng.int(300_000, 3 * SEC), l]);
  steps.push([rng.int(2 * SEC, 6 * SEC), 'Waiting for preflight check job to finish...']);
  steps.push([Math.max(SEC, end - checksStart + rng.int(5 * SEC, 15 * SEC)), `Waiting for preflight check job to finish... ${failed.length ? 'FAILED' : 'OK'}`]);
  steps.push([rng.int(10_000, 90_000), '- Validation Category: machines and network']);
  for (const s of summary) steps.push([rng.int(1000, 20_000), s]);
  steps.push([rng.int(1000, 20_000), `\t- [PASSED] node-network`]);
  steps.push([rng.int(10_000, 90_000), '- Validation Category: gcp']);
  steps.push([rng.int(1000, 20_000), '\t- [PASSED] gcp']);
  steps.push([rng.int(200_000, 900_000), 'Flushing logs... OK']);
  if (failed.length) {
    steps.push([rng.int(100_000, 400_000), `Error: ${run.operation === 'upgrade-cluster' ? 'upgrade' : 'cluster'} preflight check failed: ${failed.length} machine(s) failed the checks, see the logs above`]);
  } else {
    for (const l of run.after ?? []) steps.push([rng.int(5 * SEC, 60 * SEC), l]);
  }
  const log = bmctlLines(run.start, steps);
  files.push({ path: `${dir}/${run.operation}.log`, content: log.text });
  return { files, failed, end: log.end };
}
