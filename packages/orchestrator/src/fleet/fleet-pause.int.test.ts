// Pause from another process (issue 17), on the real Docker engine and one PostgreSQL store: a built
// `dive fleet deploy` of a hub (db → api) and two spokes in a second wave is paused by `dive fleet pause` while the
// hub's db is starting. The start in flight finishes, nothing new starts (the db is the only container made before
// the resume), the run is PAUSED in `dive fleet status --json`; `dive fleet resume` lets the
// same deploy finish, and no instance is deployed twice (checked from the state store's transition rows and the
// containers: the hub's db is the one made before the pause).
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FleetPause, FleetRun } from '@dive/state-db';
import {
  busyboxTopology,
  createTestDatabase,
  ensureBusyboxImage,
  removeInstances,
  waitFor,
  type TestDatabase,
} from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dive, isEvent, requireBuiltBin, spawnDive, tempDir, type RunningDive } from '../cli/faults.test-helpers.js';
import { postgresState } from '../postgres-state.js';
import type { StateBackend } from '../state.js';
import { labelled, SHARED_HOST, sharedDocker } from './docker-fleet.test-helpers.js';
import type { FleetReport } from './report.js';

const HUB = 'QPA';
const SPOKES = ['QPB', 'QPC'];
const codes = [HUB, ...SPOKES];
let db: TestDatabase;
let state: StateBackend;
let dir: string;
let deploy: RunningDive | undefined;

beforeAll(async () => {
  requireBuiltBin();
  dir = tempDir('fleet-pause');
  db = await createTestDatabase('fleet-pause');
  state = postgresState(db.url);
  const image = await ensureBusyboxImage(sharedDocker);
  // the hub's db takes 12 s to turn healthy: the pause lands while it starts, before its api may start
  writeFileSync(
    join(dir, 'hub.yaml'),
    busyboxTopology(image, [
      { name: 'db', healthyAfterS: 12 },
      { name: 'api', healthyAfterS: 1, dependsOn: ['db'] },
    ]),
  );
  writeFileSync(join(dir, 'spoke.yaml'), busyboxTopology(image, [{ name: 'api', healthyAfterS: 1 }]));
  writeFileSync(
    join(dir, 'fleet.yaml'),
    `fleet: pause-${Date.now().toString(36)}
instances:
  ${HUB}: { topology: hub.yaml, docker: ${SHARED_HOST} }
${SPOKES.map((c) => `  ${c}: { topology: spoke.yaml, docker: ${SHARED_HOST} }\n`).join('')}waves:
  - [${HUB}]
  - { instances: [${SPOKES.join(', ')}], maxParallel: 2 }
`,
  );
}, 240_000);

