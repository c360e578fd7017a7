export {
  canTransition,
  DEPLOYMENT_STATES,
  isDeploymentState,
  TRANSITIONS,
  type DeploymentState,
  type Transition,
} from './state-machine.js';
export {
  AuditKeyError,
  AuditLogTamperedError,
  CheckpointCorruptError,
  CheckpointKeyError,
  CheckpointNotFoundError,
  CheckpointUnauthenticatedError,
  CheckpointTooLargeError,
  ConcurrentModificationError,
  InvalidTransitionError,
  MigrationError,
  StaleFencingTokenError,
  StateCorruptError,
  StateStoreUnavailableError,
  type CheckpointReadError,
  type MigrateError,
  type ReadError,
  type TransitionError,
  type VerifyError,
} from './errors.js';
export type {
  AnalyticsBucket,
  AuditVerification,
  Checkpoint,
  CheckpointInfo,
  CheckpointReadOptions,
  CommonStoreOptions,
  ErrorAnalytics,
  ErrorAnalyticsOptions,
  ErrorContext,
  ErrorRecord,
  HistoryOptions,
  InstanceState,
  RecordableError,
  StateStore,
  StepInput,
  StepRecord,
  StepStatus,
  TransitionOptions,
  TransitionRecord,
} from './types.js';
export { CHECKPOINT_MAX_BYTES } from './internal/checkpoint-size.js';
export { createFileStateStore, type FileStateStoreOptions } from './file-store.js';
export { checkStatePermissions, type StoreWarning } from './store-warnings.js';
export { createPostgresStateStore, type PostgresStateStoreOptions } from './postgres-store.js';
export { createFileBreakerStore, type FileBreakerStoreOptions } from './file-breaker-store.js';
export { createPostgresBreakerStore, type PostgresBreakerStoreOptions } from './postgres-breaker-store.js';
export {
  FLEET_RUN_STATES,
  type FleetApproval,
  type FleetGateRecord,
  type FleetGateStatus,
  type FleetInstanceRecord,
  type FleetInstanceStatus,
  type FleetInstanceUpdate,
  type FleetPause,
  type FleetRecordError,
  type FleetRun,
  type FleetRunState,
  type FleetStore,
  type FleetStoreError,
  type NewFleetRun,
} from './fleet-store/types.js';
export { createFileFleetStore, type FileFleetStoreOptions } from './fleet-store/file-fleet-store.js';
export { createPostgresFleetStore, type PostgresFleetStoreOptions } from './fleet-store/postgres-fleet-store.js';
