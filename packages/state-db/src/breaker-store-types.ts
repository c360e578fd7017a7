/**
 * The shape of `BreakerStore` from `@dive/circuit-breaker` (its `src/store.ts`), repeated here structurally so
 * this package builds while that one is being written; the stores below are assignable to it.
 */
export interface BreakerSnapshotShape {
  readonly state: 'CLOSED' | 'OPEN';
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  readonly openedAt: number | null;
  readonly nextProbeAt: number | null;
}

/** A stored breaker record: snapshot, name and a version growing by one per write. */
export interface BreakerRecordShape extends BreakerSnapshotShape {
  readonly name: string;
  readonly version: number;
}

/** Shared circuit breaker state (load, compare-and-set, one probe slot with a lease, list, reset). */
export interface SharedBreakerStore {
  load(name: string): Promise<BreakerRecordShape | undefined>;
  compareAndSet(
    name: string,
    expectedVersion: number,
    next: BreakerSnapshotShape,
  ): Promise<BreakerRecordShape | undefined>;
  claimProbe(name: string, owner: string, now: number, ttlMs: number): Promise<boolean>;
  releaseProbe(name: string, owner: string): Promise<void>;
  list(): Promise<readonly BreakerRecordShape[]>;
  reset(name: string): Promise<void>;
}
