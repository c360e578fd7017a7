import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createDiveMetrics } from './dive-metrics.js';
import { createMetrics } from './metrics.js';

/** A deployment of three services as the orchestrator would record it, with one retry and one lock wait. */
function simulateDeployment() {
  const metrics = createMetrics();
  const dive = createDiveMetrics(metrics);
  dive.lockWait.observe({ type: 'deployment' }, 0.012);
  for (const [phase, seconds] of [
    ['preflight', 0.4],
    ['start', 14.2],
    ['verify', 2.1],
  ] as const) {
    dive.phaseDuration.observe({ phase }, seconds);
  }
  for (const service of ['postgres', 'api', 'web']) {
    dive.serviceStartDuration.observe({ service }, 3.5);
    dive.healthCheckDuration.observe({}, 0.004);
    dive.healthChecks.inc({ result: 'healthy' });
  }
  dive.healthChecks.inc({ result: 'unhealthy' });
  dive.retries.inc();
  dive.setCircuitState('postgres', 'closed');
  dive.recordError({ code: 4001, severity: 'HIGH' });
  dive.deployments.inc({ instance: 'USA', result: 'success' });
  dive.deploymentDuration.observe({ instance: 'USA' }, 16.7);
  return metrics;
}

describe('promtool check metrics', () => {
  it('accepts the export of the standard set after a simulated deployment, without complaints', async () => {
    const text = await simulateDeployment().toPrometheus();
    expect(text).toContain('dive_deployments_total{instance="USA",result="success"} 1');
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('complains about a broken export (the check can fail)', () => {
    const broken = '# TYPE dive_broken counter\ndive_broken 1\n';
    const result = spawnSync('promtool', ['check', 'metrics'], { input: broken, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).not.toBe(0);
  });
});
