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

/** The mutable state of one {@link runGraph} call. */
interface Run {
  readonly outcomes: Map<string, StartOutcome>;
  readonly failed: Map<string, DiveError>;
  readonly blocked: Set<string>;
  /** Released and due to start, in order. */
  readonly queue: string[];
  /** Released by the scheduler but waiting for their level (schedule: 'levels'). */
  readonly held: string[];
  inFlight: number;
  stopping: boolean;
  paused: boolean;
  currentLevel: number;
}

/** Move what the scheduler released into the queue: all of it, or (by level) what the current level allows. */
function releaseHeld(options: RunGraphOptions, run: Run): void {
  const { scheduler } = options;
  for (const name of scheduler.ready()) run.held.push(name);
  if (options.schedule !== 'levels') {
    run.queue.push(...run.held.splice(0));
    return;
  }
  const levelOf = options.levelOf ?? (() => 0);
  // Level k starts only when every service of the levels before it has settled.
  const pending = scheduler.pending();
  while (pending.length > 0 && pending.every((n) => levelOf(n) > run.currentLevel)) run.currentLevel += 1;
  for (let i = 0; i < run.held.length;) {
    const n = run.held[i] as string;
    if (levelOf(n) <= run.currentLevel) {
      run.held.splice(i, 1);
      run.queue.push(n);
    } else i += 1;
  }
}

/** Record how one start ended and tell the scheduler; a failure the caller calls fatal stops launching. */
function settle(
  options: RunGraphOptions,
  run: Run,
  name: string,
  result: Awaited<ReturnType<RunGraphOptions['start']>>,
): void {
  const { scheduler } = options;
  if (result.isOk()) {
    const outcome = result.value;
    run.outcomes.set(name, outcome);
    if (outcome === 'completed') scheduler.completed(name);
    else scheduler.healthy(name);
    options.onSettled?.(name, outcome);
    return;
  }
  run.failed.set(name, result.error);
  const newlyBlocked = scheduler.failed(name);
  for (const b of newlyBlocked) run.blocked.add(b);
  if (!options.onFailed(name, result.error, newlyBlocked)) run.stopping = true;
}

/** What a finished run resolves with. */
function resultOf(options: RunGraphOptions, run: Run): RunGraphResult {
  const { scheduler } = options;
  const unsettled = scheduler
    .pending()
    .filter((n) => scheduler.state(n) === 'waiting' || scheduler.state(n) === 'ready');
  return {
    outcomes: run.outcomes,
    failed: run.failed,
    blocked: run.blocked,
    notStarted: [...new Set([...run.queue, ...run.held, ...unsettled])],
    stoppedEarly: run.stopping,
    paused: run.paused,
  };
}

/**
 * Drive a scheduler to the end: start every released service (up to `concurrency` at once), report progress back,
 * and stop launching on a failure the caller says is fatal or on abort. Resolves when nothing is in flight.
 */
export function runGraph(options: RunGraphOptions): Promise<RunGraphResult> {
  const concurrency = options.concurrency ?? Number.POSITIVE_INFINITY;
  const run: Run = {
    outcomes: new Map(),
    failed: new Map(),
    blocked: new Set(),
    queue: [],
    held: [],
    inFlight: 0,
    stopping: false,
    paused: false,
    currentLevel: 0,
  };
  return new Promise<RunGraphResult>((resolve) => {
    let done = false;
    const pump = (): void => {
      if (options.signal?.aborted) run.stopping = true;
      if (!run.stopping) {
        releaseHeld(options, run);
        while (run.queue.length > 0 && run.inFlight < concurrency) {
          if (options.shouldStartNext?.() === false) {
            run.stopping = run.paused = true;
            break;
          }
          launch(run.queue.shift() as string);
        }
      }
      const drained = run.queue.length === 0 && run.held.length === 0;
      if (run.inFlight === 0 && (run.stopping || drained) && !done) {
        done = true;
        resolve(resultOf(options, run));
      }
    };
    const launch = (name: string): void => {
      run.inFlight += 1;
      const started = (): void => {
        options.scheduler.started(name);
        pump();
      };
      void options.start(name, started).then((result) => {
        run.inFlight -= 1;
        settle(options, run, name, result);
        pump();
      });
    };
    options.signal?.addEventListener(
      'abort',
      () => {
        run.stopping = true;
        if (run.inFlight === 0) pump();
      },
      { once: true },
    );
    pump();
  });
}
