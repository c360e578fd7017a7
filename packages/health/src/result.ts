/** The four states every check reports. `unknown` means "this check cannot tell" (a layered check falls through). */
export type HealthStatus = 'healthy' | 'unhealthy' | 'starting' | 'unknown';

/** What one run of a check found. */
export interface HealthResult {
  readonly status: HealthStatus;
  /** The check's name (`http GET http://…`, `docker-health abc`, …). */
  readonly check: string;
  readonly latencyMs: number;
  /** A short human explanation. */
  readonly detail: string;
  /** Raw output (HEALTHCHECK log, exec output, response status), if any. */
  readonly output?: string;
}

/** A health check: run it with an optional AbortSignal; it never throws, it reports. */
export interface HealthCheck {
  readonly name: string;
  run(signal?: AbortSignal): Promise<HealthResult>;
}
