import type { Clock, DiveError } from '@dive/errors';
import type { FleetRun, FleetStore } from '@dive/state-db';
import type { Logger } from '../logger.js';
import type { Runtime } from '../runtime/types.js';
import type { StateBackend } from '../state.js';
import type { OrchestrateFleetOptions } from './options.js';
import type { PauseWatch } from './pause-watch.js';
import type { FleetEvent } from './report.js';
import type { Fleet } from './types.js';

/** Distributes over a union: `Omit` of each member. @internal */
export type FleetEventBody = FleetEvent extends infer E
  ? E extends FleetEvent
    ? Omit<E, 'at' | 'fleet' | 'runId'>
    : never
  : never;

/** Everything one fleet run works with. @internal */
export interface FleetContext {
  readonly fleet: Fleet;
  readonly fleetId: string;
  readonly run: FleetRun;
  readonly state: StateBackend;
  readonly fleets: FleetStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly actor: string;
  readonly env: NodeJS.ProcessEnv;
  readonly signal: AbortSignal;
  readonly pause: PauseWatch;
  readonly options: OrchestrateFleetOptions;
  readonly lockTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** The runtime of an instance, made on first use. */
  runtimeOf(instance: string): Runtime;
  emit(event: FleetEventBody): void;
  /** A failed write of the fleet's record: logged and kept for the report (`recordFailures`), never fatal. */
  recordFailed(what: string, error: DiveError): void;
}

/** Wait `ms` on the clock, or less when `signal` aborts. @internal */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      resolve();
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
