import { TimeoutError, type DiveError } from '@dive/errors';
import { errAsync, okAsync, type ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createStartPolicy, retryPolicy } from './start-policy.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('retryPolicy', () => {
  it('maps each topology curve to its @dive/circuit-breaker policy, capped by maxMs', () => {
    const exp = retryPolicy({ policy: 'exponential', attempts: 5, baseMs: 100, maxMs: 1_000 });
    expect([1, 2, 3, 4, 5].map((n) => exp.delay(n, 0, () => 0))).toEqual([100, 200, 400, 800, 1_000]);
    const prog = retryPolicy({ policy: 'progressive', attempts: 3, baseMs: 1_000, maxMs: 60_000 });
    expect([1, 2, 3].map((n) => prog.delay(n, 0, () => 0))).toEqual([3_000, 10_000, 21_000]);
    expect(retryPolicy({ policy: 'none', attempts: 2 }).delay(1, 0, () => 0.5)).toBe(0);
    expect(retryPolicy({ policy: 'none', attempts: 4 }).attempts).toBe(4);
  });
});

describe('createStartPolicy', () => {
  it('retries until success and reports each retry', async () => {
    const policy = createStartPolicy();
    const retries: number[] = [];
    let calls = 0;
    const r = await policy.run(
      'USA/a',
      { policy: 'exponential', attempts: 3, baseMs: 5 },
      { failureThreshold: 5 },
      (): ResultAsync<string, DiveError> => (++calls < 3 ? errAsync(new TimeoutError('slow')) : okAsync('up')),
      { onRetry: (i) => retries.push(i.delayMs) },
    );
    expect(r._unsafeUnwrap()).toBe('up');
    expect(retries).toEqual([5, 10]);
  });

  it('gives up after the attempts; the breaker opens after three failed starts and probes after its timeout', async () => {
    const policy = createStartPolicy();
    const fail = (): ResultAsync<string, DiveError> => errAsync(new TimeoutError('down'));
    const breaker = { failureThreshold: 3, resetTimeoutMs: 50, successThreshold: 1 };
    for (let i = 0; i < 3; i++) {
      const r = await policy.run('USA/b', { policy: 'none', attempts: 2 }, breaker, fail, {});
      expect(r._unsafeUnwrapErr()._tag).toBe('TimeoutError');
      expect(policy.openBreakers()).toEqual(i < 2 ? [] : ['USA/b']);
    }
    const fast = await policy.run('USA/b', { policy: 'none', attempts: 2 }, breaker, () => okAsync('x'), {});
    expect(fast._unsafeUnwrapErr()._tag).toBe('CircuitOpenError');
    await sleep(70);
    const probe = await policy.run('USA/b', { policy: 'none', attempts: 1 }, breaker, () => okAsync('x'), {});
    expect(probe._unsafeUnwrap()).toBe('x');
    expect(policy.openBreakers()).toEqual([]);
  });

  it('does not retry a CRITICAL error', async () => {
    const policy = createStartPolicy();
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
