// Set-up shared by the fleet tests on real Docker engines (fleet-kill, fleet-pause, fleet-hosts): the shared engine
// and an instance's containers on it, and the bed of a fleet over two engines (a second dockerd of the test's own
// with TLS, a test database, a temporary directory) with its clean-up. The topology and fleet file texts
// of busybox services are @dive/test-utils' (`busyboxTopology`, `tlsOf`), which bench/fleet uses too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import {
  createTestDatabase,
  instanceLabels,
  listLabelledContainers,
  removeInstances,
  startSecondDockerd,
  type SecondDockerd,
  type TestDatabase,
} from '@dive/test-utils';
import { afterAll, beforeAll } from 'vitest';
import { dockerRuntime } from '../runtime/docker-runtime.js';

/** The shared engine every test file may use at the same time (so instance codes must be rare and unique). */
export const sharedDocker = new Docker({ socketPath: '/var/run/docker.sock' });
/** The shared engine as a fleet file names it. */
export const SHARED_HOST = 'unix:///var/run/docker.sock';

/** The containers of an instance on an engine, stopped ones too. */
export const labelled = (docker: Docker, instance: string): Promise<Docker.ContainerInfo[]> =>
  listLabelledContainers(docker, instanceLabels(instance));

/** What {@link useTwoEngineFleet} sets up (there once the tests run). */
export interface TwoEngineFleet {
  /** The second engine: a dockerd of the test's own with a `--tlsverify` listener on 127.0.0.2. */
  readonly engine: SecondDockerd;
  readonly db: TestDatabase;
  /** The file's temporary directory (removed afterwards). */
  readonly dir: string;
}

/**
 * Register the `beforeAll` and `afterAll` of a fleet test over the shared engine and a second one: the second
 * engine, a test database named `label`, a temporary directory; afterwards every container of `codes` on the shared
 * engine (with their networks and volumes) is removed, the database dropped and the second engine stopped. Hooks the
 * file adds later run after this set-up and before this clean-up.
 */
export function useTwoEngineFleet(label: string, codes: readonly string[]): TwoEngineFleet {
  const dir = mkdtempSync(join(tmpdir(), `dive-${label}-`));
  let engine: SecondDockerd | undefined;
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    engine = await startSecondDockerd({ tls: true });
    db = await createTestDatabase(label);
  }, 240_000);
  afterAll(async () => {
    await using runtime = dockerRuntime({ docker: SHARED_HOST });
    const removeResources = async (code: string): Promise<void> => {
      await runtime.removeResources?.(code, { volumes: true });
    };
    await removeInstances(sharedDocker, codes, { volumes: true, removeResources }).catch(() => undefined);
    await db?.drop();
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);
  const set = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useTwoEngineFleet: no ${name} before beforeAll`);
    return value;
  };
  return {
    dir,
    get engine() {
      return set(engine, 'engine');
    },
    get db() {
      return set(db, 'database');
    },
  };
}
