import { StateStoreUnavailableError, type FleetStore } from '@dive/state-db';
import { createMemoryFleetStore } from '@dive/state-db/testing';
import { errAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { formatFleetReport } from '../cli/commands/fleet-format.js';
import { fleetOf } from './fleet.test-helpers.js';
import { harness } from './harness.test-helpers.js';

/** A memory fleet store whose writes of `instance`'s status and reads of the pause flag fail (the database is gone). */
function failingFor(instance: string): FleetStore {
  const inner = createMemoryFleetStore();
  const down = (what: string) => errAsync(new StateStoreUnavailableError(`${what}: connection refused`));
  return {
    ...inner,
    setInstance: (id, code, update) => (code === instance ? down('setInstance') : inner.setInstance(id, code, update)),
    getPause: () => down('getPause'),
  };
}

describe('orchestrateFleet: failed writes of the fleet record', () => {
  it('are in the report (one entry per kind, with how many times), and the run goes on', async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['EST'] }]);
    const report = (await h.run(fleet, { fleets: failingFor('EST'), pollIntervalMs: 500 }))._unsafeUnwrap();
    expect(report.state).toBe('COMPLETE');
    expect(report.instances.map((i) => [i.instance, i.status])).toEqual([
      ['USA', 'COMPLETE'],
      ['EST', 'COMPLETE'],
    ]);
    const failures = report.recordFailures ?? [];
    expect(failures.map((f) => f.what).sort()).toEqual([
      'reading the pause flag',
      'recording EST COMPLETE',
      'recording EST DEPLOYING',
    ]);
    for (const f of failures) expect(f.error).toMatchObject({ _tag: 'StateStoreUnavailableError', code: 6001 });
    expect(failures.find((f) => f.what === 'recording EST COMPLETE')?.times).toBe(1);
    expect(failures.find((f) => f.what === 'reading the pause flag')?.times).toBeGreaterThanOrEqual(1);
    expect(formatFleetReport(report)).toMatch(/warning: the fleet record missed writes.*recording EST COMPLETE \(1×: /);
  });

  it("include the run's state writes made when the pause flag flips, awaited before the report", async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'] }]);
    const inner = createMemoryFleetStore();
    const fleets: FleetStore = {
      ...inner,
      setRunState: () => errAsync(new StateStoreUnavailableError('setRunState: connection refused')),
    };
    // paused before the run begins, resumed 10 s later (as another process would)
    expect((await inner.setPaused(fleet.name, true, { by: 'ops', at: 0 })).isOk()).toBe(true);
    h.clock.setTimeout(() => {
      void inner.setPaused(fleet.name, false, { by: 'ops', at: 10_000 }).then((r) => expect(r.isOk()).toBe(true));
    }, 10_000);
    const report = (await h.run(fleet, { fleets }))._unsafeUnwrap();
    expect(report.state).toBe('COMPLETE');
    expect(report.recordFailures?.map((f) => f.what).sort()).toEqual([
      'recording the run COMPLETE',
      'recording the run PAUSED',
      'recording the run RUNNING',
    ]);
  });

  it('are absent from the report when every write succeeded', async () => {
    const h = harness();
    const report = (await h.run(fleetOf([{ instances: ['USA'] }])))._unsafeUnwrap();
    expect(report.state).toBe('COMPLETE');
    expect(report).not.toHaveProperty('recordFailures');
  });
});
