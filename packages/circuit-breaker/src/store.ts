/**
 * Shared breaker state: breakers of the same name in several processes read and write one record, and only one
 * process at a time probes in HALF_OPEN. Implementations: `createMemoryBreakerStore()` (testing entry, one
 * process), and the PostgreSQL and file stores of `@dive/state-db`. Every implementation must pass
 * `breakerStoreContract` from `@dive/circuit-breaker/testing`.
 *
 * Everything here is plain JSON; all times are epoch milliseconds supplied by the caller's clock, so a store
 * never reads a clock itself.
 */

/** The stored phase. HALF_OPEN is not stored: it is `'OPEN'` once `now >= nextProbeAt`. */
export type StoredBreakerState = 'CLOSED' | 'OPEN';

/** The shared state of one breaker, without its version. */
export interface BreakerSnapshot {
  /** `'CLOSED'` or `'OPEN'` (reads as HALF_OPEN once `nextProbeAt` has passed). */
  readonly state: StoredBreakerState;
  /** Failures in a row while CLOSED. */
  readonly consecutiveFailures: number;
  /** Successful probes in a row while HALF_OPEN. */
  readonly consecutiveSuccesses: number;
  /** When it last opened (epoch ms), `null` while CLOSED. */
  readonly openedAt: number | null;
  /** When the next probe is allowed (epoch ms), `null` while CLOSED. */
  readonly nextProbeAt: number | null;
}

/** A stored record: the snapshot, its breaker name and a version that grows by one on every write. */
export interface BreakerRecord extends BreakerSnapshot {
  /** The breaker name. */
  readonly name: string;
  /** 1 after the first write; a name never written has version 0. */
  readonly version: number;
}

/**
 * Where breakers keep shared state. Small on purpose: load, compare-and-set, a probe slot with a lease, list,
 * reset. Methods may reject when the backing store fails; the breaker turns that into an error value.
 */
export interface BreakerStore {
  /**
   * Read one breaker's record.
   * @param name - the breaker name
   * @returns the record, or `undefined` if it was never written (or was reset)
   */
  load(name: string): Promise<BreakerRecord | undefined>;
  /**
   * Write `next` only if the stored version is still `expectedVersion` (0 = no record yet).
   * @param name - the breaker name
   * @param expectedVersion - the version the caller read
   * @param next - the new state
   * @returns the stored record (version `expectedVersion + 1`), or `undefined` if someone else wrote first
   */
  compareAndSet(name: string, expectedVersion: number, next: BreakerSnapshot): Promise<BreakerRecord | undefined>;
  /**
   * Claim the breaker's single probe slot for `owner` until `now + ttlMs`. Succeeds if the slot is free, its lease
   * has expired (`now >= expiry`), or `owner` already holds it (which renews the lease).
   * @param name - the breaker name
   * @param owner - a stable id of the claiming process
   * @param now - the caller's clock, epoch ms
   * @param ttlMs - lease length; a crashed prober frees the slot after it
   * @returns whether `owner` holds the slot now
   */
  claimProbe(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  /**
   * Give the probe slot back; a no-op unless `owner` holds it.
   * @param name - the breaker name
   * @param owner - the id used in {@link BreakerStore.claimProbe}
   */
  releaseProbe(name: string, owner: string): Promise<void>;
  /** @returns every stored record, sorted by name */
  list(): Promise<readonly BreakerRecord[]>;
  /**
   * Forget a breaker: its record and probe slot. The next `load` returns `undefined`.
   * @param name - the breaker name
   */
  reset(name: string): Promise<void>;
}

/** The state a breaker starts in. */
export const INITIAL_SNAPSHOT: BreakerSnapshot = Object.freeze({
  state: 'CLOSED',
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  openedAt: null,
  nextProbeAt: null,
});
