// A Runtime that breaks its contract (its start rejects, throws, never answers, or answers after the deadline)
// must not hang, crash or wedge the engine: every operation ends in bounded (fake) time with a typed error or a
// failed report, the instance lock is free afterwards, and nothing rejects unhandled.
import { createFakeClock, type FakeClock } from '@dive/errors/testing';
import { createMemoryLockManager } from '@dive/locks/testing';
import { createMemoryStateStore } from '@dive/state-db/testing';
import { okAsync, ResultAsync } from 'neverthrow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { down } from '../operations/down.js';
import { orchestrate } from '../operations/orchestrate.js';
import { rollback } from '../operations/rollback.js';
import type { Runtime } from '../runtime/types.js';
import type { StateBackend } from '../state.js';
import { memoryRuntime, type MemoryRuntime } from '../testing/memory-runtime.js';
import type { Topology } from '../topology/types.js';
import { retiringRuntime } from './retiring.test-helpers.js';

type Misbehaviour = 'rejects' | 'throws' | 'never' | 'late';
type Method = 'start' | 'stop' | 'list' | 'retire' | 'restore';

/** State and locks in memory: nothing here waits on real I/O, so the fake clock alone decides every deadline. */
const memoryState = (clock: FakeClock): StateBackend => ({
  kind: 'file',
  store: createMemoryStateStore({ clock }),
  locks: createMemoryLockManager(),
  location: process.cwd(),
  [Symbol.asyncDispose]: async () => undefined,
});

/** `inner`, except that `method` misbehaves; `late` answers `lateByMs` of fake time after the call. */
function hostile(inner: Runtime, method: Method, how: Misbehaviour, clock: FakeClock, lateByMs = 2_000): Runtime {
  const broken = (...args: unknown[]): unknown => {
    switch (how) {
      case 'rejects':
        return new ResultAsync(Promise.reject(new Error(`${method} exploded`)));
      case 'throws':
        throw new Error(`${method} threw`);
      case 'never':
        return new ResultAsync(new Promise<never>(() => undefined));
      case 'late':
        return new ResultAsync(
          new Promise<never>((resolve) => {
            clock.setTimeout(() => {
              resolve((inner[method] as (...a: unknown[]) => unknown).apply(inner, args) as never);
            }, lateByMs);
          }),
        );
    }
  };
  return new Proxy(inner, {
    get: (target, key, receiver): unknown => (key === method ? broken : Reflect.get(target, key, receiver)),
  });
}

/** Await `p` while moving the fake clock on in `stepMs` steps (real I/O gets a turn between steps). */
async function drive<T>(p: PromiseLike<T>, clock: FakeClock, stepMs = 100): Promise<T> {
  let settled = false;
  let value: T | undefined;
  Promise.resolve(p).then(
    (v) => {
      settled = true;
      value = v;
    },
    () => {
      settled = true;
    },
  );
  for (let i = 0; i < 20_000 && !settled; i++) {
    await new Promise((r) => setImmediate(r));
    clock.advance(stepMs);
  }
  expect(settled).toBe(true);
  return value as T;
}

const topology: Topology = {
  instance: 'USA',
  defaults: { retry: { policy: 'none', attempts: 1 }, startTimeoutMs: 800 },
  services: {
    db: { process: { command: 'db' } },
    api: { process: { command: 'api' }, dependsOn: ['db'] },
  },
};
const v2: Topology = { ...topology, services: { ...topology.services, api: { process: { command: 'api-v2' } } } };

let unhandled: ReturnType<typeof vi.fn<(reason: unknown) => void>>;
let clock: FakeClock;
let state: StateBackend;
beforeEach(() => {
  unhandled = vi.fn<(reason: unknown) => void>();
  process.on('unhandledRejection', unhandled);
  clock = createFakeClock(1_700_000_000_000);
  state = memoryState(clock);
});
afterEach(async () => {
  await new Promise((r) => setImmediate(r));
  process.off('unhandledRejection', unhandled);
  expect(unhandled).not.toHaveBeenCalled();
  await state[Symbol.asyncDispose]();
});

