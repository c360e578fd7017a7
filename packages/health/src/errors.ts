import { defineError } from '@dive/errors';

/** 4001: a health check reported the target unhealthy (with `waitForHealthy({ failOnUnhealthy: true })`). */
export class HealthCheckFailedError extends defineError('HealthCheckFailedError') {}
/** 4003: the target did not become healthy before its deadline; the context carries the last outputs. */
export class HealthTimeoutError extends defineError('HealthTimeoutError') {}
/** 3002: the container exited while we waited; the context carries exit code, health outputs, last 50 log lines. */
export class ContainerExitedError extends defineError('ContainerExitedError') {}
/** 3003: the container was OOM-killed while we waited; same context as {@link ContainerExitedError}. */
export class ContainerOomError extends defineError('ContainerOomError') {}
/** 3005: the Docker engine could not be reached. */
export class RuntimeUnavailableError extends defineError('RuntimeUnavailableError') {}
