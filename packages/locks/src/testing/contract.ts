import { driveUntilSettled, type FakeClock } from '@dive/errors/testing';
import type { LockManager } from '../types.js';

/** One framework-neutral contract case: run it with your test runner (`for (const c of cases) it(c.name, c.run)`). */
export interface LockContractCase {
  readonly name: string;
  run(): Promise<void>;
}

/** How the contract gets a manager; each case gets a fresh resource name, so managers may be shared. */
export interface LockContractFixture {
  readonly manager: () => LockManager;
  /** How long `onLost` may take to fire after `forceRelease` (file backend: its verify interval). Default 2000. */
  readonly lostWithinMs?: number;
  /**
   * The fake clock the manager was made with (`createFakeClock()` from `@dive/errors/testing`): the contract then
   * moves time itself and never sleeps. Without it (a PostgreSQL manager, whose waits run in the server) the
   * contract waits in real time and asserts only lower bounds on it.
   */
  readonly clock?: FakeClock;
  /**
   * With `clock`: the largest step time may jump while a waiter works (its poll interval, for a manager that polls
   * with I/O between polls). Default: no limit (jump to the next timer).
   */
  readonly stepMs?: number;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`lock contract: ${message}`);
}

let seq = 0;
const unique = (): string => `contract-${process.pid}-${Date.now().toString(36)}-${(seq++).toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const turn = () => new Promise<void>((r) => setImmediate(r));

/** How the contract lets time pass: by a fake clock when the fixture has one, else in real time. */
function timeline(fixture: LockContractFixture) {
  const { clock } = fixture;
  const step = fixture.stepMs ?? Number.POSITIVE_INFINITY;
  return {
    now: (): number => clock?.now() ?? Date.now(),
    /** Let `ms` pass while waiters keep working. */
    async pass(ms: number): Promise<void> {
      if (clock === undefined) {
        await sleep(ms);
        return;
      }
      for (let i = 0; i < ms; i += 1) {
        await turn();
        clock.advance(1);
      }
    },
    /**
     * Wait for `p`; with a fake clock, time moves only to timers due within `stepMs` (a waiter asleep between
     * polls), so it never runs ahead of a waiter busy with I/O.
     */
    settle<T>(p: PromiseLike<T>): Promise<T> {
      return clock === undefined ? Promise.resolve(p) : driveUntilSettled(clock, p, { maxStepMs: step });
    },
    /** Wait until `condition()` holds, letting up to `withinMs` pass. */
    async until(condition: () => boolean, withinMs: number): Promise<void> {
      if (clock === undefined) {
        const deadline = Date.now() + withinMs;
        while (!condition() && Date.now() < deadline) await sleep(20);
        return;
      }
      clock.advance(withinMs);
      while (!condition()) await turn(); // the runner's test timeout bounds this
    },
  };
}

/**
 * The behaviour every LockManager must have (PostgreSQL, files, memory, or yours): mutual exclusion, timeouts,
 * cancellation without leftovers, strictly increasing fencing tokens, release on every path, list, forceRelease.
 */
export function lockManagerContract(fixture: LockContractFixture): readonly LockContractCase[] {
  const m = fixture.manager;
  const time = timeline(fixture);
  return [
    {
      name: 'acquire → isLocked → release → free',
      async run() {
        const r = unique();
        const h = (await m().acquire('deployment', r, { timeoutMs: 1_000 }))._unsafeUnwrap();
        assert(h.isHeld && h.type === 'deployment' && h.resource === r, 'handle fields');
        assert((await m().isLocked('deployment', r))._unsafeUnwrap(), 'isLocked while held');
        (await h.release())._unsafeUnwrap();
        assert(!h.isHeld, 'isHeld false after release');
        assert(!(await m().isLocked('deployment', r))._unsafeUnwrap(), 'free after release');
        (await h.release())._unsafeUnwrap(); // twice is fine
      },
    },
    {
      name: 'a second acquire times out with LockTimeoutError; after release it succeeds with a larger token',
      async run() {
        const r = unique();
        const first = (await m().acquire('deployment', r, { timeoutMs: 1_000 }))._unsafeUnwrap();
        const started = time.now();
        const second = await time.settle(m().acquire('deployment', r, { timeoutMs: 150 }));
        assert(
          second.isErr() && second.error._tag === 'LockTimeoutError' && second.error.code === 5001,
          `expected LockTimeoutError, got ${second.isErr() ? second.error._tag : 'a handle'}`,
        );
        assert(time.now() - started >= 100, 'waited about timeoutMs');
        await first.release();
        const third = (await m().acquire('deployment', r, { timeoutMs: 1_000 }))._unsafeUnwrap();
        assert(third.fencingToken > first.fencingToken, `token ${third.fencingToken} > ${first.fencingToken}`);
        await third.release();
      },
    },
    {
      name: 'a blocked waiter gets the lock promptly when it is released',
      async run() {
        const r = unique();
        const first = (await m().acquire('deployment', r, { timeoutMs: 1_000 }))._unsafeUnwrap();
        const waiting = m().acquire('deployment', r, { timeoutMs: 5_000 });
        await time.pass(50);
        const releasedAt = time.now();
        await first.release();
        const second = (await time.settle(waiting))._unsafeUnwrap();
        if (fixture.clock !== undefined) assert(time.now() - releasedAt < 1_000, 'hand-off within 1 s');
        assert(second.fencingToken > first.fencingToken, 'larger token');
        await second.release();
      },
    },
    {
      name: 'tryAcquire returns undefined while held; different resources never block each other',
      async run() {
        const a = unique();
        const b = unique();
        const ha = (await m().acquire('deployment', a))._unsafeUnwrap();
        assert((await m().tryAcquire('deployment', a))._unsafeUnwrap() === undefined, 'tryAcquire while held');
        const hb = (await m().tryAcquire('deployment', b))._unsafeUnwrap();
        assert(hb !== undefined, 'other resource is free');
        const other = (await m().tryAcquire('rollback', a))._unsafeUnwrap();
        assert(other !== undefined, 'other type on the same resource is free');
        await Promise.all([ha.release(), hb.release(), other.release()]);
      },
    },
    {
      name: 'an aborted wait returns CancelledError and leaves nothing waiting',
      async run() {
        const r = unique();
        const first = (await m().acquire('deployment', r))._unsafeUnwrap();
        const controller = new AbortController();
        const waiting = m().acquire('deployment', r, { timeoutMs: 10_000, signal: controller.signal });
        await time.pass(50);
        controller.abort();
        const result = await time.settle(waiting);
        assert(
          result.isErr() && result.error._tag === 'CancelledError',
          `expected CancelledError, got ${result.isErr() ? result.error._tag : 'a handle'}`,
        );
        await first.release();
        const next = (await m().tryAcquire('deployment', r))._unsafeUnwrap();
        assert(next !== undefined, 'free after release: the cancelled waiter did not take it');
        await next.release();
      },
    },
    {
      name: 'withLock releases on success, on Err and on throw',
      async run() {
        const r = unique();
        const value = await m().withLock('deployment', r, async (h) => h.fencingToken);
        assert(value.isOk() && value.value > 0, 'value returned');
        assert(!(await m().isLocked('deployment', r))._unsafeUnwrap(), 'released after success');
        const thrown = await m().withLock('deployment', r, () => Promise.reject(new Error('boom')));
        assert(thrown.isErr(), 'a throw becomes Err');
        assert(!(await m().isLocked('deployment', r))._unsafeUnwrap(), 'released after a throw');
      },
    },
    {
      name: 'list shows the holder and token; forceRelease frees the lock and the holder learns it',
      async run() {
        const r = unique();
        const h = (await m().acquire('deployment', r))._unsafeUnwrap();
        const listed = (await m().list())._unsafeUnwrap().find((l) => l.resource === r);
        assert(
          listed !== undefined && listed.fencingToken === h.fencingToken && listed.type === 'deployment',
          'listed with token',
        );
        assert(listed.acquiredAt === h.acquiredAt, `listed acquiredAt ${listed.acquiredAt} = ${h.acquiredAt}`);
        assert(listed.holder.pid === process.pid, `listed holder pid ${listed.holder.pid} = ${process.pid}`);
        let lost = false;
        h.onLost(() => {
          lost = true;
        });
        assert((await m().forceRelease('deployment', r))._unsafeUnwrap(), 'forceRelease reports it was held');
        await time.until(() => lost, fixture.lostWithinMs ?? 2_000);
        assert(lost && !h.isHeld, 'onLost fired and isHeld is false');
        assert(!(await m().forceRelease('deployment', r))._unsafeUnwrap(), 'a second forceRelease finds nothing');
        const next = (await m().acquire('deployment', r, { timeoutMs: 2_000 }))._unsafeUnwrap();
        assert(next.fencingToken > h.fencingToken, 'the next holder has a larger token');
        await next.release();
      },
    },
    {
      name: 'nonsense arguments throw at the call',
      async run() {
        let threw = 0;
        for (const f of [
          () => m().acquire('deployment', unique(), { timeoutMs: -1 }),
          () => m().acquire('', 'x'),
          () => m().acquire('deployment', ''),
        ]) {
          try {
            await f();
          } catch (e) {
            if (e instanceof RangeError || e instanceof TypeError) threw += 1;
          }
        }
        assert(threw === 3, `3 calls should throw RangeError/TypeError, ${threw} did`);
      },
    },
  ];
}
