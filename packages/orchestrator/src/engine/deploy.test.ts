import { describe, expect, it } from 'vitest';
import type { Topology } from '../topology/types.js';
import { deploy } from './deploy.js';
import { fakeContext, fakeRuntime } from './fakes.test-helpers.js';
import { resolveTopology } from './resolve.js';

const proc = (name: string) => ({ process: { command: 'node', args: [`${name}.js`] } });
const hub: Topology = {
  instance: 'USA',
  defaults: { retry: { policy: 'none', attempts: 2 } },
  services: {
    postgres: { ...proc('postgres'), process: { command: 'pg', env: { PASSWORD: { secret: 'DB_PASSWORD' } } } },
    mongodb: proc('mongodb'),
    redis: proc('redis'),
    opa: proc('opa'),
    keycloak: { ...proc('keycloak'), dependsOn: ['postgres'] },
    backend: { ...proc('backend'), dependsOn: ['postgres', 'mongodb', 'redis', 'keycloak'] },
    frontend: { ...proc('frontend'), dependsOn: ['backend'] },
    kas: { ...proc('kas'), dependsOn: ['mongodb', 'backend'] },
    'federation-link': { kind: 'job', ...proc('link'), dependsOn: ['backend'] },
  },
};
const run = async (ctx: Parameters<typeof deploy>[0], topology = hub, rollback: 'auto' | 'never' = 'auto') =>
  (
    await deploy(ctx, topology, resolveTopology(topology, ctx.env)._unsafeUnwrap(), { rollback, schedule: 'ready' })
  )._unsafeUnwrap();

