import { defineError } from '@dive/errors';
import { createMemoryStateStore } from '@dive/state-db/testing';
import { errAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { statePort } from '../adapters/state-port.js';
import type { Topology } from '../topology/types.js';
import { deploy } from './deploy.js';
import { fakeContext, fakeState } from './fakes.test-helpers.js';
import { resolveTopology } from './resolve.js';

class StateStoreUnavailableError extends defineError('StateStoreUnavailableError') {}

const topology = (version = '1'): Topology => ({
  instance: 'USA',
  defaults: { retry: { policy: 'none', attempts: 1 } },
  services: {
    db: { process: { command: 'db', args: [version] } },
    api: { process: { command: 'api' }, dependsOn: ['db'] },
  },
});
const run = async (ctx: Parameters<typeof deploy>[0], t = topology()) =>
  (
    await deploy(ctx, t, resolveTopology(t, {})._unsafeUnwrap(), { rollback: 'auto', schedule: 'ready' })
  )._unsafeUnwrap();

describe('checkpoints of a deployment', () => {
  it('the new generation is checkpointed only after the COMPLETE transition succeeded', async () => {
    const state = fakeState();
    const order: string[] = [];
    const f = fakeContext({
      state: {
        ...state.store,
        transition: (i, to, o) => {
          order.push(`→ ${to}`);
          return state.store.transition(i, to, o);
        },
        createCheckpoint: (i, p) => {
          order.push(`checkpoint ${p.state}`);
          return state.store.createCheckpoint(i, p);
        },
      },
    });
    const report = await run(f.ctx);
    expect(report.success).toBe(true);
    expect(order.slice(-2)).toEqual(['→ COMPLETE', 'checkpoint COMPLETE']);
  });

  it('when COMPLETE is refused, no checkpoint claims the generation completed', async () => {
    const state = fakeState();
    const f = fakeContext({
      state: {
        ...state.store,
        transition: (i, to, o) =>
          to === 'COMPLETE' ? errAsync(new StateStoreUnavailableError('down')) : state.store.transition(i, to, o),
      },
    });
    const r = await deploy(f.ctx, topology(), resolveTopology(topology(), {})._unsafeUnwrap(), {
      rollback: 'auto',
      schedule: 'ready',
    });
    expect(r._unsafeUnwrapErr()._tag).toBe('StateStoreUnavailableError');
    const complete = [...state.checkpoints.values()];
    // Only the checkpoint of what ran before (nothing: state UNKNOWN) was written.
    expect(complete.map((c) => c.payload.state)).toEqual(['UNKNOWN']);
    expect(f.locks.held.size).toBe(0);
  });

  it('keeps the newest keepCheckpoints per instance after COMPLETE', async () => {
    const f = fakeContext({ keepCheckpoints: 3 });
    for (let v = 1; v <= 5; v++) expect((await run(f.ctx, topology(String(v)))).success).toBe(true);
    const mine = [...f.state.checkpoints.values()].filter((c) => c.instance === 'USA');
    expect(mine).toHaveLength(3);
    // The newest is the running generation.
    expect(mine.sort((a, b) => b.createdAt - a.createdAt)[0]?.payload.state).toBe('COMPLETE');
  });

  it('a best-effort write that fails is logged, told as a warning and listed in the report; the deployment completes', async () => {
    const state = fakeState();
    const f = fakeContext({
      state: { ...state.store, recordStep: () => errAsync(new StateStoreUnavailableError('steps table gone')) },
    });
    const report = await run(f.ctx);
    expect(report.success).toBe(true);
    expect(report.bestEffortFailures?.length).toBeGreaterThan(0);
    expect(report.bestEffortFailures?.[0]?.error._tag).toBe('StateStoreUnavailableError');
    expect(f.events.some((e) => e.type === 'warning' && e.message.includes('recording step'))).toBe(true);
  });
});

describe('a stored checkpoint read back', () => {
  it('is validated: a payload without the engine shape is CheckpointCorruptError (7002), never a guess', async () => {
    const store = createMemoryStateStore();
    const port = statePort(store);
    const bad = (await store.createCheckpoint('USA', { services: 'not a map' }))._unsafeUnwrap();
    const e = (await port.getCheckpoint(bad.id))._unsafeUnwrapErr();
    expect(e._tag).toBe('CheckpointCorruptError');
    expect(e.code).toBe(7002);
    expect(e.context).toMatchObject({ checkpointId: bad.id });
  });

  it('is validated: an invalid topology in it is CheckpointCorruptError; a good one is returned as written', async () => {
    const store = createMemoryStateStore();
    const port = statePort(store);
    const payload = { deploymentId: 'd', takenAt: new Date(0).toISOString(), state: 'COMPLETE', services: {} };
    const badTopology = (
      await store.createCheckpoint('USA', { ...payload, topology: { instance: 'usa' } })
    )._unsafeUnwrap();
    expect((await port.getCheckpoint(badTopology.id))._unsafeUnwrapErr()._tag).toBe('CheckpointCorruptError');
    const good = (await store.createCheckpoint('USA', { ...payload, topology: topology() }))._unsafeUnwrap();
    expect((await port.getCheckpoint(good.id))._unsafeUnwrap()).toEqual({ ...payload, topology: topology() });
  });
});
