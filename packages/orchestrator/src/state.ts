import type { BreakerStore } from '@dive/circuit-breaker';
import type { LockManager } from '@dive/locks';
import type { FleetStore, StateStore } from '@dive/state-db';

/** Where deployments keep their state and take their locks: one store and its lock manager. */
export interface StateBackend extends AsyncDisposable {
  readonly kind: 'file' | 'postgres';
  readonly store: StateStore;
  readonly locks: LockManager;
  /**
   * Where circuit breakers are shared by every process using this state; without it, each process has its own.
   * PostgreSQL state always shares them; file state only with `fileState(dir, { sharedBreakers: true })`.
   */
  readonly breakers?: BreakerStore;
  /** The record of fleets (`orchestrateFleet`): their runs, gates, approvals and pause flags. */
  readonly fleets?: FleetStore;
  /** For messages: the directory, or the database URL with its password hidden. */
  readonly location: string;
}

// Each backend has its own module, so file state never loads pg. postgresState is not re-exported here: a bundle
// with code splitting would then load its chunk (and pg) wherever this module is imported.
export { fileState } from './file-state.js';
