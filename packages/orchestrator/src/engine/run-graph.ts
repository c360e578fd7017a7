import type { Scheduler } from '@dive/dependency-graph';
import type { DiveError } from '@dive/errors';
import type { ResultAsync } from 'neverthrow';

/** How one service's start ended. */
export type StartOutcome = 'healthy' | 'completed' | 'unchanged';

/** What {@link runGraph} needs from the engine. */
export interface RunGraphOptions {
  readonly scheduler: Scheduler;
  /**
   * Start one service and wait until it meets its strongest condition. Call `started()` as soon as it runs, so
   * dependents with a `started` condition are released without waiting for its health. Never rejects.
   */
  readonly start: (name: string, started: () => void) => ResultAsync<StartOutcome, DiveError>;
  /** Called once per failed service, with the services it blocked; return `false` to stop launching new ones. */
  readonly onFailed: (name: string, error: DiveError, blocked: readonly string[]) => boolean;
  /** Called when a service met its condition. */
  readonly onSettled?: (name: string, outcome: StartOutcome) => void;
  /** Most services starting at once. Default unbounded. */
  readonly concurrency?: number;
  /** `ready`: as soon as a service's own dependencies are ready. `levels`: level by level (the seeds' way). */
  readonly schedule?: 'ready' | 'levels';
  /** The level of each service (for `levels`). */
  readonly levelOf?: (name: string) => number;
  /** Aborting stops new starts; in-flight starts are awaited. */
  readonly signal?: AbortSignal;
  /** Asked before each start: `false` pauses (no new start; in-flight starts are awaited; `paused` is set). */
  readonly shouldStartNext?: () => boolean;
}

/** What {@link runGraph} ends with. */
export interface RunGraphResult {
  readonly outcomes: ReadonlyMap<string, StartOutcome>;
  readonly failed: ReadonlyMap<string, DiveError>;
  readonly blocked: ReadonlySet<string>;
  /** Services never started because launching stopped (failure policy or abort). */
  readonly notStarted: readonly string[];
  readonly stoppedEarly: boolean;
  /** Launching stopped because `shouldStartNext` said no. */
  readonly paused: boolean;
}

/**
 * Drive a scheduler to the end: start every released service (up to `concurrency` at once), report progress back,
 * and stop launching on a failure the caller says is fatal or on abort. Resolves when nothing is in flight.
 */
export function runGraph(options: RunGraphOptions): Promise<RunGraphResult> {
  const { scheduler } = options;
  const concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
  const outcomes = new Map<string, StartOutcome>();
  const failed = new Map<string, DiveError>();
  const blocked = new Set<string>();
  const queue: string[] = [];
  const held: string[] = []; // released by the scheduler but waiting for their level (schedule: 'levels')
  let inFlight = 0;
  let stopping = false;
  let paused = false;
  let currentLevel = 0;
  const levelOf = options.levelOf ?? (() => 0);
  const byLevel = options.schedule === 'levels';

  return new Promise<RunGraphResult>((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      const unsettled = scheduler
        .pending()
        .filter((n) => scheduler.state(n) === 'waiting' || scheduler.state(n) === 'ready');
      resolve({
        outcomes,
        failed,
        blocked,
        notStarted: [...new Set([...queue, ...held, ...unsettled])],
        stoppedEarly: stopping,
        paused,
      });
    };
    const pump = (): void => {
      if (options.signal?.aborted) stopping = true;
      if (!stopping) {
        for (const name of scheduler.ready()) held.push(name);
        if (byLevel) {
          // Level k starts only when every service of the levels before it has settled.
          const pending = scheduler.pending();
          while (pending.every((n) => levelOf(n) > currentLevel) && pending.length > 0) currentLevel += 1;
          for (let i = 0; i < held.length;) {
            const n = held[i] as string;
            if (levelOf(n) <= currentLevel) {
              held.splice(i, 1);
              queue.push(n);
            } else i += 1;
          }
        } else {
          queue.push(...held.splice(0));
        }
        while (queue.length > 0 && inFlight < concurrency) {
          if (options.shouldStartNext?.() === false) {
            stopping = paused = true;
            break;
          }
          launch(queue.shift() as string);
        }
      }
      if (inFlight === 0 && (stopping || (queue.length === 0 && held.length === 0))) finish();
    };
    const launch = (name: string): void => {
      inFlight += 1;
      const started = (): void => {
        scheduler.started(name);
        pump();
      };
      void options.start(name, started).then((result) => {
        inFlight -= 1;
        if (result.isOk()) {
          const outcome = result.value;
          outcomes.set(name, outcome);
          if (outcome === 'completed') scheduler.completed(name);
          else scheduler.healthy(name);
          options.onSettled?.(name, outcome);
        } else {
          failed.set(name, result.error);
          const newlyBlocked = scheduler.failed(name);
          for (const b of newlyBlocked) blocked.add(b);
          if (!options.onFailed(name, result.error, newlyBlocked)) stopping = true;
        }
        pump();
      });
    };
    options.signal?.addEventListener(
      'abort',
      () => {
        stopping = true;
        if (inFlight === 0) pump();
      },
      { once: true },
    );
    pump();
  });
}
