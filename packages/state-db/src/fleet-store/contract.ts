import { check, unwrap, type ContractCase } from '../testing/contract-assert.js';
import type { FleetStore } from './types.js';

/** What the fleet-store contract needs: the store under test and a fresh name on every call. */
export interface FleetContractHarness {
  readonly store: FleetStore;
  /** A fresh fleet name (or run id) on every call, so cases can run side by side on one store. */
  unique(prefix: string): string;
}

/**
 * The contract every {@link FleetStore} passes: the in-memory, file and PostgreSQL ones run it, and so can yours.
 * @param h - the store and a name source
 * @returns the cases; run each with your test framework (`for (const c of cases) it(c.name, c.run)`)
 */
export function fleetStoreContract(h: FleetContractHarness): ContractCase[] {
  const newRun = async (fleet: string, startedAt = 1_000) => {
    const id = h.unique('run');
    const run = unwrap(
      await h.store.createRun({
        id,
        fleet,
        startedAt,
        instances: [
          { instance: 'USA', wave: 0 },
          { instance: 'EST', wave: 1 },
        ],
      }),
      'createRun',
    );
    return run;
  };
  return [
    {
      name: 'a new run is RUNNING with every instance PENDING in its wave, sorted by instance',
      run: async () => {
        const fleet = h.unique('fleet');
        const run = await newRun(fleet);
        check(run.state === 'RUNNING' && run.fleet === fleet, `new run: ${JSON.stringify(run)}`);
        const again = unwrap(await h.store.getRun(run.id), 'getRun');
        check(JSON.stringify(again) === JSON.stringify(run), `read back: ${JSON.stringify(again)}`);
        check(
          JSON.stringify(run.instances.map((i) => [i.instance, i.wave, i.status])) ===
            JSON.stringify([
              ['EST', 1, 'PENDING'],
              ['USA', 0, 'PENDING'],
            ]),
          `instances: ${JSON.stringify(run.instances)}`,
        );
        check(unwrap(await h.store.getRun(h.unique('none')), 'getRun missing') === undefined, 'missing run');
      },
    },
    {
      name: 'instance, gate and run updates are kept; an error is kept until cleared with null',
      run: async () => {
        const run = await newRun(h.unique('fleet'));
        const error = { tag: 'RuntimeUnavailableError', code: 3005, message: 'no engine' };
        check(
          unwrap(
            await h.store.setInstance(run.id, 'EST', { status: 'FAILED', at: 2_000, deploymentId: 'd1', error }),
            'set',
          ),
          'set EST',
        );
        unwrap(await h.store.setInstance(run.id, 'EST', { status: 'DEPLOYING', at: 3_000 }), 'set again');
        unwrap(await h.store.setGate(run.id, 'wave-1', { status: 'FAILED', at: 3_500, detail: 'http 503' }), 'gate');
        unwrap(await h.store.setRunState(run.id, 'HALTED', { at: 4_000, reason: 'gate wave-1 failed' }), 'state');
        let got = unwrap(await h.store.getRun(run.id), 'getRun');
        const est = got?.instances.find((i) => i.instance === 'EST');
        check(
          est?.status === 'DEPLOYING' && est.deploymentId === 'd1' && est.error?.code === 3005,
          `EST: ${JSON.stringify(est)}`,
        );
        check(est.wave === 1, `EST keeps its wave: ${JSON.stringify(est)}`);
        check(
          got?.gates[0]?.gate === 'wave-1' && got.gates[0].status === 'FAILED' && got.gates[0].detail === 'http 503',
          `gate: ${JSON.stringify(got?.gates)}`,
        );
        check(
          got?.state === 'HALTED' && got.reason === 'gate wave-1 failed' && got.updatedAt === 4_000,
          `run: ${JSON.stringify(got)}`,
        );
        unwrap(await h.store.setInstance(run.id, 'EST', { status: 'COMPLETE', at: 5_000, error: null }), 'clear');
        unwrap(await h.store.setRunState(run.id, 'RUNNING', { at: 5_000, reason: null }), 'clear reason');
        got = unwrap(await h.store.getRun(run.id), 'getRun');
        const cleared = got?.instances.find((i) => i.instance === 'EST');
        check(cleared?.status === 'COMPLETE' && cleared.error === undefined, `cleared: ${JSON.stringify(cleared)}`);
        check(got?.reason === undefined, `reason cleared: ${JSON.stringify(got)}`);
      },
    },
    {
      name: 'writes to a run that does not exist answer false and create nothing',
      run: async () => {
        const id = h.unique('ghost');
        check(!unwrap(await h.store.setInstance(id, 'USA', { status: 'COMPLETE', at: 1 }), 'set'), 'setInstance');
        check(!unwrap(await h.store.setGate(id, 'final', { status: 'PASSED', at: 1 }), 'gate'), 'setGate');
        check(!unwrap(await h.store.setRunState(id, 'COMPLETE', { at: 1 }), 'state'), 'setRunState');
        check(!unwrap(await h.store.approve(id, 'final', { by: 'x', at: 1 }), 'approve'), 'approve');
        check(unwrap(await h.store.getRun(id), 'getRun') === undefined, 'nothing created');
      },
    },
    {
      name: 'the first approval of a gate is kept; approvals are per run',
      run: async () => {
        const fleet = h.unique('fleet');
        const a = await newRun(fleet);
        const b = await newRun(fleet, 2_000);
        unwrap(await h.store.approve(a.id, 'wave-2', { by: 'alice', at: 10 }), 'approve');
        unwrap(await h.store.approve(a.id, 'wave-2', { by: 'bob', at: 20 }), 'approve twice');
        const got = unwrap(await h.store.getRun(a.id), 'getRun');
        check(
          JSON.stringify(got?.approvals) === JSON.stringify([{ gate: 'wave-2', by: 'alice', at: 10 }]),
          `approvals: ${JSON.stringify(got?.approvals)}`,
        );
        check(unwrap(await h.store.getRun(b.id), 'getRun b')?.approvals.length === 0, 'other run not approved');
      },
    },
    {
      name: 'latestRun and listRuns: newest first, only the fleet asked for',
      run: async () => {
        const fleet = h.unique('fleet');
        const other = await newRun(h.unique('other'), 9_000);
        const older = await newRun(fleet, 1_000);
        const newer = await newRun(fleet, 2_000);
        check(unwrap(await h.store.latestRun(fleet), 'latest')?.id === newer.id, 'latest is the newer run');
        const list = unwrap(await h.store.listRuns(fleet), 'list').map((r) => r.id);
        check(JSON.stringify(list) === JSON.stringify([newer.id, older.id]), `list: ${JSON.stringify(list)}`);
        check(unwrap(await h.store.listRuns(fleet, { limit: 1 }), 'limit').length === 1, 'limit 1');
        check(!list.includes(other.id), 'other fleet left out');
        check(unwrap(await h.store.latestRun(h.unique('none')), 'none') === undefined, 'no runs');
      },
    },
    {
      name: 'the pause flag: off until set, set and cleared, per fleet',
      run: async () => {
        const fleet = h.unique('fleet');
        check(!unwrap(await h.store.getPause(fleet), 'get').paused, 'off by default');
        unwrap(await h.store.setPaused(fleet, true, { by: 'ops', at: 5 }), 'pause');
        const p = unwrap(await h.store.getPause(fleet), 'get');
        check(p.paused && p.by === 'ops' && p.at === 5, `paused: ${JSON.stringify(p)}`);
        check(!unwrap(await h.store.getPause(h.unique('fleet')), 'other').paused, 'other fleet not paused');
        unwrap(await h.store.setPaused(fleet, false, { by: 'ops2', at: 6 }), 'resume');
        check(!unwrap(await h.store.getPause(fleet), 'get').paused, 'resumed');
      },
    },
    {
      name: 'concurrent instance updates of one run are all kept',
      run: async () => {
        const run = await newRun(h.unique('fleet'));
        const codes = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
        await Promise.all(codes.map((c, i) => h.store.setInstance(run.id, c, { status: 'COMPLETE', at: 100 + i })));
        const got = unwrap(await h.store.getRun(run.id), 'getRun');
        const done = got?.instances.filter((i) => codes.includes(i.instance) && i.status === 'COMPLETE') ?? [];
        check(done.length === codes.length, `kept ${done.length} of ${codes.length}`);
      },
    },
  ];
}
