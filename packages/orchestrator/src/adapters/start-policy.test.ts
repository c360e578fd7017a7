import { TimeoutError, type DiveError } from '@dive/errors';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createStartPolicy, retryDelayMs } from './start-policy.js';

const noSleep = { sleep: () => Promise.resolve() };

describe('retryDelayMs', () => {
  it('follows each curve exactly', () => {
    const exp = { policy: 'exponential', attempts: 5, baseMs: 100, maxMs: 1_000 } as const;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(exp, n))).toEqual([100, 200, 400, 800, 1_000]);
    const prog = { policy: 'progressive', attempts: 3, baseMs: 1_000, maxMs: 60_000 } as const;
    expect([1, 2, 3].map((n) => retryDelayMs(prog, n))).toEqual([3_000, 10_000, 21_000]);
    expect(retryDelayMs({ policy: 'fixed-jitter', attempts: 2, baseMs: 100 }, 1, () => 0.5)).toBe(2_600);
    expect(retryDelayMs({ policy: 'none', attempts: 2 }, 1)).toBe(0);
  });
});

describe('createStartPolicy', () => {
  it('retries until success and reports each retry', async () => {
    const policy = createStartPolicy(undefined, noSleep);
    const retries: number[] = [];
    let calls = 0;
    const r = await policy.run(
      'USA/a',
      { policy: 'exponential', attempts: 3, baseMs: 10 },
      { failureThreshold: 5 },
      (): ResultAsync<string, DiveError> => (++calls < 3 ? errAsync(new TimeoutError('slow')) : okAsync('up')),
      { onRetry: (i) => retries.push(i.delayMs) },
    );
    expect(r._unsafeUnwrap()).toBe('up');
    expect(retries).toEqual([10, 20]);
  });

  it('gives up after the attempts with the last error; the breaker opens after three failed starts', async () => {
    let t = 0;
    const policy = createStartPolicy(undefined, { ...noSleep, now: () => t });
    const fail = (): ResultAsync<string, DiveError> => errAsync(new TimeoutError('down'));
    for (let i = 0; i < 3; i++) {
      // each start fails all its attempts; the third failed start in a row opens the breaker
      const r = await policy.run(
        'USA/b',
        { policy: 'none', attempts: 2 },
        { failureThreshold: 3, resetTimeoutMs: 1_000 },
        fail,
        {},
      );
      expect(r._unsafeUnwrapErr()._tag).toBe('TimeoutError');
      expect(policy.openBreakers()).toEqual(i < 2 ? [] : ['USA/b']);
    }
    const fast = await policy.run(
      'USA/b',
      { policy: 'none', attempts: 3 },
      { failureThreshold: 3, resetTimeoutMs: 1_000 },
      () => okAsync('x'),
      {},
    );
    expect(fast._unsafeUnwrapErr()._tag).toBe('CircuitOpenError');
    t = 1_001; // after the reset timeout a probe is let through, and success closes it
    const probe = await policy.run(
      'USA/b',
      { policy: 'none', attempts: 1 },
      { failureThreshold: 3, resetTimeoutMs: 1_000 },
      () => okAsync('x'),
      {},
    );
    expect(probe._unsafeUnwrap()).toBe('x');
    expect(policy.openBreakers()).toEqual([]);
  });

  it('does not retry a CRITICAL error or a cancellation', async () => {
    const policy = createStartPolicy(undefined, noSleep);
    let calls = 0;
    const r = await policy.run(
      'USA/c',
      { policy: 'none', attempts: 5 },
      {},
      () => {
        calls += 1;
        return errAsync(new TimeoutError('fatal', { severity: 'CRITICAL' }));
      },
      {},
    );
    expect(r.isErr()).toBe(true);
    expect(calls).toBe(1);
  });
});
