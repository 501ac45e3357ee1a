import { describe, expect, it } from 'vitest';
import { BootClock, monotonicOf } from '../src/boot-clock.js';
import type { Event } from '../src/model/event.js';

const BOOT = Date.UTC(2024, 2, 12, 9, 0, 0);
const kernel = (node: string, message: string, at: { time?: number; monotonic?: number }): Event => ({
  source: 'kernel', kind: 'log', node, message, time: at.time, fields: at.monotonic === undefined ? {} : { monotonic: at.monotonic }, loc: { file: 'f', line: 1 },
});

describe('BootClock', () => {
  it('derives the boot time from messages seen both in dmesg and in the kernel journal', () => {
    const clock = new BootClock();
    clock.learn(kernel('n1', 'Linux version 5.8.0-63-generic', { monotonic: 0 }));
    clock.learn(kernel('n1', 'nf_conntrack: table full, dropping packet', { monotonic: 3600.25 }));
    clock.learn(kernel('n1', 'eth0: link up', { monotonic: 12.5 }));
    // The journal rounds to the second; one line is off by a clock step: the median holds.
    clock.learn(kernel('n1', 'Linux version 5.8.0-63-generic', { time: BOOT }));
    clock.learn(kernel('n1', 'eth0: link up', { time: BOOT + 12_000 }));
    clock.learn(kernel('n1', 'nf_conntrack: table full, dropping packet', { time: BOOT + 3_900_000 }));
    expect(clock.bootTime('n1')).toBe(BOOT);
    const late = kernel('n1', 'something only dmesg kept', { monotonic: 7200 });
    expect(clock.timeOf({ ...late, monotonic: monotonicOf(late) })).toEqual({ time: BOOT + 7_200_000, derived: true });
  });

  it('keeps nodes apart and leaves a line untimed when nothing pairs', () => {
    const clock = new BootClock();
    clock.learn(kernel('n1', 'eth0: link up', { time: BOOT }));
    clock.learn(kernel('n2', 'eth0: link up', { monotonic: 5 }));
    expect(clock.bootTime('n1')).toBeUndefined();
    expect(clock.timeOf({ source: 'kernel', node: 'n2', monotonic: 9 })).toBeUndefined();
    expect(clock.timeOf({ source: 'kernel', node: 'n1', time: BOOT })).toEqual({ time: BOOT, derived: false });
  });
});
