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
  StateChange,
  StateStore,
  StateWatch,
  StepInput,
  StepRecord,
  StepStatus,
  TransitionOptions,
  TransitionRecord,
  WatchOptions,
} from './types.js';
export { createFileStateStore, type FileStateStoreOptions } from './file-store.js';
export { checkStatePermissions, type StoreWarning } from './store-warnings.js';
export { createPostgresStateStore, type PostgresStateStoreOptions } from './postgres-store.js';
export { createFileBreakerStore, type FileBreakerStoreOptions } from './file-breaker-store.js';
export { createPostgresBreakerStore, type PostgresBreakerStoreOptions } from './postgres-breaker-store.js';
