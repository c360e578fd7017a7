import { describe, expect, it } from 'vitest';
import { fleetOf } from './fleet.test-helpers.js';
import { harness } from './harness.test-helpers.js';

/** Let a store write run in the background, as another process's would. */
const background = (p: { then: (ok: (r: { isErr(): boolean }) => void) => unknown }): void => {
  void p.then((r) => expect(r.isErr()).toBe(false));
};

/** An `onEvent` that records an error for `instance` in the store as soon as that instance finishes. */
const errorWhenFinished =
  (h: ReturnType<typeof harness>, instance: string) =>
  (e: { readonly type: string; readonly instance?: string; readonly at?: number }): void => {
    if (e.type === 'instance-finished' && e.instance === instance && e.at !== undefined)
      background(
        h.state.store.recordError(
          { _tag: 'HealthCheckFailedError', code: 4001, severity: 'HIGH', message: 'x' },
          { instance, at: e.at },
        ),
      );
  };

describe('orchestrateFleet: gates', () => {
  it("a metric gate reads the wave's errors from the store: it fails, the wave is rolled back, the fleet HALTED", async () => {
    const h = harness();
    const gate = { metric: { maxErrors: 0 } };
    const fleet = fleetOf([{ instances: ['USA'], gate }, { instances: ['EST', 'NZL'], gate }, { instances: ['GBR'] }]);
    const report = (await h.run(fleet, { onEvent: errorWhenFinished(h, 'EST') }))._unsafeUnwrap();
    expect(report).toMatchObject({ state: 'HALTED', success: false, exitCode: 1 });
    expect(report.waves.map((w) => w.status)).toEqual(['COMPLETE', 'ROLLED_BACK', 'NOT_STARTED']);
    expect(report.waves[1]?.gate).toMatchObject({
      gate: 'wave-2',
      passed: false,
      error: { _tag: 'GateFailedError', code: 4005 },
    });
    expect(report.instances.filter((i) => i.wave === 1).map((i) => i.status)).toEqual(['ROLLED_BACK', 'ROLLED_BACK']);
    const run = (await h.state.fleets!.getRun(report.runId))._unsafeUnwrap();
    expect(run?.gates.map((g) => [g.gate, g.status])).toEqual([
      ['wave-1', 'PASSED'],
      ['wave-2', 'FAILED'],
    ]);
    expect(run?.state).toBe('HALTED');
    expect(run?.reason).toMatch(/gate wave-2 failed/);
  });

  it('with halt, a failed gate leaves its wave as it is', async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['EST'], gate: { metric: { maxErrorRate: 0 } } }], {
      onGateFailure: 'halt',
    });
    const report = (await h.run(fleet, { onEvent: errorWhenFinished(h, 'EST') }))._unsafeUnwrap();
    expect(report.state).toBe('HALTED');
    expect(report.waves[1]?.status).toBe('FAILED');
    expect((await h.state.store.getState('EST'))._unsafeUnwrap().state).toBe('COMPLETE');
  });

  it('an approval gate waits until approved (from any process: the store), then the next wave starts', async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'], gate: { approval: true } }, { instances: ['EST'] }], {
      gate: { metric: { maxErrors: 0 } },
    });
    let waitingAt = 0;
    const report = (
      await h.run(fleet, {
        onEvent: (e) => {
          if (e.type === 'gate-waiting') waitingAt = e.at;
          // approve 10 minutes later, as another process would
          if (e.type === 'gate-waiting')
            h.clock.setTimeout(
              () => background(h.state.fleets!.approve(e.runId, e.gate, { by: 'ops@host', at: e.at })),
              600_000,
            );
        },
      })
    )._unsafeUnwrap();
    expect(report.state).toBe('COMPLETE');
    expect(report.waves[0]?.gate?.checks).toEqual([{ kind: 'approval', passed: true, detail: 'approved by ops@host' }]);
    const estStarted = h.events.find((e) => e.type === 'instance-started' && e.instance === 'EST');
    expect(estStarted!.at - waitingAt).toBeGreaterThanOrEqual(600_000);
    expect(report.finalGate?.passed).toBe(true);
  });

  it('an approval gate times out cleanly: TimeoutError, the wave rolled back, the fleet HALTED', async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['EST'], gate: { approval: true, timeoutMs: 5_000 } }]);
    const report = (await h.run(fleet))._unsafeUnwrap();
    expect(report.state).toBe('HALTED');
    expect(report.waves[1]?.gate?.error?._tag).toBe('TimeoutError');
    expect(report.waves[1]?.gate?.durationMs).toBeGreaterThanOrEqual(5_000);
    expect(report.instances.find((i) => i.instance === 'EST')?.status).toBe('ROLLED_BACK');
    expect((await h.state.store.getState('EST'))._unsafeUnwrap().state).toBe('UNKNOWN');
  });
});

