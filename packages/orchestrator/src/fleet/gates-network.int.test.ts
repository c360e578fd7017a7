// http and tcp gates of a fleet end to end (issue 17), against loopback servers this file starts on 127.0.0.1: the
// fleet runs on the system clock (real sockets), on memory state and memory runtimes. A passing gate lets the next
// wave start; a gate whose check keeps failing (a wrong status, nothing listening) fails at its deadline with the
// last thing it found, rolls back only its wave and halts the fleet. Timings are not asserted, only outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetOf, runtimes } from './fleet.test-helpers.js';
import { LOOPBACK, type LoopbackServers, startLoopbackServers } from './loopback-servers.test-helpers.js';
import { memoryState } from './memory-state.js';
import { orchestrateFleet } from './orchestrate-fleet.js';
import type { FleetGate } from './types.js';

const HOST = LOOPBACK;
let servers: LoopbackServers;
let httpPort = 0;
let tcpPort = 0;
let closedPort = 0;

beforeAll(async () => {
  servers = await startLoopbackServers();
  ({ httpPort, tcpPort, closedPort } = servers);
});

afterAll(() => servers.close());

/** USA, then EST with `gate`, then NZL: deployed on memory runtimes, the system clock, memory state. */
async function deployWithGate(gate: FleetGate) {
  const state = memoryState();
  const rt = runtimes();
  const fleet = fleetOf([{ instances: ['USA'] }, { instances: ['EST'], gate }, { instances: ['NZL'] }]);
  const report = (
    await orchestrateFleet(fleet, { state, runtimeFor: rt.runtimeFor, pollIntervalMs: 100, lockTimeoutMs: 5_000 })
  )._unsafeUnwrap();
  return { report, state, started: rt.held.started.map((r) => r.instance) };
}

// Long enough for a loaded CI machine to answer a loopback request; a failing check keeps failing until then.
const failing = { timeoutMs: 3_000, intervalMs: 100 } as const;

describe('fleet gates over real sockets', () => {
  it('an http gate that answers the expected status and a tcp gate that accepts let the next wave start', async () => {
    const gate: FleetGate = {
      http: { url: `http://${HOST}:${httpPort}/204`, expectStatus: 204 },
      tcp: { host: HOST, port: tcpPort },
      timeoutMs: 60_000,
    };
    const { report, started } = await deployWithGate(gate);
    expect(report.state).toBe('COMPLETE');
    expect(report.waves[1]?.gate?.checks.map((c) => [c.kind, c.passed])).toEqual([
      ['http', true],
      ['tcp', true],
    ]);
    expect(started).toContain('NZL');
  });

  it('an http gate answered with another status fails at its deadline: its wave rolled back, the fleet HALTED', async () => {
    const url = `http://${HOST}:${httpPort}/503`;
    const { report, state, started } = await deployWithGate({ http: { url }, ...failing });
    expect(report).toMatchObject({ state: 'HALTED', success: false, exitCode: 1 });
    expect(report.waves.map((w) => w.status)).toEqual(['COMPLETE', 'ROLLED_BACK', 'NOT_STARTED']);
    const gate = report.waves[1]?.gate;
    expect(gate?.error?._tag).toBe('TimeoutError');
    expect(gate?.checks).toEqual([{ kind: 'http', passed: false, detail: `GET ${url}: HTTP 503 (want 200)` }]);
    expect(started).not.toContain('NZL');
    expect((await state.store.getState('USA'))._unsafeUnwrap().state).toBe('COMPLETE');
    const run = (await state.fleets!.getRun(report.runId))._unsafeUnwrap();
    expect(run?.gates).toMatchObject([{ gate: 'wave-2', status: 'FAILED' }]);
  });

  it('an http or tcp gate with nothing listening fails at its deadline naming the refused connection', async () => {
    for (const gate of [
      { http: { url: `http://${HOST}:${closedPort}/` }, ...failing },
      { tcp: { host: HOST, port: closedPort }, ...failing },
    ]) {
      const { report } = await deployWithGate(gate);
      expect(report.state).toBe('HALTED');
      expect(report.waves[1]?.status).toBe('ROLLED_BACK');
      const check = report.waves[1]?.gate?.checks[0];
      expect(check?.passed).toBe(false);
      expect(check?.detail).toMatch(/ECONNREFUSED/);
    }
  });
});
