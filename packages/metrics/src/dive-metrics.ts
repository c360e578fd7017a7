import type { DiveError } from '@dive/errors';
import { SHORT_BUCKETS } from './buckets.js';
import type { Metrics } from './metrics.js';
import type { Counter, Gauge, Histogram } from './types.js';

/** Circuit breaker states as exported by `dive_circuit_breaker_state`: 0 closed, 1 half-open, 2 open. */
export const CIRCUIT_STATE_VALUES = Object.freeze({ closed: 0, 'half-open': 1, open: 2 } as const);

/** A circuit breaker state name. */
export type CircuitStateName = keyof typeof CIRCUIT_STATE_VALUES;

/** Typed handles for the standard metrics of SPEC §7 (names shown with the default `dive_` prefix). */
export interface DiveMetrics {
  /** `dive_deployments_total{instance,result}`: finished deployments; `result` e.g. success, failed, rolled_back. */
  readonly deployments: Counter<'instance' | 'result'>;
  /** `dive_deployment_duration_seconds{instance}`: wall time of whole deployments. */
  readonly deploymentDuration: Histogram<'instance'>;
  /** `dive_phase_duration_seconds{phase}`: time per deployment phase (preflight, start, verify…). */
  readonly phaseDuration: Histogram<'phase'>;
  /** `dive_service_start_duration_seconds{service}`: from start request to healthy. */
  readonly serviceStartDuration: Histogram<'service'>;
  /** `dive_health_check_duration_seconds`: one health probe (fine buckets, 1 ms … 60 s). */
  readonly healthCheckDuration: Histogram;
  /** `dive_health_checks_total{result}`: health probes by result (healthy, unhealthy, timeout…). */
  readonly healthChecks: Counter<'result'>;
  /** `dive_retries_total`: retry attempts of any operation. */
  readonly retries: Counter;
  /** `dive_circuit_breaker_state{breaker}`: 0 closed, 1 half-open, 2 open ({@link CIRCUIT_STATE_VALUES}). */
  readonly circuitBreakerState: Gauge<'breaker'>;
  /** `dive_errors_total{code,severity}`: errors by taxonomy code and severity. */
  readonly errors: Counter<'code' | 'severity'>;
  /** `dive_lock_wait_seconds{type}`: time spent waiting for a lock (fine buckets, 1 ms … 60 s). */
  readonly lockWait: Histogram<'type'>;
  /** Set `dive_circuit_breaker_state` of `breaker` from a state name. */
  setCircuitState(breaker: string, state: CircuitStateName): void;
  /** Count a DiveError in `dive_errors_total` by its `code` and `severity`. */
  recordError(error: Pick<DiveError, 'code' | 'severity'>): void;
}

/**
 * Define the standard dive_* metrics of SPEC §7 on `metrics` (calling it twice returns handles on the same
 * series).
 *
 * @param metrics - from {@link createMetrics}; its prefix replaces `dive_` in the names
 * @returns the typed handles
 * @example
 * ```ts
 * const dive = createDiveMetrics(createMetrics());
 * dive.deployments.inc({ instance: 'USA', result: 'success' });
 * dive.setCircuitState('postgres', 'open');
 * ```
 */
export function createDiveMetrics(metrics: Metrics): DiveMetrics {
  const circuitBreakerState = metrics.gauge({
    name: 'circuit_breaker_state',
    help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open.',
    labelNames: ['breaker'],
  });
  const errors = metrics.counter({
    name: 'errors_total',
    help: 'Errors by taxonomy code and severity.',
    labelNames: ['code', 'severity'],
  });
  return {
    deployments: metrics.counter({
      name: 'deployments_total',
      help: 'Finished deployments by instance and result.',
      labelNames: ['instance', 'result'],
    }),
    deploymentDuration: metrics.histogram({
      name: 'deployment_duration_seconds',
      help: 'Wall time of whole deployments in seconds.',
      labelNames: ['instance'],
    }),
    phaseDuration: metrics.histogram({
      name: 'phase_duration_seconds',
      help: 'Time per deployment phase in seconds.',
      labelNames: ['phase'],
    }),
    serviceStartDuration: metrics.histogram({
      name: 'service_start_duration_seconds',
      help: 'Time from start request to healthy per service in seconds.',
      labelNames: ['service'],
    }),
    healthCheckDuration: metrics.histogram({
      name: 'health_check_duration_seconds',
      help: 'Duration of one health probe in seconds.',
      buckets: SHORT_BUCKETS,
    }),
    healthChecks: metrics.counter({
      name: 'health_checks_total',
      help: 'Health probes by result.',
      labelNames: ['result'],
    }),
    retries: metrics.counter({ name: 'retries_total', help: 'Retry attempts of any operation.' }),
    circuitBreakerState,
    errors,
    lockWait: metrics.histogram({
      name: 'lock_wait_seconds',
      help: 'Time spent waiting for a lock in seconds.',
      labelNames: ['type'],
      buckets: SHORT_BUCKETS,
    }),
    setCircuitState: (breaker, state) => {
      circuitBreakerState.set({ breaker }, CIRCUIT_STATE_VALUES[state]);
    },
    recordError: (error) => {
      errors.inc({ code: error.code, severity: error.severity });
    },
  };
}
