import type { Clock } from '@dive/errors';
import type { FleetStore } from '@dive/state-db';
import type { Logger } from '../logger.js';
import type { OrchestrateOptions } from '../operations/options.js';
import type { Runtime } from '../runtime/types.js';
import type { StateBackend } from '../state.js';
import type { FleetEvent } from './report.js';
import type { FleetInstance } from './types.js';

/** Options of `orchestrateFleet()`. */
export interface OrchestrateFleetOptions {
  /** The store every instance shares (state, locks, breakers). Default `fileState('.dive')`. */
  readonly state?: StateBackend;
  /** The fleet's own record. Default `state.fleets` (file and PostgreSQL state have one). */
  readonly fleets?: FleetStore;
  /**
   * The runtime of an instance, made once per instance and disposed after. Default: Docker on the instance's
   * `docker` host (its `tls` files for `tcp://`), or local processes for a topology without containers.
   */
  readonly runtimeFor?: (instance: string, spec: FleetInstance) => Runtime;
  /** Stop: no new instance, wave or service starts; the run is recorded FAILED (`cancelled`) and can be resumed. */
  readonly signal?: AbortSignal;
  /** The time source of pause polls, gate deadlines and every instance's engine. Default the system clock. */
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly onEvent?: (event: FleetEvent) => void;
  /** Where topologies' secrets and `${VAR}`s are read from. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Recorded as who acted. Default `user@host`. */
  readonly actor?: string;
  /** The key of the fleet's record and lock. Default the fleet's `name`. */
  readonly fleetId?: string;
  /** How long to wait for the fleet lock (and each instance lock), in ms. Default 30 000. */
  readonly lockTimeoutMs?: number;
  /** How often the pause flag (and a waiting approval) is read, in ms. Default 500; at most 1 000. */
  readonly pollIntervalMs?: number;
  /** Start a new run even when the latest one did not finish (by default a deploy continues it). */
  readonly fresh?: boolean;
  /** Passed to each instance's `orchestrate()`. */
  readonly instanceOptions?: Pick<
    OrchestrateOptions,
    'concurrency' | 'rollback' | 'schedule' | 'callTimeoutMs' | 'rollbackTimeoutMs' | 'keepCheckpoints' | 'metrics'
  >;
}
