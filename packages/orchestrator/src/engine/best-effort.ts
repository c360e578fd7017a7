import type { DiveError } from '@dive/errors';
import { okAsync, type ResultAsync } from 'neverthrow';
import type { Logger } from '../logger.js';

/** One write that was allowed to fail, and did. */
export interface BestEffortFailure {
  readonly what: string;
  readonly error: DiveError;
}

/**
 * The one way the engine makes a write whose failure must not stop it (steps, error records, orphan stops, the
 * stop of a failed attempt, checkpoint pruning): every such write is tracked, its failure is logged, counted and
 * told to `onFailure`, and {@link BestEffort.flush} awaits them all before the operation ends.
 */
export interface BestEffort {
  /** Start `work` and leave it running; {@link BestEffort.flush} awaits it. */
  launch(what: string, work: ResultAsync<unknown, DiveError>): void;
  /** Start `work` for a caller that awaits it: Ok(true) when it succeeded, Ok(false) when it failed (recorded). */
  track(what: string, work: ResultAsync<unknown, DiveError>): ResultAsync<boolean, never>;
  /** Await every write launched or tracked (those added while flushing too); every failure so far. */
  flush(): Promise<readonly BestEffortFailure[]>;
  /** Every failure so far. */
  readonly failures: readonly BestEffortFailure[];
}

/**
 * Make the best-effort writer of one operation.
 * @param logger - failures are logged at `warn`
 * @param onFailure - told of each failure as it happens (the engine emits a `warning` event)
 * @returns a {@link BestEffort}
 */
export function createBestEffort(logger: Logger, onFailure?: (failure: BestEffortFailure) => void): BestEffort {
  const pending = new Set<PromiseLike<unknown>>();
  const failures: BestEffortFailure[] = [];
  const run = (what: string, work: ResultAsync<unknown, DiveError>) => {
    const tracked = work
      .map(() => true)
      .orElse((error) => {
        const failure = { what, error };
        failures.push(failure);
        logger.warn({ err: error.toJSON(), what }, `${what} failed`);
        onFailure?.(failure);
        return okAsync<boolean>(false);
      });
    const done = (): void => {
      pending.delete(settled);
    };
    const settled = tracked.then(done, done);
    pending.add(settled);
    return { tracked };
  };
  return {
    failures,
    launch(what, work) {
      run(what, work);
    },
    track: (what, work) => run(what, work).tracked,
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
      return failures;
    },
  };
}
