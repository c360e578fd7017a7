import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, exponential, retry, type CircuitBreaker } from './index.js';
import { createFakeClock, type FakeClock } from './testing/index.js';

/** Drive a pending retry through its back-off sleeps on the fake clock. */
async function settle<T>(clock: FakeClock, pending: PromiseLike<T>): Promise<T> {
  let done = false;
  const out = Promise.resolve(pending).finally(() => (done = true));
  for (let i = 0; i < 200 && !done; i++) {
    await new Promise((r) => setImmediate(r));
    clock.advance(50); // small steps: the breakers (reset after 60 s) must not reach HALF_OPEN meanwhile
  }
  return out;
}

/** The outcomes of a scripted fn: 'ok' or 'fail' per call, by promise or by ResultAsync. */
const scripted = (script: readonly ('ok' | 'fail')[], style: 'promise' | 'result') => {
  let calls = 0;
  const fn = () => {
    const outcome = script[calls++] ?? 'ok';
    if (style === 'result') return outcome === 'ok' ? okAsync(calls) : errAsync(new Error(`fail ${calls}`));
    return outcome === 'ok' ? Promise.resolve(calls) : Promise.reject(new Error(`fail ${calls}`));
  };
  return { fn, calls: () => calls };
};

const statsOf = (b: CircuitBreaker) => {
  const s = b.stats;
  return [s.state, s.successes, s.failures, s.consecutiveFailures, s.rejections];
};

describe('retry(fn, policy, { breaker }): every attempt through the breaker', () => {
  for (const style of ['promise', 'result'] as const) {
    for (const script of [['ok'], ['fail', 'ok'], ['fail', 'fail', 'ok'], ['fail', 'fail', 'fail']] as const) {
      it(`${style}, ${script.join(' → ')}: the same result and breaker stats as retry(() => breaker.execute(fn))`, async () => {
        const clock = createFakeClock();
        const policy = exponential({ baseMs: 100, attempts: 3 });
        const options = { failureThreshold: 5, clock };
        const viaOption = createCircuitBreaker({ name: 'a', ...options });
        const composed = createCircuitBreaker({ name: 'b', ...options });
        const a = scripted(script, style);
        const b = scripted(script, style);
        const ra = await settle(clock, retry(a.fn, policy, { clock, breaker: viaOption }));
        const rb = await settle(
          clock,
          retry(() => composed.execute(b.fn), policy, { clock }),
        );
        expect(ra.isOk()).toBe(rb.isOk());
        if (ra.isOk()) expect(ra.value).toBe(rb._unsafeUnwrap());
        else expect(ra.error.message).toBe(rb._unsafeUnwrapErr().message);
        expect(a.calls()).toBe(b.calls());
        expect(statsOf(viaOption)).toEqual(statsOf(composed));
      });
    }
  }

  it('an open breaker ends the retries with CircuitOpenError without calling fn; failures open it mid-way', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ name: 'db', failureThreshold: 2, clock });
    const f = scripted(['fail', 'fail', 'fail', 'fail'], 'promise');
    const r = await settle(clock, retry(f.fn, exponential({ baseMs: 10, attempts: 5 }), { clock, breaker }));
    expect((r._unsafeUnwrapErr() as { _tag?: string })._tag).toBe('CircuitOpenError');
    expect(f.calls()).toBe(2); // the third attempt was refused by the now open breaker
    const again = await retry(f.fn, exponential({ baseMs: 10, attempts: 5 }), { clock, breaker });
    expect((again._unsafeUnwrapErr() as { _tag?: string })._tag).toBe('CircuitOpenError');
    expect(f.calls()).toBe(2);
  });

  it('a throwing fn counts as a failure and is retried', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ name: 'x', clock });
    let calls = 0;
    const r = await settle(
      clock,
      retry(
        () => {
          if (++calls === 1) throw new Error('sync');
          return Promise.resolve('fine');
        },
        exponential({ baseMs: 10, attempts: 2 }),
        { clock, breaker },
      ),
    );
    expect(r._unsafeUnwrap()).toBe('fine');
    expect([breaker.stats.failures, breaker.stats.successes]).toEqual([1, 1]);
  });
});
