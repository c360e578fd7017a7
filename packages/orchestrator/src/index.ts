// The facade
export { orchestrate, RiskTooHighError } from './operations/orchestrate.js';
export { plan, type DeploymentPlan, type PlannedAction } from './operations/plan.js';
export { rollback, CheckpointNotFoundError, type RollbackOptions } from './operations/rollback.js';
export { down, type DownOptions, type DownReport } from './operations/down.js';
export { status, type InstanceStatus } from './operations/status.js';
export { checkRuntime, recordedRuntime, RuntimeMismatchError } from './operations/recorded-runtime.js';
export type { CommonOptions, OrchestrateOptions } from './operations/options.js';
export type {
  BoundErrorTag,
  ConfigErrorTag,
  LockErrorTag,
  RuntimeErrorTag,
  StateErrorTag,
  DiveErrorOf,
  DownError,
  LockError,
  OrchestrateError,
  PlanError,
  RollbackError,
  RuntimeError,
  StateError,
  StatusError,
} from './errors.js';

// Fleets: instances on several hosts, in waves with gates, pause and resume
export { orchestrateFleet } from './fleet/orchestrate-fleet.js';
export { loadFleet, type LoadFleetError, type LoadFleetOptions } from './fleet/load-fleet.js';
export { GateFailedError, type FleetError } from './fleet/errors.js';
export type { OrchestrateFleetOptions } from './fleet/options.js';
export type {
  FleetEvent,
  FleetInstanceResult,
  FleetRecordFailure,
  FleetReport,
  FleetWaveResult,
  GateCheckResult,
  GateResult,
} from './fleet/report.js';
export type {
  CommandGateCheck,
  DockerTls,
  Fleet,
  FleetGate,
  FleetInstance,
  FleetWave,
  GateFailurePolicy,
  HttpGateCheck,
  LoadedFleet,
  MetricGateCheck,
  TcpGateCheck,
} from './fleet/types.js';

// State backends
export { fileState, type StateBackend } from './state.js';
export { postgresState } from './postgres-state.js';

// Runtimes
export * from './runtime/index.js';

// Topologies
export { defineTopology } from './topology/define-topology.js';
export {
  loadTopology,
  type LoadTopologyError,
  type LoadTopologyOptions,
  type LoadedTopology,
} from './topology/load-topology.js';
export type { EnvFileSecret } from './engine/env-file-secrets.js';
export type { TopologyProblem } from './topology/problems.js';
export { CONTAINER_ENV_NAME, ENV_NAME, INSTANCE_CODE, SERVICE_NAME } from './topology/schema.js';
export type {
  BreakerSpec,
  BuildSpec,
  ContainerSpec,
  DependencyCondition,
  DependencySpec,
  DockerHealthcheckSpec,
  DockerPassThrough,
  EnvValue,
  FileReference,
  FileSourceSpec,
  HealthCheckSpec,
  NetworkMode,
  NetworkSpec,
  PortSpec,
  ProcessSpec,
  RestartPolicy,
  RetrySpec,
  SecretRef,
  ServiceDefaults,
  ServiceNetworkSpec,
  ServiceSpec,
  Topology,
  UlimitSpec,
  UpdateSpec,
  VolumeMount,
  VolumeSpec,
} from './topology/types.js';

// Reports, events, risk, logging
export type { DeploymentReport, RollbackReport, RollbackStrategy, ServiceReport } from './report.js';
export type { DeployEvent, DeployEventType, DeploymentStateName, EventBase } from './events.js';
export { estimateRisk, type RiskEstimate, type RiskFactor, type RiskInputs } from './risk.js';
export { jsonLogger, silentLogger, type LogLevel, type Logger } from './logger.js';
export { RollbackFailedError } from './engine/rollback.js';
export { DependencyUnhealthyError } from './engine/deploy.js';
export { HealthTimeoutError } from '@dive/health';

// The CLI, for embedding (`dive` is src/cli/bin.ts)
export { runCli } from './cli/main.js';
export { EXIT, exitCodeFor, type ExitCode } from './cli/exit-codes.js';
export type { CliIO } from './cli/io.js';
