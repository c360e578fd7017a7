/**
 * The topology model: what a user describes (in TypeScript with `defineTopology`, or in a YAML/JSON/compose
 * file loaded with `loadTopology`) and what `orchestrate()` deploys. Plain JSON-compatible data.
 */

/** A value read from the environment at deploy time and never printed, stored, logged or checkpointed. */
export interface SecretRef {
  /** The environment variable holding the secret. */
  readonly secret: string;
}

/** An environment value: a literal string or a secret reference. */
export type EnvValue = string | SecretRef;

/** When a dependent may start: its dependency has `started`, is `healthy`, or (a job) has `completed`. */
export type DependencyCondition = 'started' | 'healthy' | 'completed';

/** A service to run as a container (Docker runtime). */
export interface ContainerSpec {
  readonly image: string;
  /** Overrides the image's CMD. */
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly environment?: Readonly<Record<string, EnvValue>>;
  /** Only `none` and `host` are allowed (no bridge networks). Default `none`. */
  readonly network?: 'none' | 'host';
  /** Overrides (or adds) the image's HEALTHCHECK. */
  readonly healthcheck?: DockerHealthcheckSpec;
  readonly memoryBytes?: number;
  readonly labels?: Readonly<Record<string, string>>;
}

/** Docker's HEALTHCHECK settings, in milliseconds. */
export interface DockerHealthcheckSpec {
  /** `['CMD', ...]`, `['CMD-SHELL', '...']` or `['NONE']`. */
  readonly test: readonly string[];
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly startPeriodMs?: number;
}

/** A service to run as a local process (process runtime). */
export interface ProcessSpec {
  readonly command: string;
  readonly args?: readonly string[];
  /** Relative to the topology file's directory (or the process cwd for TypeScript topologies). */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** Time between SIGTERM and SIGKILL on stop. Default 5000. */
  readonly stopGraceMs?: number;
}

/** One health check; a service's checks are tried in order as layers (first conclusive answer wins). */
export type HealthCheckSpec =
  | {
      readonly type: 'http';
      readonly url: string;
      readonly expectStatus?: number | readonly number[];
      readonly headers?: Readonly<Record<string, EnvValue>>;
      readonly timeoutMs?: number;
      readonly insecureTls?: boolean;
    }
  | { readonly type: 'tcp'; readonly host?: string; readonly port: number; readonly timeoutMs?: number }
  /** The container's own Docker HEALTHCHECK (containers only). */
  | { readonly type: 'docker' }
  /** A command run inside the container (containers only). */
  | { readonly type: 'exec'; readonly cmd: readonly string[]; readonly timeoutMs?: number }
  /** The process or container is running (the default when no check is given). */
  | { readonly type: 'running' };

/** Retry policy for starting a service (see @dive/circuit-breaker's policies). */
export interface RetrySpec {
  readonly policy: 'exponential' | 'progressive' | 'fixed-jitter' | 'decorrelated' | 'none';
  /** Total attempts including the first. */
  readonly attempts: number;
  readonly baseMs?: number;
  readonly maxMs?: number;
}

/** Circuit breaker settings for a service's start and health operations. */
export interface BreakerSpec {
  readonly failureThreshold?: number;
  readonly resetTimeoutMs?: number;
  readonly successThreshold?: number;
}

/** Settings every service inherits unless it sets its own. */
export interface ServiceDefaults {
  /** How long a service may take from start to healthy. Default 60_000. */
  readonly startTimeoutMs?: number;
  readonly retry?: RetrySpec;
  readonly breaker?: BreakerSpec;
}

/** One service (long-running) or job (one-shot, must exit 0: `completed`). */
export interface ServiceSpec {
  /** `service` (default) runs until stopped; `job` runs once and must exit 0. */
  readonly kind?: 'service' | 'job';
  /** Exactly one of `container` and `process`. */
  readonly container?: ContainerSpec;
  readonly process?: ProcessSpec;
  /** Tried in order, as layers. Default: `[{ type: 'running' }]` (plus `docker` for containers with a HEALTHCHECK). */
  readonly health?: readonly HealthCheckSpec[];
  /** A list (each `healthy`, or `completed` for jobs) or a map of dependency → condition. */
  readonly dependsOn?: readonly string[] | Readonly<Record<string, DependencyCondition>>;
  readonly startTimeoutMs?: number;
  readonly retry?: RetrySpec;
  readonly breaker?: BreakerSpec;
  /** Whether a failure of this service fails the deployment (default true); `false` continues degraded. */
  readonly critical?: boolean;
}

/** A whole deployment: an instance and its services. */
export interface Topology {
  /** Three upper-case letters (`USA` is the hub; `EST`, `NZL`, … are spokes). */
  readonly instance: string;
  readonly defaults?: ServiceDefaults;
  readonly services: Readonly<Record<string, ServiceSpec>>;
}