const lockIsFree = async (): Promise<boolean> => {
  const lease = await state.locks.acquire('deployment', 'USA', { timeoutMs: 50 });
  if (lease.isErr()) return false;
  return (await lease.value.release()).isOk();
};

describe('orchestrate() with a runtime whose start breaks the contract', () => {
  const cases: [Misbehaviour, string][] = [
    ['rejects', 'UnexpectedError'],
    ['throws', 'UnexpectedError'],
    ['never', 'TimeoutError'],
    ['late', 'TimeoutError'],
  ];
  it.each(cases)('start %s: the service fails with %s, the report is failed, the lock is free', async (how, tag) => {
    const inner = memoryRuntime();
    const runtime = hostile(inner, 'start', how, clock);
    const t0 = clock.now();
    const result = await drive(orchestrate(topology, { runtime, state, clock }), clock);
    const report = result._unsafeUnwrap();
    expect(report.success).toBe(false);
    expect(report.services.find((s) => s.name === 'db')?.error?._tag).toBe(tag);
    expect(report.services.find((s) => s.name === 'api')?.status).toBe('blocked');
    expect(report.error?._tag).toBe('DependencyUnhealthyError');
    expect(report.status).toBe('UNKNOWN'); // rolled back: nothing was running before
    // Bounded: the start deadline (800 ms) and the rollback, not the 30 s call timeout, in fake time.
    expect(clock.now() - t0).toBeLessThan(10_000);
    expect(await lockIsFree()).toBe(true);
    // A start that answered after its deadline is stopped, not left running unseen.
    await drive(
      new Promise<void>((r) =>
        clock.setTimeout(() => {
          r();
        }, 3_000),
      ),
      clock,
    );
    expect([...inner.services.values()].filter((s) => s.status.state === 'running')).toHaveLength(0);
  });

  it('a runtime that never answers list() fails the deployment before anything starts, bounded by callTimeoutMs', async () => {
    const runtime = hostile(memoryRuntime(), 'list', 'never', clock);
    const t0 = clock.now();
    const result = await drive(orchestrate(topology, { runtime, state, clock, callTimeoutMs: 5_000 }), clock);
    expect(result._unsafeUnwrapErr()._tag).toBe('TimeoutError');
    expect(clock.now() - t0).toBeLessThan(6_000);
    expect(await lockIsFree()).toBe(true);
  });
});

/** Deploy the topology and then v2 with a well-behaved runtime: two good generations. */
async function twoGenerations(inner: MemoryRuntime): Promise<void> {
  for (const t of [topology, v2]) {
    const r = await drive(orchestrate(t, { runtime: inner, state, clock }), clock);
    expect(r._unsafeUnwrap().success).toBe(true);
  }
}

describe('down() with a runtime whose stop breaks the contract', () => {
  const cases: [Misbehaviour, string][] = [
    ['rejects', 'UnexpectedError'],
    ['throws', 'UnexpectedError'],
    ['never', 'TimeoutError'],
  ];
  it.each(cases)('stop %s: down() ends with %s, no service-stopped for it, the lock is free', async (how, tag) => {
    const inner = memoryRuntime();
    await twoGenerations(inner);
    const stopped: string[] = [];
    const runtime = hostile(inner, 'stop', how, clock);
    const t0 = clock.now();
    const result = await drive(
      down('USA', {
        runtime,
        state,
        clock,
        callTimeoutMs: 1_000,
        onEvent: (e) => {
          if (e.type === 'service-stopped') stopped.push(e.service);
        },
      }),
      clock,
    );
    expect(result._unsafeUnwrapErr()._tag).toBe(tag);
    expect(stopped).toEqual([]);
    expect(clock.now() - t0).toBeLessThan(15_000); // grace (10 s) + callTimeoutMs
    expect(await lockIsFree()).toBe(true);
  });
});