describe('orchestrateFleet: pause and resume', () => {
  it('a pause stops new starts within 1 s, also inside a running deployment; resume finishes only what is left', async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['EST'] }]);
    h.rt.held.hold((r) => r.instance === 'USA' && r.service === 'api');
    let pausedAt = 0;
    const report = (
      await h.run(fleet, {
        onEvent: (e) => {
          if (e.type === 'deploy' && e.event.type === 'service-starting' && e.event.service === 'api') {
            pausedAt = e.at;
            background(h.state.fleets!.setPaused(e.fleet, true, { by: 'ops', at: e.at }));
          }
          if (e.type === 'fleet-paused') {
            expect(e.at - pausedAt).toBeLessThanOrEqual(1_000);
            h.rt.held.release(); // the start in flight finishes
          }
          if (e.type === 'instance-finished' && e.status === 'PAUSED') {
            expect(h.rt.held.started.map((r) => r.service)).toEqual(['db', 'api']); // web never started
            h.clock.setTimeout(
              () => background(h.state.fleets!.setPaused(e.fleet, false, { by: 'ops', at: 0 })),
              30_000,
            );
          }
        },
      })
    )._unsafeUnwrap();
    expect(report.state).toBe('COMPLETE');
    expect(typesOf(h.events)).toEqual([
      'instance-started:USA',
      'fleet-paused',
      'instance-finished:USA:PAUSED',
      'fleet-resumed',
      'instance-started:USA',
      'instance-finished:USA:COMPLETE',
      'instance-started:EST',
      'instance-finished:EST:COMPLETE',
    ]);
    // db and api were kept on resume: each started once
    expect(h.rt.held.started.map((r) => `${r.instance}/${r.service}`)).toEqual([
      'USA/db',
      'USA/api',
      'USA/web',
      'EST/api',
    ]);
  });

  it('after the orchestrating process died, a new run continues the latest one: COMPLETE instances are not deployed again', async () => {
    const h = harness();
    const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['EST', 'NZL'] }]);
    const fleets = h.state.fleets!;
    const runId = 'crashed-run';
    const instances = [
      { instance: 'USA', wave: 0 },
      { instance: 'EST', wave: 1 },
      { instance: 'NZL', wave: 1 },
    ];
    await fleets.createRun({ id: runId, fleet: fleet.name, startedAt: 0, instances });
    await fleets.setInstance(runId, 'USA', { status: 'COMPLETE', at: 1 });
    await fleets.setInstance(runId, 'EST', { status: 'COMPLETE', at: 2 });
    await fleets.setInstance(runId, 'NZL', { status: 'DEPLOYING', at: 3 });
    const report = (await h.run(fleet))._unsafeUnwrap();
    expect(report).toMatchObject({ runId, resumed: true, state: 'COMPLETE' });
    expect(h.rt.held.started.map((r) => r.instance)).toEqual(['NZL']);
    expect(report.instances.filter((i) => i.skipped === true).map((i) => i.instance)).toEqual(['USA', 'EST']);
    // a finished run is not continued: the next deploy is a new run
    const again = (await h.run(fleet))._unsafeUnwrap();
    expect(again.resumed).toBe(false);
    expect(again.runId).not.toBe(runId);
  });
});

function typesOf(events: readonly import('./report.js').FleetEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'instance-started') return [`${e.type}:${e.instance}`];
    if (e.type === 'instance-finished') return [`${e.type}:${e.instance}:${e.status}`];
    if (e.type === 'fleet-paused' || e.type === 'fleet-resumed') return [e.type];
    return [];
  });
}
