import { expect } from 'vitest';
import type { BreakerStore } from '@dive/circuit-breaker';

const CLOSED = {
  state: 'CLOSED',
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  openedAt: null,
  nextProbeAt: null,
} as const;
const OPEN = {
  state: 'OPEN',
  consecutiveFailures: 5,
  consecutiveSuccesses: 0,
  openedAt: 1_000,
  nextProbeAt: 31_000,
} as const;

/** Checks of the BreakerStore semantics (until @dive/circuit-breaker's breakerStoreContract is committed). */
export function breakerCases(store: () => BreakerStore, prefix: string): { name: string; run: () => Promise<void> }[] {
  return [
    {
      name: 'compare-and-set grows the version by one and refuses a stale version',
      run: async () => {
        const s = store();
        const name = `${prefix}-cas`;
        expect(await s.load(name)).toBeUndefined();
        expect(await s.compareAndSet(name, 0, OPEN)).toMatchObject({
          name,
          version: 1,
          state: 'OPEN',
          openedAt: 1_000,
        });
        expect(await s.compareAndSet(name, 0, CLOSED)).toBeUndefined();
        expect(await s.compareAndSet(name, 1, CLOSED)).toMatchObject({
          version: 2,
          state: 'CLOSED',
          nextProbeAt: null,
        });
        expect(await s.load(name)).toMatchObject({ version: 2, state: 'CLOSED' });
        const racing = await Promise.all(Array.from({ length: 8 }, () => s.compareAndSet(name, 2, OPEN)));
        expect(racing.filter((r) => r !== undefined)).toHaveLength(1);
        expect((await s.list()).map((r) => r.name)).toContain(name);
        await s.reset(name);
        expect(await s.load(name)).toBeUndefined();
      },
    },
    {
      name: 'one probe slot: one owner at a time, renewable, free after release or lease expiry',
      run: async () => {
        const s = store();
        const name = `${prefix}-probe`;
        const claims = await Promise.all(['a', 'b', 'c', 'd'].map((o) => s.claimProbe(name, o, 1_000, 500)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        const owner = ['a', 'b', 'c', 'd'][claims.indexOf(true)] ?? '';
        const other = owner === 'a' ? 'b' : 'a';
        expect(await s.claimProbe(name, owner, 1_200, 500)).toBe(true); // renew until 1_700
        expect(await s.claimProbe(name, other, 1_600, 500)).toBe(false);
        expect(await s.claimProbe(name, other, 1_700, 500)).toBe(true); // expired
        await s.releaseProbe(name, owner); // not the holder: no-op
        expect(await s.claimProbe(name, owner, 1_800, 500)).toBe(false);
        await s.releaseProbe(name, other);
        expect(await s.claimProbe(name, owner, 1_800, 500)).toBe(true);
      },
    },
  ];
}