describe('rollback() with a hostile runtime', () => {
  it('a restore whose start never answers ends FAILED with RollbackFailedError; the lock is free', async () => {
    const inner = memoryRuntime();
    await twoGenerations(inner);
    const runtime = hostile(inner, 'start', 'never', clock);
    const result = await drive(rollback('USA', {}, { runtime, state, clock, callTimeoutMs: 2_000 }), clock);
    const report = result._unsafeUnwrap();
    expect(report.finalState).toBe('FAILED');
    expect(report.error?._tag).toBe('RollbackFailedError');
    expect((report.error?.cause as { _tag?: string } | undefined)?._tag).toBe('TimeoutError');
    expect(await lockIsFree()).toBe(true);
  });

  it('the whole rollback is bounded by rollbackTimeoutMs even when each call may take longer', async () => {
    const inner = memoryRuntime();
    await twoGenerations(inner);
    const runtime = hostile(inner, 'stop', 'never', clock);
    const t0 = clock.now();
    const result = await drive(
      rollback('USA', { strategy: 'stop' }, { runtime, state, clock, callTimeoutMs: 60_000, rollbackTimeoutMs: 1_000 }),
      clock,
    );
    const report = result._unsafeUnwrap();
    expect(report.finalState).toBe('FAILED');
    expect(report.error?._tag).toBe('RollbackFailedError');
    expect((report.error?.cause as { _tag?: string } | undefined)?._tag).toBe('TimeoutError');
    expect(clock.now() - t0).toBeLessThan(5_000);
    expect(await lockIsFree()).toBe(true);
  });

  it('the runtime never sees a rollback call after the deadline passed (no late stop)', async () => {
    const inner = memoryRuntime();
    await twoGenerations(inner);
    const stops = vi.fn(() => okAsync(undefined));
    const runtime = new Proxy(hostile(inner, 'list', 'never', clock), {
      get: (t, k, r): unknown => (k === 'stop' ? stops : Reflect.get(t, k, r)),
    });
    const result = await drive(
      rollback('USA', { strategy: 'stop' }, { runtime, state, clock, rollbackTimeoutMs: 1_000 }),
      clock,
    );
    expect(result._unsafeUnwrap().finalState).toBe('FAILED');
    expect(stops).not.toHaveBeenCalled();
  });
});

describe('retire and restore with a hostile runtime', () => {
  it('a retire that never answers fails the update within its bound; the old generation is restored', async () => {
    const inner = memoryRuntime();
    const runtime = retiringRuntime(inner);
    expect((await drive(orchestrate(topology, { runtime, state, clock }), clock))._unsafeUnwrap().success).toBe(true);
    const t0 = clock.now();
    const result = await drive(
      orchestrate(v2, { runtime: hostile(runtime, 'retire', 'never', clock), state, clock, callTimeoutMs: 1_000 }),
      clock,
    );
    const report = result._unsafeUnwrap();
    expect(report.success).toBe(false);
    expect(report.services.find((s) => s.name === 'api')?.error?._tag).toBe('TimeoutError');
    expect(report.status).toBe('COMPLETE');
    expect(clock.now() - t0).toBeLessThan(30_000); // stop grace (10 s) + callTimeoutMs, then the rollback
    expect(await lockIsFree()).toBe(true);
  });

  it('a restore that never answers is abandoned at its deadline; a fresh service is started instead', async () => {
    const inner = memoryRuntime();
    const runtime = retiringRuntime(inner);
    expect((await drive(orchestrate(topology, { runtime, state, clock }), clock))._unsafeUnwrap().success).toBe(true);
    const broken: Topology = {
      ...v2,
      services: { ...v2.services, web: { process: { command: 'web' }, dependsOn: ['api'] } },
    };
    inner.failNextStarts('web', 1);
    const t0 = clock.now();
    const result = await drive(
      orchestrate(broken, { runtime: hostile(runtime, 'restore', 'never', clock), state, clock, callTimeoutMs: 1_000 }),
      clock,
    );
    const report = result._unsafeUnwrap();
    expect(report.success).toBe(false);
    expect(report.status).toBe('COMPLETE');
    expect(report.rollback?.restored).toContain('api');
    expect(runtime.calls).toContain('discard api');
    expect(clock.now() - t0).toBeLessThan(30_000);
    expect(await lockIsFree()).toBe(true);
  });
});
