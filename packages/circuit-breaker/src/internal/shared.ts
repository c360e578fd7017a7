import { toDiveError, type DiveError } from '@dive/errors';
import { err, type Result } from 'neverthrow';
import type { Breaker } from '../breaker.js';
import { callGuarded } from '../breaker.js';
import type { Guarded } from '../breaker-types.js';
import type { CircuitOpenError } from '../errors.js';
import { INITIAL_SNAPSHOT, type BreakerSnapshot, type BreakerStore } from '../store.js';
import { failedWhileClosed, probeFailed, probeSucceeded, succeededWhileClosed } from './transitions.js';

type Transition = (s: BreakerSnapshot, now: number) => BreakerSnapshot | undefined;
const CAS_ATTEMPTS = 8;

/**
 * A breaker's calls when its state lives in a {@link BreakerStore}: read the record, decide, call, then write the
 * outcome with compare-and-set (re-reading on conflict). In HALF_OPEN a process must hold the store's probe slot.
 * A store failure on the read is returned as the call's error; a failed write is dropped (the next call re-reads).
 */
export class SharedState {
  constructor(
    private readonly breaker: Breaker,
    private readonly store: BreakerStore,
    private readonly owner: string,
  ) {}

  async execute<T, E>(fn: Guarded<T, E>, signal: AbortSignal): Promise<Result<T, E | DiveError | CircuitOpenError>> {
    const b = this.breaker;
    const name = b.name;
    try {
      b.adopt(await this.store.load(name));
    } catch (e) {
      return err(toDiveError(e, { breaker: name, operation: 'load' }));
    }
    if (b.phase === 'OPEN') return b.refuse();
    if (b.phase === 'CLOSED') {
      const r = await callGuarded(fn, signal, name);
      const failed = r.isErr() && b.counts(r.error);
      if (failed) b.failures++;
      else if (r.isOk()) b.successes++;
      await this.update(failed ? (s, now) => failedWhileClosed(s, now, b.options) : succeededWhileClosed);
      return r;
    }
    if (b.inFlight >= b.options.halfOpenMaxConcurrent) return b.refuse();
    b.inFlight++;
    let claimed: boolean;
    try {
      claimed = await this.store.claimProbe(name, this.owner, b.clock.now(), b.options.probeLeaseMs);
    } catch (e) {
      b.inFlight--;
      return err(toDiveError(e, { breaker: name, operation: 'claimProbe' }));
    }
    if (!claimed) {
      b.inFlight--;
      return b.refuse();
    }
    const r = await callGuarded(fn, signal, name);
    b.inFlight = Math.max(0, b.inFlight - 1);
    const failed = r.isErr() && b.counts(r.error);
    if (failed) b.failures++;
    else if (r.isOk()) b.successes++;
    const neutral = r.isErr() && !failed;
    if (!neutral) await this.update((s, now) => (failed ? probeFailed : probeSucceeded)(s, now, b.options));
    if (b.phase !== 'HALF_OPEN' || b.inFlight === 0)
      await this.store.releaseProbe(name, this.owner).catch(() => undefined);
    return r;
  }

  private async update(transition: Transition): Promise<void> {
    try {
      for (let i = 0; i < CAS_ATTEMPTS; i++) {
        const record = await this.store.load(this.breaker.name);
        const next = transition(record ?? INITIAL_SNAPSHOT, this.breaker.clock.now());
        if (next === undefined) {
          this.breaker.adopt(record);
          return;
        }
        const written = await this.store.compareAndSet(this.breaker.name, record?.version ?? 0, next);
        if (written !== undefined) {
          this.breaker.adopt(written);
          return;
        }
      }
    } catch {
      // dropped: the next call reads the store again
    }
  }

  async refresh(): Promise<void> {
    this.breaker.adopt(await this.store.load(this.breaker.name));
  }

  async reset(): Promise<void> {
    await this.store.reset(this.breaker.name);
  }
}
