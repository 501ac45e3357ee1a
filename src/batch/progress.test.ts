import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

/** A stand-in for stderr that records what is written. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('progress bar', () => {
  it('on a terminal: bundles done/total, bytes, rate, ETA and failures', () => {
    const tty = stream(true);
    const p = new Progress(3, 3 * 1024 * 1024, false, tty);
    p.tick(1024 * 1024, false);
    p.tick(1024 * 1024, true);
    p.stop();
    const frames = tty.text.split('\r').map((f) => f.trim()).filter(Boolean);
    expect(frames[0]).toMatch(/^\[#{8}-{16}\] 1\/3 bundles · 1\.0 MB · \S+ \S+\/s · ETA \S+$/);
    expect(frames.at(-1)).toMatch(/^\[#{16}-{8}\] 2\/3 bundles · 2\.0 MB · .* · 1 failed$/);
    expect(tty.text.endsWith(`\r${' '.repeat(100)}\r`)).toBe(true); // the bar is cleared at the end
  });

  it('notes go on their own line, the bar is redrawn after them', () => {
    const tty = stream(true);
    const p = new Progress(2, 0, false, tty);
    p.note('kubesleuth: cannot read a.tgz: zip archive');
    p.stop();
    expect(tty.text).toMatch(/\r {100}\rkubesleuth: cannot read a\.tgz: zip archive\n\r\[-+\] 0\/2 bundles/);
  });

  it('nothing but notes when stderr is not a terminal, with --quiet, or for one bundle', () => {
    for (const [s, quiet, total] of [[stream(false), false, 3], [stream(true), true, 3], [stream(true), false, 1]] as const) {
      const p = new Progress(total, 100, quiet, s);
      p.tick(10, true);
      p.note('a note');
      p.stop();
      expect(s.text).toBe('a note\n');
    }
  });
});