afterAll(async () => {
  if (deploy !== undefined && deploy.child.exitCode === null) {
    deploy.child.kill('SIGKILL');
    await deploy.exited;
  }
  await removeInstances(sharedDocker, codes, { volumes: true });
  await state?.[Symbol.asyncDispose]();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 180_000);

/** `dive --json --state DB fleet ACTION -f fleet.yaml` from its own process, to the end; its JSON output. */
function fleet(action: string): unknown {
  const r = dive(dir, ['--json', '--state', db.url, 'fleet', action, '-f', 'fleet.yaml']);
  expect(r.code, `dive fleet ${action}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as unknown;
}

interface Status {
  readonly run: FleetRun | null;
  readonly pause: FleetPause;
}

/** Whether the deploy has printed the progress event (at any time so far). */
const printed = (d: RunningDive, type: string, fields: Record<string, unknown>): boolean =>
  d
    .stderr()
    .split('\n')
    .some((l) => isEvent(l, type, fields));

interface Made {
  readonly instance: string;
  readonly service: string;
  readonly id: string;
  readonly created: number;
}

/** Each container of the instances: its instance, service, id and when the engine created it (epoch ms). */
async function containers(): Promise<Made[]> {
  const all: Made[] = [];
  for (const code of codes) {
    for (const c of await labelled(sharedDocker, code)) {
      const info = await sharedDocker.getContainer(c.Id).inspect();
      all.push({
        instance: code,
        service: c.Labels['dive.service'] ?? '?',
        id: c.Id,
        created: Date.parse(info.Created),
      });
    }
  }
  return all;
}

describe('dive fleet pause from another process, on a real engine', () => {
  it('stops new starts within 1 s; the run is PAUSED; resume finishes it, deploying no instance twice', async () => {
    deploy = spawnDive(dir, ['--progress', 'json', '--json', '--state', db.url, 'fleet', 'deploy', '-f', 'fleet.yaml']);
    const running = deploy;
    // pause once the hub's db container exists (its start is in flight: it turns healthy 12 s later)
    await waitFor('the hub db container', async () => (await labelled(sharedDocker, HUB)).length > 0, 120_000, 100);
    const paused = fleet('pause') as FleetPause;
    expect(paused.paused).toBe(true);

    // the start in flight finishes, then the hub's deployment ends PAUSED and the run waits
    await waitFor(
      'the hub to end PAUSED',
      () =>
        printed(running, 'instance-finished', {
          instance: HUB,
          status: 'PAUSED',
        }),
      120_000,
      100,
    );
    expect(printed(running, 'fleet-paused', {})).toBe(true);
    const status = await waitFor(
      'the run to be PAUSED in dive fleet status',
      () => {
        const s = fleet('status') as Status;
        return s.run?.state === 'PAUSED' ? s : undefined;
      },
      30_000,
      500,
    );
    expect(status.pause).toMatchObject({ paused: true });
    expect(status.run?.instances.map((i) => [i.instance, i.status])).toEqual([
      [HUB, 'PAUSED'],
      [SPOKES[0], 'PENDING'],
      [SPOKES[1], 'PENDING'],
    ]);
    const whilePaused = await containers();
    expect(whilePaused.map((c) => `${c.instance}/${c.service}`)).toEqual([`${HUB}/db`]);
    const db0 = whilePaused[0];

    const resumed = fleet('resume') as FleetPause;
    const resumeAt = resumed.at ?? Number.NaN;
    expect(await running.exited, running.stderr()).toBe(0);
    const report = JSON.parse(running.stdout()) as FleetReport;
    expect(report.state).toBe('COMPLETE');
    expect(report.instances.map((i) => [i.instance, i.status, i.skipped ?? false])).toEqual([
      [HUB, 'COMPLETE', false],
      [SPOKES[0], 'COMPLETE', false],
      [SPOKES[1], 'COMPLETE', false],
    ]);
    expect(printed(running, 'fleet-resumed', {})).toBe(true);

    // no service started between the pause and the resume: the hub's db (there before the pause, the one container
    // while paused) is kept, and every other container was made after the resume
    const all = await containers();
    expect(all.map((c) => `${c.instance}/${c.service}`).sort()).toEqual([
      `${HUB}/api`,
      `${HUB}/db`,
      `${SPOKES[0]}/api`,
      `${SPOKES[1]}/api`,
    ]);
    expect(all.find((c) => c.service === 'db')?.id).toBe(db0?.id);
    const early = all.filter((c) => c.id !== db0?.id && c.created < resumeAt);
    expect(early.map((c) => `${c.instance}/${c.service}: ${resumeAt - c.created} ms before the resume`)).toEqual([]);

    // the store's transition rows: each instance reached COMPLETE once; only the hub's first deployment paused
    for (const code of codes) {
      const rows = (await state.store.history(code, { limit: 200 }))._unsafeUnwrap();
      const complete = rows.filter((r) => r.to === 'COMPLETE');
      const pausedRows = rows.filter((r) => r.to === 'FAILED' && r.reason === 'paused');
      expect(complete, `${code}: ${JSON.stringify(rows.map((r) => [r.to, r.reason]))}`).toHaveLength(1);
      expect(pausedRows, code).toHaveLength(code === HUB ? 1 : 0);
      const deployments = new Set(rows.map((r) => r.deploymentId).filter((d) => d !== null));
      expect(deployments.size, code).toBe(code === HUB ? 2 : 1);
    }
    const final = fleet('status') as Status;
    expect(final.run?.state).toBe('COMPLETE');
    expect(final.pause.paused).toBe(false);
  }, 300_000);
});
