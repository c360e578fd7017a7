// Fleets across two real Docker engines (issue 17): the shared engine and a second dockerd of the test's own with a
// `--tlsverify` listener on 127.0.0.2, one PostgreSQL store. The hub deploys on the shared engine, then five spokes
// spread over both deploy at once — asserted by structure (their deployments overlap in time), not by a wall-clock
// ratio (bench/fleet measures that). An instance on a host with nothing listening (127.0.0.3) fails with exit 4
// while the others of its wave finish. Every container, network and volume is removed after, on both engines.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { busyboxTopology, freePort, tlsOf, type SecondDockerd } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresState } from '../postgres-state.js';
import type { StateBackend } from '../state.js';
import { labelled, sharedDocker as shared, useTwoEngineFleet } from './docker-fleet.test-helpers.js';
import { loadFleet } from './load-fleet.js';
import { orchestrateFleet } from './orchestrate-fleet.js';

let engine: SecondDockerd;
let state: StateBackend;
// Rare three-letter codes: the shared engine is used by other test files at the same time.
const HUB = 'QHB';
const SPOKES = ['QSA', 'QSB', 'QSC', 'QSD', 'QSE'];
const DOWN = 'QUN';
const codes = [HUB, ...SPOKES, DOWN];
const bed = useTwoEngineFleet('fleet-hosts', codes);
const dir = bed.dir;

/** A port on 127.0.0.3 that nothing listens on. */
const deadPort = (): Promise<number> => freePort('127.0.0.3');

beforeAll(() => {
  engine = bed.engine;
  state = postgresState(bed.db.url);
  // a spoke that takes ~2 s to become healthy, so overlapping deployments are visible in their reports
  writeFileSync(join(dir, 'spoke.yaml'), busyboxTopology(engine.image, [{ name: 'api', healthyAfterS: 2 }]));
});

afterAll(async () => {
  await state?.[Symbol.asyncDispose]?.();
});

// host: 'shared', 'second' or a Docker URL (with the second engine's TLS files)
const on = (code: string, host: string) =>
  host === 'shared'
    ? `  ${code}: { topology: spoke.yaml, docker: unix:///var/run/docker.sock }\n`
    : host === 'second'
      ? `  ${code}: { topology: spoke.yaml, docker: ${engine.url}, tls: ${tlsOf(engine)} }\n`
      : `  ${code}: { topology: spoke.yaml, docker: ${host}, tls: ${tlsOf(engine)} }\n`;

describe('a fleet over two Docker engines and one PostgreSQL', () => {
  it('deploys the hub, then five spokes over both engines at once', async () => {
    const file = join(dir, 'fleet.yaml');
    writeFileSync(
      file,
      `fleet: hosts-${Date.now().toString(36)}
instances:
${on(HUB, 'shared')}${on('QSA', 'shared')}${on('QSB', 'second')}${on('QSC', 'shared')}${on('QSD', 'second')}${on('QSE', 'second')}waves:
  - [${HUB}]
  - [${SPOKES.join(', ')}]
`,
    );
    const fleet = (await loadFleet(file))._unsafeUnwrap();
    const report = (await orchestrateFleet(fleet, { state, pollIntervalMs: 200 }))._unsafeUnwrap();
    expect(report.state, JSON.stringify(report.instances.map((i) => [i.instance, i.status, i.error]))).toBe('COMPLETE');

    // each instance on its own engine, and only there
    for (const [code, docker, other] of [
      [HUB, shared, engine.docker],
      ['QSA', shared, engine.docker],
      ['QSB', engine.docker, shared],
      ['QSC', shared, engine.docker],
      ['QSD', engine.docker, shared],
      ['QSE', engine.docker, shared],
    ] as const) {
      expect(await labelled(docker, code), code).toHaveLength(1);
      expect(await labelled(other, code), code).toHaveLength(0);
    }

    // at the same time: every spoke's deployment began before any of them ended; the hub ended before they began
    const span = (code: string) => {
      const r = report.instances.find((i) => i.instance === code)?.report;
      const start = Date.parse(r?.startedAt ?? '');
      return { start, end: start + (r?.durationMs ?? NaN) };
    };
    const spokes = SPOKES.map(span);
    expect(Math.max(...spokes.map((s) => s.start))).toBeLessThan(Math.min(...spokes.map((s) => s.end)));
    expect(span(HUB).end).toBeLessThanOrEqual(Math.min(...spokes.map((s) => s.start)));
  }, 300_000);

  it('an unreachable Docker host fails its instance with exit 4; the others of its wave finish', async () => {
    const file = join(dir, 'fleet-down.yaml');
    writeFileSync(
      file,
      `fleet: down-${Date.now().toString(36)}
onGateFailure: halt
instances:
${on('QSA', 'shared')}${on(DOWN, `tcp://127.0.0.3:${await deadPort()}`)}${on('QSB', 'second')}waves:
  - [QSA, ${DOWN}, QSB]
`,
    );
    const fleet = (await loadFleet(file))._unsafeUnwrap();
    const report = (await orchestrateFleet(fleet, { state, pollIntervalMs: 200 }))._unsafeUnwrap();
    const byCode = Object.fromEntries(report.instances.map((i) => [i.instance, i]));
    expect(byCode[DOWN]?.exitCode).toBe(4);
    expect(JSON.stringify(byCode[DOWN]?.error)).toContain('RuntimeUnavailableError');
    expect(byCode['QSA']?.status).toBe('COMPLETE');
    expect(byCode['QSB']?.status).toBe('COMPLETE');
    expect(report.success).toBe(false);
  }, 300_000);
});
