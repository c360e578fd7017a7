import type { Clock } from '@dive/errors';
import type { FleetStore, FleetStoreError } from '@dive/state-db';
import { sleep } from './context.js';

/** The fleet's pause flag as this process sees it: read from the store every poll interval. @internal */
export interface PauseWatch {
  /** The flag as last read (sync: the engine asks it before each service start). */
  readonly paused: boolean;
  /** Resolves once the flag is clear (at once when it is), or when `signal` aborts. */
  untilResumed(signal: AbortSignal): Promise<void>;
  /** Read the flag now. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Poll a fleet's pause flag every `intervalMs` on `clock`. `onChange` hears each flip (and who flipped it). A
 * failed read keeps the last value (and is told to `onReadFailed`).
 * @internal
 */
export function watchPause(o: {
  readonly fleets: FleetStore;
  readonly fleet: string;
  readonly clock: Clock;
  readonly intervalMs: number;
  readonly onChange: (paused: boolean, by: string | undefined) => void;
  readonly onReadFailed: (e: FleetStoreError) => void;
}): PauseWatch {
  let paused = false;
  let stopped = false;
  const waiters = new Set<() => void>();
  const refresh = async (): Promise<void> => {
    const r = await o.fleets.getPause(o.fleet);
    if (stopped) return; // a read in flight when the run ended: its flip must not touch the finished record
    if (r.isErr()) {
      o.onReadFailed(r.error);
      return;
    }
    if (r.value.paused !== paused) {
      paused = r.value.paused;
      o.onChange(paused, r.value.by);
    }
    if (!paused) for (const w of [...waiters]) w();
  };
  const stopper = new AbortController();
  const loop = async (): Promise<void> => {
    while (!stopped) {
      await sleep(o.clock, o.intervalMs, stopper.signal);
      if (!stopped) await refresh();
    }
  };
  void loop();
  return {
    get paused() {
      return paused;
    },
    untilResumed: (signal) =>
      new Promise<void>((resolve) => {
        if (!paused || signal.aborted) {
          resolve();
          return;
        }
        const done = (): void => {
          waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
      }),
    refresh,
    stop: () => {
      stopped = true;
      stopper.abort();
      for (const w of [...waiters]) w();
    },
  };
}
