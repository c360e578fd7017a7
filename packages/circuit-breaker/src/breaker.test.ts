import { errAsync, okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCircuitBreaker, type BreakerState } from './index.js';
import { createFakeClock } from './testing/index.js';

const boom = (): Promise<never> => Promise.reject(new Error('boom'));
const fine = (): Promise<string> => Promise.resolve('ok');

function seed() {
  const clock = createFakeClock(1_000_000);
  const breaker = createCircuitBreaker({ name: 'keycloak', clock });
  const changes: string[] = [];
  breaker.onStateChange((c) => changes.push(`${c.from}->${c.to}`));
  return { clock, breaker, changes };
}

describe('createCircuitBreaker', () => {
  it('runs the seed scenario: 3 failures -> OPEN; 60 s -> HALF_OPEN; 2 successes -> CLOSED; failed probe -> OPEN', async () => {
    const { clock, breaker, changes } = seed();
    for (let i = 0; i < 2; i++) expect((await breaker.execute(boom))._unsafeUnwrapErr()._tag).toBe('UnexpectedError');
    expect(breaker.state).toBe('CLOSED');
    await breaker.execute(boom);
    expect(breaker.state).toBe('OPEN');
    const refused = (await breaker.execute(fine))._unsafeUnwrapErr();
    expect(refused._tag).toBe('CircuitOpenError');
    expect(refused.code).toBe(4004);
    expect(refused.context).toMatchObject({ breaker: 'keycloak', nextProbeAt: 1_060_000 });
    clock.advance(59_999);
    expect(breaker.state).toBe('OPEN');
    clock.advance(1);
    expect(breaker.state).toBe('HALF_OPEN');
    expect(clock.pendingTimers()).toBe(0);
    expect((await breaker.execute(fine))._unsafeUnwrap()).toBe('ok');
    expect(breaker.state).toBe('HALF_OPEN');
    await breaker.execute(fine);
    expect(breaker.state).toBe('CLOSED');
    for (let i = 0; i < 3; i++) await breaker.execute(boom);
    clock.advance(60_000);
    await breaker.execute(boom);
    expect(breaker.state).toBe('OPEN');
    expect(breaker.stats.nextProbeAt).toBe(clock.now() + 60_000);
    expect(changes).toEqual([
      'CLOSED->OPEN',
      'OPEN->HALF_OPEN',
      'HALF_OPEN->CLOSED',
      'CLOSED->OPEN',
      'OPEN->HALF_OPEN',
      'HALF_OPEN->OPEN',
    ]);
  });

  it('a success resets the consecutive failure count', async () => {
    const { breaker } = seed();
    await breaker.execute(boom);
    await breaker.execute(boom);
    await breaker.execute(fine);
    await breaker.execute(boom);
    await breaker.execute(boom);
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.stats.consecutiveFailures).toBe(2);
  });

  it('reuses one frozen CircuitOpenError per open period', async () => {
    const { breaker, clock } = seed();
    for (let i = 0; i < 3; i++) await breaker.execute(boom);
    const a = (await breaker.execute(fine))._unsafeUnwrapErr();
    const b = (await breaker.execute(fine))._unsafeUnwrapErr();
    expect(a).toBe(b);
    expect(Object.isFrozen(a)).toBe(true);
    clock.advance(60_000);
    await breaker.execute(boom);
    expect((await breaker.execute(fine))._unsafeUnwrapErr()).not.toBe(a);
    expect(breaker.stats.rejections).toBe(3);
  });

  it('admits halfOpenMaxConcurrent probes at once and refuses the rest', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ name: 'db', clock, failureThreshold: 1, halfOpenMaxConcurrent: 2 });
    await breaker.execute(boom);
    clock.advance(60_000);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    const slow = async (): Promise<number> => {
      started++;
      await gate;
      return 1;
    };
    const calls = [breaker.execute(slow), breaker.execute(slow), breaker.execute(slow), breaker.execute(slow)];
    expect(started).toBe(2);
    release();
    const results = await Promise.all(calls);
    expect(results.map((r) => (r.isOk() ? 'ok' : r.error._tag))).toEqual([
      'ok',
      'ok',
      'CircuitOpenError',
      'CircuitOpenError',
    ]);
    expect(breaker.state).toBe('CLOSED');
  });

  it('takes ResultAsync functions, and isFailure decides which errors count', async () => {
    const breaker = createCircuitBreaker({
      name: 'x',
      failureThreshold: 1,
      clock: createFakeClock(),
      isFailure: (e) => (e as { kind?: string }).kind !== 'notFound',
    });
    expect((await breaker.execute(() => okAsync(5)))._unsafeUnwrap()).toBe(5);
    await breaker.execute(() => errAsync({ kind: 'notFound' }));
    expect(breaker.state).toBe('CLOSED');
    await breaker.execute(() => errAsync({ kind: 'down' }));
    expect(breaker.state).toBe('OPEN');
  });

  it('never throws: a synchronous throw becomes an error value', async () => {
    const breaker = createCircuitBreaker({ name: 'x', clock: createFakeClock() });
    const r = await breaker.execute(() => {
      throw new Error('sync');
    });
    expect(r._unsafeUnwrapErr()._tag).toBe('UnexpectedError');
    expect(breaker.stats.consecutiveFailures).toBe(1);
  });

  it('reset closes it; a disposed listener hears nothing', async () => {
    const { breaker, changes } = seed();
    const sub = breaker.onStateChange(() => changes.push('second'));
    sub.dispose();
    for (let i = 0; i < 3; i++) await breaker.execute(boom);
    await breaker.reset();
    expect(breaker.state).toBe('CLOSED');
    expect(changes).toEqual(['CLOSED->OPEN', 'OPEN->CLOSED']);
  });

  it('opens on failures in a rolling window', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({
      name: 'w',
      clock,
      failureThreshold: 100,
      window: { windowMs: 10_000, failureRatio: 0.5, minimumCalls: 4 },
    });
    await breaker.execute(boom);
    await breaker.execute(fine);
    await breaker.execute(fine);
    expect(breaker.state).toBe('CLOSED');
    clock.advance(11_000);
    await breaker.execute(boom);
    await breaker.execute(fine);
    await breaker.execute(boom);
    expect(breaker.state).toBe('CLOSED');
    await breaker.execute(boom);
    expect(breaker.state).toBe('OPEN');
  });

  it.each([
    ['failureThreshold', { failureThreshold: 0 }],
    ['resetTimeoutMs', { resetTimeoutMs: -1 }],
    ['successThreshold', { successThreshold: 1.5 }],
    ['halfOpenMaxConcurrent', { halfOpenMaxConcurrent: 0 }],
    ['window.failureRatio', { window: { windowMs: 1000, failureRatio: 2 } }],
  ])('throws RangeError on a bad %s', (_, bad) => {
    expect(() => createCircuitBreaker({ name: 'x', ...bad })).toThrow(RangeError);
  });

  it('matches a model under random sequences of outcomes and time (property)', async () => {
    const step = fc.oneof(
      fc.constant('ok' as const),
      fc.constant('fail' as const),
      fc.integer({ min: 1, max: 40_000 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const clock = createFakeClock();
        const breaker = createCircuitBreaker({ name: 'm', clock, resetTimeoutMs: 60_000 });
        let model: BreakerState = 'CLOSED';
        let fails = 0;
        let probes = 0;
        let nextProbe = 0;
        for (const s of steps) {
          if (typeof s === 'number') {
            clock.advance(s);
            if (model === 'OPEN' && clock.now() >= nextProbe) [model, probes] = ['HALF_OPEN', 0];
            continue;
          }
          const r = await breaker.execute(s === 'ok' ? fine : boom);
          if (model === 'OPEN') expect(r.isErr() && r.error._tag === 'CircuitOpenError').toBe(true);
          else if (model === 'CLOSED') {
            fails = s === 'ok' ? 0 : fails + 1;
            if (fails >= 3) [model, nextProbe] = ['OPEN', clock.now() + 60_000];
          } else if (s === 'fail') [model, nextProbe, fails] = ['OPEN', clock.now() + 60_000, 0];
          else if (++probes >= 2) [model, fails] = ['CLOSED', 0];
          expect(breaker.state).toBe(model);
        }
      }),
      { numRuns: 200 },
    );
  });
});
