import { describe, expect, it } from 'vitest';
import { TimeoutError } from '@dive/errors';
import { CIRCUIT_STATE_VALUES, createDiveMetrics } from './dive-metrics.js';
import { createMetrics } from './metrics.js';

describe('createDiveMetrics', () => {
  it('defines the standard set of SPEC §7 under the prefix', () => {
    const metrics = createMetrics();
    createDiveMetrics(metrics);
    const names = metrics.snapshot().metrics.map((m) => `${m.type} ${m.name}{${m.labelNames.join(',')}}`);
    expect(names.sort()).toEqual([
      'counter dive_deployments_total{instance,result}',
      'counter dive_errors_total{code,severity}',
      'counter dive_health_checks_total{result}',
      'counter dive_retries_total{}',
      'gauge dive_circuit_breaker_state{breaker}',
      'histogram dive_deployment_duration_seconds{instance}',
      'histogram dive_health_check_duration_seconds{}',
      'histogram dive_lock_wait_seconds{type}',
      'histogram dive_phase_duration_seconds{phase}',
      'histogram dive_service_start_duration_seconds{service}',
    ]);
  });

  it('maps circuit states to 0 closed, 1 half-open, 2 open', () => {
    const dive = createDiveMetrics(createMetrics());
    expect(CIRCUIT_STATE_VALUES).toEqual({ closed: 0, 'half-open': 1, open: 2 });
    dive.setCircuitState('pg', 'half-open');
    expect(dive.circuitBreakerState.get({ breaker: 'pg' })).toBe(1);
    dive.setCircuitState('pg', 'open');
    expect(dive.circuitBreakerState.get({ breaker: 'pg' })).toBe(2);
  });

  it('counts DiveErrors by code and severity', () => {
    const dive = createDiveMetrics(createMetrics());
    dive.recordError(new TimeoutError('health of api not answered in 5000 ms'));
    expect(dive.errors.get({ code: 2001, severity: 'HIGH' })).toBe(1);
  });

  it('returns handles on the same series when called twice', () => {
    const metrics = createMetrics();
    createDiveMetrics(metrics).retries.inc();
    expect(createDiveMetrics(metrics).retries.get()).toBe(1);
  });
});