describe('deploy (engine, with test doubles)', () => {
  it('deploys the hub to COMPLETE through every state, with a checkpoint and a critical path', async () => {
    const f = fakeContext();
    const report = await run(f.ctx);
    expect(report.success).toBe(true);
    expect(report.status).toBe('COMPLETE');
    expect(f.state.history.map((h) => h.to)).toEqual([
      'INITIALIZING',
      'DEPLOYING',
      'CONFIGURING',
      'VERIFYING',
      'COMPLETE',
    ]);
    expect(report.services.map((s) => s.status).sort()).toEqual([...Array(8).fill('healthy'), 'completed'].sort());
    expect(report.checkpointId).toBeDefined();
    expect(report.criticalPath.path.at(-1)).toMatch(/frontend|kas|federation-link/);
    expect(f.runtime.running.size).toBe(8);
    expect(f.locks.held.size).toBe(0);
    expect(f.events.some((e) => e.type === 'lock-acquired')).toBe(true);
  });

  it('a redeploy with nothing changed leaves every service alone', async () => {
    const f = fakeContext();
    await run(f.ctx);
    const startsBefore = f.runtime.starts.length;
    const again = await run(f.ctx);
    expect(again.success).toBe(true);
    expect(again.services.filter((s) => s.status === 'unchanged')).toHaveLength(8);
    expect(f.runtime.starts.length - startsBefore).toBe(1); // only the job runs again
    expect(f.state.history.at(-5)?.reason).toBe('redeploy');
  });

  it('retries a transient start failure under the policy', async () => {
    const runtime = fakeRuntime({ failStarts: { keycloak: 1 } });
    const f = fakeContext({ runtime });
    const report = await run(f.ctx);
    expect(report.success).toBe(true);
    expect(report.services.find((s) => s.name === 'keycloak')?.attempts).toBe(2);
  });

  it('scenario 1: a first deployment whose service cannot start is torn down, dependents blocked', async () => {
    const runtime = fakeRuntime({ failStarts: { keycloak: 99 } });
    const f = fakeContext({ runtime });
    const report = await run(f.ctx);
    expect(report.success).toBe(false);
    expect(report.status).toBe('UNKNOWN');
    expect(report.rollback?.finalState).toBe('UNKNOWN');
    expect(report.services.find((s) => s.name === 'keycloak')?.status).toBe('failed');
    expect(report.services.find((s) => s.name === 'frontend')?.status).toBe('blocked');
    expect(runtime.running.size).toBe(0);
    expect(f.state.history.map((h) => h.to).slice(-4)).toEqual(['FAILED', 'ROLLING_BACK', 'CLEANUP', 'UNKNOWN']);
    expect(report.error?._tag).toBe('DependencyUnhealthyError');
  });

  it('scenario 2: a failed redeploy restores the previous generation and ends COMPLETE', async () => {
    const runtime = fakeRuntime();
    const f = fakeContext({ runtime });
    await run(f.ctx);
    const before = new Map([...runtime.running.values()].map((h) => [h.service, h.configHash]));
    const changed: Topology = {
      ...hub,
      services: {
        ...hub.services,
        backend: { ...hub.services['backend'], process: { command: 'node', args: ['backend-v2.js'] } },
      },
    };
    const newHash = resolveTopology(changed, f.ctx.env)._unsafeUnwrap().services.get('backend')!.configHash;
    runtime.neverHealthy.add(`backend@${newHash}`);
    const report = await run(f.ctx, changed);
    expect(report.success).toBe(false);
    expect(report.status).toBe('COMPLETE');
    expect(report.rollback?.restored).toContain('backend');
    const after = new Map([...runtime.running.values()].map((h) => [h.service, h.configHash]));
    expect(after).toEqual(before);
  });

  it('scenario 6: a rollback that itself fails ends ROLLING_BACK → FAILED with RollbackFailedError', async () => {
    const runtime = fakeRuntime();
    const f = fakeContext({ runtime });
    await run(f.ctx);
    const changed: Topology = {
      ...hub,
      services: {
        ...hub.services,
        backend: { ...hub.services['backend'], process: { command: 'node', args: ['v2.js'] } },
      },
    };
    runtime.neverHealthy.add('backend'); // the old backend will not come back either
    const report = await run(f.ctx, changed);
    expect(report.status).toBe('FAILED');
    expect(report.rollback?.error?._tag).toBe('RollbackFailedError');
    expect(report.rollback?.error?.code).toBe(7003);
    expect(report.rollback?.error?.context).toMatchObject({ step: 'restore backend' });
    expect(f.state.history.slice(-2).map((h) => h.to)).toEqual(['ROLLING_BACK', 'FAILED']);
    // Services that were not part of the failure are left running: nothing destroyed that cannot be restored.
    expect(runtime.running.has('USA/postgres')).toBe(true);
  });

  it('scenario 3: a service that crashes after it was healthy is started again under its policy', async () => {
    const runtime = fakeRuntime();
    let crashed = false;
    const f = fakeContext({
      runtime,
      onEvent: (e) => {
        if (!crashed && e.type === 'service-healthy' && e.service === 'frontend') {
          crashed = true;
          runtime.running.delete('USA/kas'); // kas dies after it was healthy
        }
      },
    });
    const report = await run(f.ctx);
    expect(crashed).toBe(true);
    expect(report.success).toBe(true);
    expect(runtime.starts.filter((s) => s === 'kas')).toHaveLength(2);
    expect(runtime.running.has('USA/kas')).toBe(true);
  });

  it('scenario 3: when it crashes again on restart, the deployment fails and is rolled back', async () => {
    const runtime = fakeRuntime();
    let crashed = false;
    const f = fakeContext({
      runtime,
      onEvent: (e) => {
        if (!crashed && e.type === 'service-healthy' && e.service === 'frontend') {
          crashed = true;
          runtime.running.delete('USA/kas');
          runtime.neverHealthy.add('kas'); // and it will not come back
        }
      },
    });
    const report = await run(f.ctx);
    expect(report.success).toBe(false);
    expect(report.error?.message).toMatch(/kas .*stopped running after it was healthy/);
    expect(report.status).toBe('UNKNOWN');
    expect(runtime.running.size).toBe(0);
  });

  it('a second deployment of the same instance at once fails with the lock error', async () => {
    const f = fakeContext();
    await f.ctx.locks.acquire('deployment', 'USA', { timeoutMs: 1 });
    const r = await deploy(f.ctx, hub, resolveTopology(hub, f.ctx.env)._unsafeUnwrap(), {
      rollback: 'auto',
      schedule: 'ready',
    });
    expect(r._unsafeUnwrapErr()._tag).toBe('LockTimeoutError');
  });

  it('records an interrupted predecessor as FAILED (interrupted) before deploying', async () => {
    const f = fakeContext();
    f.state.states.set('USA', { state: 'DEPLOYING', version: 7, deploymentId: 'dead' });
    const report = await run(f.ctx);
    expect(report.interruptedPrevious).toEqual({ state: 'DEPLOYING', deploymentId: 'dead' });
    expect(f.state.history[0]).toMatchObject({ from: 'DEPLOYING', to: 'FAILED', reason: 'interrupted' });
    expect(report.status).toBe('COMPLETE');
  });

  it('cancellation stops new starts, records cancelled and rolls back', async () => {
    const controller = new AbortController();
    const f = fakeContext({
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'service-healthy' && e.service === 'postgres') controller.abort();
      },
    });
    const report = await run(f.ctx);
    expect(report.success).toBe(false);
    expect(report.error?._tag).toBe('CancelledError');
    expect(f.state.history.find((h) => h.to === 'FAILED')?.reason).toBe('cancelled');
    expect(f.runtime.running.size).toBe(0);
  });

  it('rollback: never leaves the failed state and the services for inspection', async () => {
    const runtime = fakeRuntime({ failStarts: { kas: 99 } });
    const f = fakeContext({ runtime });
    const report = await run(f.ctx, hub, 'never');
    expect(report.status).toBe('FAILED');
    expect(report.rollback).toBeUndefined();
    expect(runtime.running.size).toBeGreaterThan(0);
  });
});
