import { okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { Topology } from '../topology/types.js';
import { deploy } from './deploy.js';
import { fakeContext } from './fakes.test-helpers.js';
import { GRAPH_STEP } from './graph-step.js';
import type { EngineState } from './ports.js';
import { resolveTopology } from './resolve.js';

const proc = (name: string) => ({ process: { command: 'node', args: [`${name}.js`] } });
const topology: Topology = {
  instance: 'USA',
  services: {
    db: { process: { command: 'pg', env: { PASSWORD: { secret: 'DB_PASSWORD' } } } },
    cache: proc('cache'),
    api: { ...proc('api'), dependsOn: { db: 'healthy', cache: 'healthy' } },
    web: { ...proc('web'), dependsOn: ['api'] },
    migrate: { kind: 'job', ...proc('migrate'), dependsOn: ['db'] },
  },
};

describe('the graph step', () => {
  it("records a first deployment's dependency graph as it begins: names only, before any service", async () => {
    const f = fakeContext();
    const writes: string[] = [];
    const steps: Parameters<EngineState['recordStep']>[0][] = [];
    const state: EngineState = {
      ...f.state.store,
      transition: (i, to, o) => {
        writes.push(`transition:${to}`);
        return f.state.store.transition(i, to, o);
      },
      recordStep: (step) => {
        writes.push(`step:${step.name}`);
        steps.push(step);
        return okAsync(undefined);
      },
    };
    const ctx = { ...f.ctx, state };
    const resolved = resolveTopology(topology, ctx.env)._unsafeUnwrap();
    const report = (await deploy(ctx, topology, resolved, { rollback: 'auto', schedule: 'ready' }))._unsafeUnwrap();
    expect(report.success).toBe(true);
    expect(f.state.checkpoints.size).toBe(2); // none existed when the graph was recorded
    // recorded once the deployment has begun (INITIALIZING) and before any phase or service step
    expect(writes.filter((w) => w !== 'transition:INITIALIZING').indexOf(`step:${GRAPH_STEP}`)).toBe(0);
    expect(writes[0]).toBe('transition:INITIALIZING');
    const graph = steps.find((s) => s.name === GRAPH_STEP);
    expect(graph?.status).toBe('succeeded');
    const services = (graph?.detail as { services: { name: string }[] }).services;
    expect([...services].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'api', kind: 'service', dependsOn: ['db', 'cache'] },
      { name: 'cache', kind: 'service', dependsOn: [] },
      { name: 'db', kind: 'service', dependsOn: [] },
      { name: 'migrate', kind: 'job', dependsOn: ['db'] },
      { name: 'web', kind: 'service', dependsOn: ['api'] },
    ]);
    expect(Object.keys(graph?.detail ?? {})).toEqual(['services']);
    // the dependency structure only: no command, no environment, no resolved secret
    expect(JSON.stringify(graph)).not.toContain('hunter2');
    expect(JSON.stringify(graph)).not.toContain('pg');
  });
});
