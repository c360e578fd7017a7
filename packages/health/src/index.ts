export type { HealthCheck, HealthResult, HealthStatus } from './result.js';
export { containerRunning, dockerHealth, exec, mapDockerHealth, type DockerTarget } from './checks/docker.js';
export { httpCheck as http, tcp, type HttpCheckOptions, type TcpCheckOptions } from './checks/net.js';
export { custom, layered } from './checks/compose.js';
export { checkAll, type CheckAllOptions } from './check-all.js';
export { probe, type Probe, type ProbeOptions, type ProbeStatus } from './probe.js';
export {
  waitForHealthy,
  type HealthyReport,
  type WaitForHealthyError,
  type WaitForHealthyOptions,
} from './wait-for-healthy.js';
export {
  createDockerHealthWatcher,
  type ContainerHealthState,
  type DockerHealthWatcher,
  type DockerHealthWatcherOptions,
} from './watcher.js';
export {
  ContainerExitedError,
  ContainerOomError,
  HealthCheckFailedError,
  HealthTimeoutError,
  RuntimeUnavailableError,
} from './errors.js';
export { demux as demuxDockerLogs, lastLogLines as dockerLogTail } from './docker-logs.js';
