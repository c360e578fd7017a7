import { driveUntilSettled } from '@dive/errors/testing';
import { describe, expect, it } from 'vitest';
import { fleetOf } from './fleet.test-helpers.js';
import { harness } from './harness.test-helpers.js';
import { orchestrateFleet } from './orchestrate-fleet.js';
import type { FleetEvent } from './report.js';
import type { Fleet } from './types.js';

const typesOf = (events: readonly FleetEvent[], ...types: FleetEvent['type'][]) =>
  events
    .filter((e) => types.includes(e.type))
    .map((e) => `${e.type}:${'instance' in e ? e.instance : 'wave' in e ? e.wave : ''}`);

describe('orchestrateFleet: waves', () => {
  it('deploys the waves in order: no instance of a wave starts before the one before it (and its gate) is done', async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['EST', 'NZL'] }, { instances: ['GBR'] }]);
    const report = (await h.run(fleet))._unsafeUnwrap();
    expect(report).toMatchObject({ state: 'COMPLETE', success: true, exitCode: 0, resumed: false });
    expect(report.waves.map((w) => w.status)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    const order = typesOf(h.events, 'instance-started', 'instance-finished');
    expect(order.slice(0, 2)).toEqual(['instance-started:USA', 'instance-finished:USA']);
    expect(order.slice(2, 4).sort()).toEqual(['instance-started:EST', 'instance-started:NZL']); // at once
    expect(order.slice(-2)).toEqual(['instance-started:GBR', 'instance-finished:GBR']);
    const run = (await h.state.fleets!.getRun(report.runId))._unsafeUnwrap();
    expect(run?.state).toBe('COMPLETE');
    expect(run?.instances.map((i) => i.status)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect((await h.state.store.getState('NZL'))._unsafeUnwrap().state).toBe('COMPLETE');
  });

  it('at most maxParallel instances of a wave deploy at once; without it, all of them', async () => {
    for (const [maxParallel, expected] of [
      [2, 2],
      [undefined, 5],
    ] as const) {
      const h = harness();
      const spokes = ['EST', 'NZL', 'GBR', 'FRA', 'DEU'];
      const fleet = fleetOf([
        { instances: ['USA'] },
        { instances: spokes, ...(maxParallel === undefined ? {} : { maxParallel }) },
      ]);
      let running = 0;
      let most = 0;
      const report = await h.run(fleet, {
        onEvent: (e) => {
          if (e.type === 'instance-started') most = Math.max(most, ++running);
          if (e.type === 'instance-finished') running -= 1;
        },
      });
      expect(report._unsafeUnwrap().state).toBe('COMPLETE');
      expect(most).toBe(expected);
    }
  });

  it('one process orchestrates a fleet at a time: a second gets LockTimeoutError', async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'] }]);
    h.rt.held.hold(() => true);
    const first = orchestrateFleet(fleet, { state: h.state, clock: h.clock, runtimeFor: h.rt.runtimeFor });
    const second = await driveUntilSettled(
      h.clock,
      orchestrateFleet(fleet, { state: h.state, clock: h.clock, runtimeFor: h.rt.runtimeFor, lockTimeoutMs: 500 }),
    );
    expect(second._unsafeUnwrapErr()._tag).toBe('LockTimeoutError');
    h.rt.held.release();
    expect((await driveUntilSettled(h.clock, first))._unsafeUnwrap().state).toBe('COMPLETE');
  });

  it('an invalid fleet built in code is ConfigInvalidError naming every problem', async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['USA', 'EST'] }]);
    const bad: Fleet = { ...fleet, instances: { ...fleet.instances, GBR: fleet.instances['USA']! } };
    const e = (await h.run(bad))._unsafeUnwrapErr();
    expect(e._tag).toBe('ConfigInvalidError');
    expect(e.message).toMatch(/already in wave 1/);
    expect(e.message).toMatch(/GBR is in no wave/);
  });
});

describe('orchestrateFleet: failed instances', () => {
  it('an unreachable host fails its instance with exit 4 while the others of its wave finish; later waves do not start', async () => {
    const h = harness(['NZL']);
    const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['EST', 'NZL'] }, { instances: ['GBR'] }], {
      onGateFailure: 'halt',
    });
    const report = (await h.run(fleet))._unsafeUnwrap();
    expect(report).toMatchObject({ state: 'FAILED', success: false, exitCode: 4 });
    const by = Object.fromEntries(report.instances.map((i) => [i.instance, [i.status, i.exitCode]]));
    expect(by).toEqual({ USA: ['COMPLETE', 0], EST: ['COMPLETE', 0], NZL: ['UNREACHABLE', 4] });
    expect(report.waves.map((w) => w.status)).toEqual(['COMPLETE', 'FAILED', 'NOT_STARTED']);
    expect(h.rt.inner.has('GBR')).toBe(false);
  });

  it("with rollback-wave (the default) the failed wave's other instances are rolled back", async () => {
    const h = harness(['NZL']);
    const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['EST', 'NZL'] }]);
    const report = (await h.run(fleet))._unsafeUnwrap();
    const est = report.instances.find((i) => i.instance === 'EST');
    expect(est?.status).toBe('ROLLED_BACK');
    expect(report.waves[1]?.status).toBe('ROLLED_BACK');
    expect([...(h.rt.inner.get('EST')?.services.values() ?? [])]).toHaveLength(0);
    expect((await h.state.store.getState('USA'))._unsafeUnwrap().state).toBe('COMPLETE');
  });
});
