import type { BreakerRecord, BreakerSnapshot, BreakerStore } from '../store.js';

/**
 * A {@link BreakerStore} in one process's memory: for tests, and for several breakers of one name in one process.
 * @returns a fresh, empty store
 */
export function createMemoryBreakerStore(): BreakerStore {
  const records = new Map<string, BreakerRecord>();
  const probes = new Map<string, { owner: string; expiresAt: number }>();
  return {
    load: (name) => Promise.resolve(records.get(name)),
    compareAndSet(name, expectedVersion, next: BreakerSnapshot) {
      const current = records.get(name)?.version ?? 0;
      if (current !== expectedVersion) return Promise.resolve(undefined);
      const record: BreakerRecord = Object.freeze({
        name,
        version: current + 1,
        state: next.state,
        consecutiveFailures: next.consecutiveFailures,
        consecutiveSuccesses: next.consecutiveSuccesses,
        openedAt: next.openedAt,
        nextProbeAt: next.nextProbeAt,
      });
      records.set(name, record);
      return Promise.resolve(record);
    },
    claimProbe(name, owner, now, ttlMs) {
      const held = probes.get(name);
      if (held !== undefined && held.owner !== owner && now < held.expiresAt) return Promise.resolve(false);
      probes.set(name, { owner, expiresAt: now + ttlMs });
      return Promise.resolve(true);
    },
    releaseProbe(name, owner) {
      if (probes.get(name)?.owner === owner) probes.delete(name);
      return Promise.resolve();
    },
    list: () => Promise.resolve([...records.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))),
    reset(name) {
      records.delete(name);
      probes.delete(name);
      return Promise.resolve();
    },
  };
}
