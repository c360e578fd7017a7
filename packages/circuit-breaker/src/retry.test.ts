import { CancelledError } from '@dive/errors';
import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { decorrelatedJitter, exponential, fixedJitter, progressive, retry, type RetryPolicy } from './index.js';
import { createFakeClock } from './testing/index.js';

const delays = (p: RetryPolicy, random = () => 0.5): number[] => {
  const out: number[] = [];
  let prev = 0;
  for (let n = 1; n < p.attempts; n++) out.push((prev = p.delay(n, prev, random)));
  return out;
};

/** Run retry against an always-failing fn, advancing the fake clock through each sleep; returns the sleeps. */
async function run(policy: RetryPolicy, random = () => 0.5): Promise<{ sleeps: number[]; calls: number }> {
  const clock = createFakeClock();
  const sleeps: number[] = [];
  let calls = 0;
  const result = retry(() => (calls++, errAsync('down')), policy, {
    clock,
    random,
    onRetry: ({ delayMs }) => sleeps.push(delayMs),
  });
  for (let i = 0; i < 50; i++) {
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    clock.advance(1e9);
  }
  expect((await result)._unsafeUnwrapErr()).toBe('down');
  return { sleeps, calls };
}

describe('retry policies', () => {
  it('exponential: base·2^(n−1) capped', () => {
    expect(delays(exponential({ baseMs: 1000, maxMs: 5000, attempts: 5 }))).toEqual([1000, 2000, 4000, 5000]);
  });
  it('progressive: base·n + quadratic·n² (Keycloak curve)', () => {
    expect(delays(progressive({ baseMs: 1000, attempts: 4 }))).toEqual([3000, 10_000, 21_000]);
  });
  it('fixedJitter: base + random·jitter', () => {
    expect(delays(fixedJitter({ baseMs: 1000, attempts: 3 }), () => 0.25)).toEqual([2250, 2250]);
  });
  it('decorrelatedJitter: min(max, base + random·(3·prev − base))', () => {
    expect(delays(decorrelatedJitter({ baseMs: 100, maxMs: 1000, attempts: 4 }), () => 0.5)).toEqual([200, 350, 575]);
  });
  it.each([
    () => exponential({ baseMs: -1, attempts: 3 }),
    () => progressive({ baseMs: 1, attempts: 0 }),
    () => fixedJitter({ baseMs: 1, jitterMs: Number.NaN, attempts: 2 }),
    () => decorrelatedJitter({ baseMs: 10, maxMs: 5, attempts: 2 }),
  ])('bad options throw RangeError (%#)', (make) => expect(make).toThrow(RangeError));
});

describe('retry', () => {
  it('sleeps exactly the policy delays between attempts and returns the last error', async () => {
    const { sleeps, calls } = await run(progressive({ baseMs: 1000, attempts: 4 }));
    expect(sleeps).toEqual([3000, 10_000, 21_000]);
    expect(calls).toBe(4);
  });
  it('returns the first success without sleeping', async () => {
    const r = await retry(() => Promise.resolve(7), exponential({ baseMs: 10, attempts: 3 }));
    expect(r._unsafeUnwrap()).toBe(7);
  });
  it('stops on a non-retryable error', async () => {
    let calls = 0;
    const r = await retry(
      () => (calls++, errAsync({ _tag: 'CircuitOpenError' })),
      exponential({ baseMs: 1, attempts: 5 }),
      {
        clock: createFakeClock(),
      },
    );
    expect(calls).toBe(1);
    expect(r.isErr()).toBe(true);
  });
  it('abort during a back-off: no further attempt, no timer left, CancelledError', async () => {
    const clock = createFakeClock();
    const controller = new AbortController();
    let calls = 0;
    const result = retry(() => (calls++, errAsync('down')), exponential({ baseMs: 1000, attempts: 5 }), {
      clock,
      signal: controller.signal,
    });
    await new Promise((r) => setImmediate(r));
    expect(clock.pendingTimers()).toBe(1);
    controller.abort();
    const r = await result;
    expect(r._unsafeUnwrapErr()).toBeInstanceOf(CancelledError);
    expect(clock.pendingTimers()).toBe(0);
    clock.advance(1e6);
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(1);
  });
  it('an already aborted signal runs nothing', async () => {
    let calls = 0;
    const r = await retry(() => (calls++, okAsync(1)), exponential({ baseMs: 1, attempts: 2 }), {
      signal: AbortSignal.abort(),
    });
    expect(calls).toBe(0);
    expect(r._unsafeUnwrapErr()._tag).toBe('CancelledError');
  });
});
