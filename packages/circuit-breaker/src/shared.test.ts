import { describe, expect, it } from 'vitest';
import { createBreakerRegistry, createCircuitBreaker } from './index.js';
import { createFakeClock, createMemoryBreakerStore } from './testing/index.js';

const boom = (): Promise<never> => Promise.reject(new Error('boom'));

describe('breakers sharing a store', () => {
  it('failures in one process open the breaker for the other; only one probes in HALF_OPEN', async () => {
    const clock = createFakeClock(5000);
    const store = createMemoryBreakerStore();
    const a = createCircuitBreaker({ name: 'pg', clock, store });
    const b = createCircuitBreaker({ name: 'pg', clock, store });
    await a.execute(boom);
    await b.execute(boom);
    await a.execute(boom);
    expect(a.state).toBe('OPEN');
    const refused = (await b.execute(() => Promise.resolve(1)))._unsafeUnwrapErr();
    expect(refused.context).toMatchObject({ breaker: 'pg', nextProbeAt: 65_000 });
    clock.advance(60_000);
    let release!: () => void;
    const gate = new Promise<number>((r) => (release = () => r(1)));
    const probeA = a.execute(() => gate);
    const probeB = await b.execute(() => Promise.resolve(2));
    expect(probeB._unsafeUnwrapErr()._tag).toBe('CircuitOpenError');
    release();
    expect((await probeA)._unsafeUnwrap()).toBe(1);
    expect((await b.execute(() => Promise.resolve(3)))._unsafeUnwrap()).toBe(3);
    expect(await a.refresh()).toBe('CLOSED');
    expect((await store.load('pg'))?.state).toBe('CLOSED');
  });

  it('a store failure is an error value, not a rejection', async () => {
    const store = { ...createMemoryBreakerStore(), load: () => Promise.reject(new Error('db down')) };
    const r = await createCircuitBreaker({ name: 'pg', store }).execute(() => Promise.resolve(1));
    expect(r._unsafeUnwrapErr()._tag).toBe('UnexpectedError');
  });
});

describe('createBreakerRegistry', () => {
  it('keeps one breaker per name, lists status, resets by name', async () => {
    const clock = createFakeClock();
    const registry = createBreakerRegistry({ defaults: { failureThreshold: 1 }, clock });
    expect(registry.get('b')).toBe(registry.get('b'));
    await registry.get('a').execute(boom);
    expect(registry.status()).toEqual([
      { name: 'a', state: 'OPEN', consecutiveFailures: 1, openedAt: 0, nextProbeAt: 60_000 },
      { name: 'b', state: 'CLOSED', consecutiveFailures: 0, openedAt: null, nextProbeAt: null },
    ]);
    await registry.reset('a');
    expect(registry.get('a').state).toBe('CLOSED');
    await registry[Symbol.asyncDispose]();
  });
});

describe('late outcomes', () => {
  it('a call admitted while CLOSED that fails after the breaker opened does not move it', async () => {
    const clock = createFakeClock();
    const breaker = createCircuitBreaker({ name: 'late', clock, failureThreshold: 1 });
    let rejectLate!: (e: Error) => void;
    const late = breaker.execute(() => new Promise<never>((_, reject) => (rejectLate = reject)));
    await breaker.execute(boom);
    clock.advance(60_000);
    expect(breaker.state).toBe('HALF_OPEN');
    rejectLate(new Error('late'));
    expect((await late).isErr()).toBe(true);
    expect(breaker.state).toBe('HALF_OPEN');
  });
});

describe('a registry over a store', () => {
  it('two registries (two processes) see each other through refresh()', async () => {
    const clock = createFakeClock();
    const store = createMemoryBreakerStore();
    const one = createBreakerRegistry({ defaults: { failureThreshold: 1 }, store, clock });
    const two = createBreakerRegistry({ defaults: { failureThreshold: 1 }, store, clock });
    two.get('api');
    await one.get('api').execute(boom);
    expect((await two.refresh())[0]?.state).toBe('OPEN');
    await two.reset('api');
    expect(await store.load('api')).toBe(undefined);
  });
});
