// The engine keeps a changed service's predecessor (retired) until the deployment is verified, restores that very
// service on rollback, and discards it otherwise; a runtime without retire gets the old stop-and-start-fresh path.
import { createFakeClock, type FakeClock } from '@dive/errors/testing';
import { createMemoryLockManager } from '@dive/locks/testing';
import { createMemoryStateStore } from '@dive/state-db/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { orchestrate } from '../operations/orchestrate.js';
import { rollback } from '../operations/rollback.js';
import type { Runtime } from '../runtime/types.js';
import type { StateBackend } from '../state.js';
import { memoryRuntime, type MemoryRuntime } from '../testing/memory-runtime.js';
import type { Topology } from '../topology/types.js';
import { retiringRuntime } from './retiring.test-helpers.js';

let clock: FakeClock;
let state: StateBackend;
beforeEach(() => {
  clock = createFakeClock(1_700_000_000_000);
  state = {
    kind: 'file',
    store: createMemoryStateStore({ clock }),
    locks: createMemoryLockManager(),
    location: process.cwd(),
    [Symbol.asyncDispose]: async () => undefined,
  };
});

/** Await `p` while moving the fake clock on (real I/O gets a turn between steps). */
async function drive<T>(p: PromiseLike<T>): Promise<T> {
  let settled = false;
  const done = Promise.resolve(p).finally(() => {
    settled = true;
  });
  for (let i = 0; i < 20_000 && !settled; i++) {
    await new Promise((r) => setImmediate(r));
    clock.advance(100);
  }
  return done;
}

/** db, and api (changed by `version`, in `order`), and web, which depends on api. */
const topology = (version: string, order: 'start-first' | 'stop-first'): Topology => ({
  instance: 'USA',
  defaults: { retry: { policy: 'none', attempts: 1 }, startTimeoutMs: 800 },
  services: {
    db: { container: { image: 'db' } },
    api: { container: { image: 'api', environment: { VERSION: version }, update: { order } }, dependsOn: ['db'] },
    web: { container: { image: 'web', environment: { VERSION: version } }, dependsOn: ['api'] },
  },
});

const apiId = async (runtime: Runtime): Promise<string | undefined> =>
  (await runtime.list('USA'))._unsafeUnwrap().find((h) => h.service === 'api')?.id;

const deployed = async (runtime: Runtime, t: Topology) =>
  (await drive(orchestrate(t, { runtime, state, clock })))._unsafeUnwrap();

describe.each(['stop-first', 'start-first'] as const)('retire and restore (%s)', (order) => {
  it('a failed update restores the very same api; nothing stays retired', async () => {
    const inner: MemoryRuntime = memoryRuntime();
    const runtime = retiringRuntime(inner);
    expect((await deployed(runtime, topology('1', order))).success).toBe(true);
    const before = await apiId(runtime);
    inner.failNextStarts('web', 1); // web fails after api was replaced
    const report = await deployed(runtime, topology('2', order));
    expect(report.success).toBe(false);
    expect(report.status).toBe('COMPLETE');
    expect(report.rollback?.restored).toContain('api');
    expect(await apiId(runtime)).toBe(before);
    expect(runtime.calls).toEqual(expect.arrayContaining(['retire api', 'restore api']));
    expect(runtime.calls).not.toContain('discard api');
    expect(runtime.retired.size).toBe(0);
  });

  it('a verified update discards the retired api', async () => {
    const runtime = retiringRuntime(memoryRuntime());
    await deployed(runtime, topology('1', order));
    const before = await apiId(runtime);
    const report = await deployed(runtime, topology('2', order));
    expect(report.status).toBe('COMPLETE');
    expect(await apiId(runtime)).not.toBe(before);
    expect(runtime.calls.filter((c) => c.endsWith(' api'))).toEqual(['retire api', 'discard api']);
    expect(runtime.retired.size).toBe(0);
  });
});

describe('retire fallbacks', () => {
  it('a retired api that cannot be restored is discarded and a fresh one started', async () => {
    const inner = memoryRuntime();
    const runtime = retiringRuntime(inner, { restoreFails: true });
    await deployed(runtime, topology('1', 'stop-first'));
    const before = await apiId(runtime);
    inner.failNextStarts('web', 1);
    const report = await deployed(runtime, topology('2', 'stop-first'));
    expect(report.status).toBe('COMPLETE');
    expect(report.rollback?.restored).toContain('api');
    const after = await apiId(runtime);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(runtime.calls).toEqual(expect.arrayContaining(['restore api', 'discard api']));
    expect(runtime.retired.size).toBe(0);
  });

  it('a runtime without retire has its predecessor stopped and a fresh one started on rollback', async () => {
    const runtime = memoryRuntime();
    await deployed(runtime, topology('1', 'stop-first'));
    const before = await apiId(runtime);
    runtime.failNextStarts('web', 1);
    const report = await deployed(runtime, topology('2', 'stop-first'));
    expect(report.status).toBe('COMPLETE');
    expect(report.rollback?.restored).toContain('api');
    const after = await apiId(runtime);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });
});

describe('retired services an earlier deployment left behind', () => {
  /** Deploy 1, then 2 with web failing and no rollback: api's predecessor stays retired, the instance FAILED. */
  const leftBehind = async (inner: MemoryRuntime, runtime: Runtime) => {
    await deployed(runtime, topology('1', 'stop-first'));
    const before = await apiId(runtime);
    inner.failNextStarts('web', 1);
    const failed = (
      await drive(orchestrate(topology('2', 'stop-first'), { runtime, state, clock, rollback: 'never' }))
    )._unsafeUnwrap();
    expect(failed.status).toBe('FAILED');
    return before;
  };

  it('a manual rollback restores that very api (not a fresh one) and discards nothing it restored', async () => {
    const inner = memoryRuntime();
    const runtime = retiringRuntime(inner);
    const before = await leftBehind(inner, runtime);
    expect(runtime.calls).toContain('retire api'); // api was replaced before web failed; it stays set aside
    expect(runtime.retired.size).toBeGreaterThan(0);
    const report = (await drive(rollback('USA', {}, { runtime, state, clock })))._unsafeUnwrap();
    expect(report.finalState).toBe('COMPLETE');
    expect(await apiId(runtime)).toBe(before);
    expect(runtime.calls).toContain('restore api');
    expect(runtime.retired.size).toBe(0);
  });

  it('the next verified deployment discards them', async () => {
    const inner = memoryRuntime();
    const runtime = retiringRuntime(inner);
    await leftBehind(inner, runtime);
    const report = await deployed(runtime, topology('3', 'stop-first'));
    expect(report.status).toBe('COMPLETE');
    await drive(Promise.resolve()); // the best-effort discards were awaited by the final flush
    expect(runtime.retired.size).toBe(0);
    expect(runtime.calls).toContain('discard api');
  });
});
