/**
 * A progress line on stderr for batch scans: bundles done/total, bytes, rate, ETA, failures.
 * Only on a terminal; silent when stderr is piped or with --quiet.
 */
import { bytes } from '../report/format.js';

export class Progress {
  private done = 0;
  private failed = 0;
  private bytesDone = 0;
  private readonly started = performance.now();
  private timer?: NodeJS.Timeout;
  private readonly enabled: boolean;

  constructor(private readonly total: number, private readonly totalBytes: number, quiet: boolean, private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = !quiet && !!stream.isTTY && total > 1;
    if (this.enabled) this.timer = setInterval(() => this.draw(), 500);
  }

  tick(size: number | undefined, failed: boolean): void {
    this.done++;
    this.bytesDone += size ?? 0;
    if (failed) this.failed++;
    this.draw();
  }

  private draw(): void {
    if (!this.enabled) return;
    const secs = (performance.now() - this.started) / 1000;
    const rate = secs > 0 ? this.bytesDone / secs : 0;
    const left = rate > 0 ? (this.totalBytes - this.bytesDone) / rate : undefined;
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    const eta = left === undefined || !Number.isFinite(left) ? '–' : `${Math.floor(left / 60)}:${String(Math.round(left % 60)).padStart(2, '0')}`;
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total} bundles · ${bytes(this.bytesDone)} · ${bytes(rate)}/s · ETA ${eta}${this.failed ? ` · ${this.failed} failed` : ''}`;
    this.stream.write(`\r${line.padEnd(100)}`);
  }

  /** Print a message on its own line without garbling the bar. */
  note(message: string): void {
    if (this.enabled) this.stream.write(`\r${' '.repeat(100)}\r`);
    this.stream.write(`${message}\n`);
    this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.enabled) this.stream.write(`\r${' '.repeat(100)}\r`);
  }
}
