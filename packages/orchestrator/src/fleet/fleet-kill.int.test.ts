// kill -9 of the orchestrating `dive fleet deploy` mid-fleet (issue 17), on two real Docker engines (the shared one
// and a second dockerd over TLS) and one PostgreSQL store: a second `dive fleet deploy` from another process
// completes what is left and deploys no instance twice (the first wave's instance is skipped, its container kept).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { busyboxTopology, tlsOf, type SecondDockerd, type TestDatabase } from '@dive/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { dive, isEvent, requireBuiltBin, spawnDive } from '../cli/faults.test-helpers.js';
import { labelled, SHARED_HOST, sharedDocker as shared, useTwoEngineFleet } from './docker-fleet.test-helpers.js';

let engine: SecondDockerd;
let db: TestDatabase;
const codes = ['QKA', 'QKB', 'QKC'];
const bed = useTwoEngineFleet('fleet-kill', codes);
const dir = bed.dir;

beforeAll(() => {
  requireBuiltBin();
  ({ engine, db } = bed);
  const spoke = (after: number) => busyboxTopology(engine.image, [{ name: 'api', healthyAfterS: after }]);
  writeFileSync(join(dir, 'fast.yaml'), spoke(1));
  writeFileSync(join(dir, 'slow.yaml'), spoke(8));
  writeFileSync(
    join(dir, 'fleet.yaml'),
    `fleet: kill
instances:
  QKA: { topology: fast.yaml, docker: ${SHARED_HOST} }
  QKB: { topology: slow.yaml, docker: ${engine.url}, tls: ${tlsOf(engine)} }
  QKC: { topology: slow.yaml, docker: ${SHARED_HOST} }
waves:
  - [QKA]
  - [QKB, QKC]
`,
  );
});

describe('kill -9 of the orchestrating process', () => {
  it('a new dive fleet deploy completes what is left and deploys no instance twice', async () => {
    const args = ['--state', db.url, 'fleet', 'deploy', '-f', join(dir, 'fleet.yaml')];
    const first = spawnDive(dir, ['--progress', 'json', ...args]);
    // both waiters at once: the two lines often arrive in one chunk, and a waiter sees only lines after it was set
    const qkaDone = first.until((l) => isEvent(l, 'instance-finished', { instance: 'QKA', status: 'COMPLETE' }));
    const qkbStarted = first.until((l) => isEvent(l, 'instance-started', { instance: 'QKB' }));
    await qkaDone;
    await qkbStarted;
    const [kept] = await labelled(shared, 'QKA');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = dive(dir, ['--json', ...args]);
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout) as {
      state: string;
      resumed: boolean;
      instances: { instance: string; status: string; skipped?: boolean }[];
    };
    expect(report.state).toBe('COMPLETE');
    expect(report.resumed).toBe(true);
    const qka = report.instances.find((i) => i.instance === 'QKA');
    expect(qka).toMatchObject({ status: 'COMPLETE', skipped: true });
    // QKA's container is the one the killed run made: not deployed again
    expect((await labelled(shared, 'QKA')).map((c) => c.Id)).toEqual([kept?.Id]);
    expect(await labelled(engine.docker, 'QKB')).toHaveLength(1);
    expect((await labelled(shared, 'QKC')).filter((c) => c.State === 'running')).toHaveLength(1);
  }, 300_000);
});
