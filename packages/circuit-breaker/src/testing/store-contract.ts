import type { BreakerSnapshot, BreakerStore } from '../store.js';

/** The bits of a test runner the contract needs (vitest's `describe`, `it`, `expect` fit as they are). */
export interface ContractRunner {
  readonly describe: (name: string, body: () => void) => void;
  readonly it: (name: string, body: () => Promise<void>) => void;
  readonly expect: (actual: unknown) => {
    toBe: (expected: unknown) => void;
    toEqual: (expected: unknown) => void;
  };
}

/** What the factory hands the contract: a store over an empty namespace, and how to clean it up. */
export interface ContractSubject {
  readonly store: BreakerStore;
  /** Called after each test. */
  readonly dispose?: () => Promise<void>;
}

const OPEN: BreakerSnapshot = {
  state: 'OPEN',
  consecutiveFailures: 3,
  consecutiveSuccesses: 0,
  openedAt: 1000,
  nextProbeAt: 61_000,
};
const CLOSED: BreakerSnapshot = {
  state: 'CLOSED',
  consecutiveFailures: 1,
  consecutiveSuccesses: 0,
  openedAt: null,
  nextProbeAt: null,
};

/**
 * Run the tests every {@link BreakerStore} must pass. Call it at the top level of a test file.
 * @param runner - `{ describe, it, expect }` from vitest (or anything shaped alike)
 * @param label - names the describe block
 * @param factory - makes a fresh, empty store for each test (a new name prefix or database is fine)
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { breakerStoreContract, createMemoryBreakerStore } from '@dive/circuit-breaker/testing';
 * breakerStoreContract({ describe, it, expect }, 'memory', () => ({ store: createMemoryBreakerStore() }));
 * ```
 */
export function breakerStoreContract(
  runner: ContractRunner,
  label: string,
  factory: () => ContractSubject | Promise<ContractSubject>,
): void {
  const { describe, it, expect } = runner;
  const test = (name: string, body: (store: BreakerStore) => Promise<void>): void =>
    it(name, async () => {
      const subject = await factory();
      try {
        await body(subject.store);
      } finally {
        await subject.dispose?.();
      }
    });

  describe(`BreakerStore contract: ${label}`, () => {
    test('a name never written loads as undefined and lists as nothing', async (store) => {
      expect(await store.load('a')).toBe(undefined);
      expect((await store.list()).length).toBe(0);
    });
    test('compareAndSet from version 0 creates version 1 and load returns it as JSON', async (store) => {
      const written = await store.compareAndSet('a', 0, OPEN);
      expect(written).toEqual({ name: 'a', version: 1, ...OPEN });
      const loaded = await store.load('a');
      expect(JSON.parse(JSON.stringify(loaded))).toEqual({ name: 'a', version: 1, ...OPEN });
    });
    test('compareAndSet with a stale version writes nothing', async (store) => {
      await store.compareAndSet('a', 0, OPEN);
      expect(await store.compareAndSet('a', 0, CLOSED)).toBe(undefined);
      await store.compareAndSet('a', 1, CLOSED);
      expect(await store.compareAndSet('a', 1, OPEN)).toBe(undefined);
      expect(await store.load('a')).toEqual({ name: 'a', version: 2, ...CLOSED });
    });
    test('of concurrent compareAndSets on one version exactly one wins', async (store) => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.compareAndSet('a', 0, { ...CLOSED, consecutiveFailures: i })),
      );
      expect(results.filter((r) => r !== undefined).length).toBe(1);
      expect((await store.load('a'))?.version).toBe(1);
    });
    test('names are independent and list is sorted by name', async (store) => {
      await store.compareAndSet('b', 0, OPEN);
      await store.compareAndSet('a', 0, CLOSED);
      expect((await store.list()).map((r) => `${r.name}@${r.version}:${r.state}`)).toEqual(['a@1:CLOSED', 'b@1:OPEN']);
    });
    test('one owner holds the probe slot; renewal by the owner; others refused until release', async (store) => {
      expect(await store.claimProbe('a', 'p1', 0, 1000)).toBe(true);
      expect(await store.claimProbe('a', 'p2', 10, 1000)).toBe(false);
      expect(await store.claimProbe('a', 'p1', 20, 1000)).toBe(true);
      expect(await store.claimProbe('b', 'p2', 20, 1000)).toBe(true);
      await store.releaseProbe('a', 'p2');
      expect(await store.claimProbe('a', 'p2', 30, 1000)).toBe(false);
      await store.releaseProbe('a', 'p1');
      expect(await store.claimProbe('a', 'p2', 40, 1000)).toBe(true);
    });
    test('an expired probe lease can be taken over', async (store) => {
      expect(await store.claimProbe('a', 'p1', 0, 1000)).toBe(true);
      expect(await store.claimProbe('a', 'p2', 999, 1000)).toBe(false);
      expect(await store.claimProbe('a', 'p2', 1000, 1000)).toBe(true);
      expect(await store.claimProbe('a', 'p1', 1001, 1000)).toBe(false);
    });
    test('of concurrent probe claims exactly one wins', async (store) => {
      const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => store.claimProbe('a', `p${i}`, 0, 1000)));
      expect(wins.filter(Boolean).length).toBe(1);
    });
    test('reset forgets the record and the probe slot', async (store) => {
      await store.compareAndSet('a', 0, OPEN);
      await store.claimProbe('a', 'p1', 0, 1000);
      await store.reset('a');
      expect(await store.load('a')).toBe(undefined);
      expect(await store.claimProbe('a', 'p2', 1, 1000)).toBe(true);
      expect((await store.compareAndSet('a', 0, CLOSED))?.version).toBe(1);
    });
  });
}
