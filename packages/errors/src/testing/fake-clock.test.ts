import { describe, expect, it } from 'vitest';
import { driveUntilSettled } from './drive.js';
import { createFakeClock } from './fake-clock.js';

describe('createFakeClock', () => {
  it('fires due timers in order, reports the next one, and ignores cleared ones', () => {
    const clock = createFakeClock(100);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    const cleared = clock.setTimeout(() => fired.push('x'), 5);
    clock.setTimeout(() => fired.push('a'), 10);
    clock.clearTimeout(cleared);
    expect(clock.nextTimerAt()).toBe(110);
    clock.advance(15);
    expect(fired).toEqual(['a']);
    expect(clock.now()).toBe(115);
    clock.advance(5);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.nextTimerAt()).toBeUndefined();
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('driveUntilSettled', () => {
  it('moves time to each timer a chain of waits sets, without sleeping', async () => {
    const clock = createFakeClock();
    const wait = (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms));
    const work = (async () => {
      await wait(5_000);
      await Promise.resolve();
      await wait(60_000);
      return clock.now();
    })();
    expect(await driveUntilSettled(clock, work)).toBe(65_000);
  });

  it('with maxStepMs, never jumps to a timer further away than that', async () => {
    const clock = createFakeClock();
    clock.setTimeout(() => undefined, 1_000);
    const polls = (async () => {
      for (let i = 0; i < 3; i += 1) await new Promise<void>((r) => clock.setTimeout(r, 10));
      return clock.now();
    })();
    expect(await driveUntilSettled(clock, polls, { maxStepMs: 10 })).toBe(30);
    expect(clock.pendingTimers()).toBe(1);
  });

  it('rejects as the work rejects', async () => {
    const clock = createFakeClock();
    const failing = new Promise((_, reject) => clock.setTimeout(() => reject(new Error('late')), 10));
    await expect(driveUntilSettled(clock, failing)).rejects.toThrow('late');
  });
});
