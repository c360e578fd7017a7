// orchestrate() against the real Docker engine and real PostgreSQL: busybox containers built FROM scratch,
// network none, state and locks in a database made for this file.
import Docker from 'dockerode';
import {
  createTestDatabase,
  ensureBusyboxImage,
  instanceLabels,
  listLabelledContainers,
  removeLabelledContainers,
  type TestDatabase,
  uniqueSuffix,
} from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerRuntime } from '../runtime/docker-runtime.js';
import { postgresState } from '../postgres-state.js';
import type { StateBackend } from '../state.js';
import type { ServiceSpec, Topology } from '../topology/types.js';
import { down } from './down.js';
import { orchestrate } from './orchestrate.js';
import { rollback } from './rollback.js';
import { status } from './status.js';

const docker = new Docker();
let image: string;
let db: TestDatabase;
let state: StateBackend;
const instances: string[] = [];

const instance = (): string => {
  // three letters, unique per run so parallel runs never share containers
  const letters = uniqueSuffix()
    .replace(/[^a-z]/g, '')
    .toUpperCase()
    .padEnd(3, 'X');
  const code = letters.slice(-3);
  instances.push(code);
  return code;
};

const svc = (
  env: Record<string, string>,
  dependsOn: string[] = [],
  order: 'start-first' | 'stop-first' = 'stop-first',
): ServiceSpec => ({
  container: {
    image,
    network: 'none',
    environment: env,
    // A check that times out under load counts as a failure: a generous timeout, and 3 failures to turn unhealthy.
    healthcheck: { test: ['CMD', '/bin/health'], intervalMs: 200, timeoutMs: 5_000, retries: 3 },
    update: { order },
  },
  health: [{ type: 'docker' }],
  dependsOn,
  startTimeoutMs: 30_000, // generous: CI runs this beside the other int files on 2 cores
  retry: { policy: 'exponential', attempts: 2, baseMs: 100 },
});

const topology = (
  code: string,
  apiEnv: Record<string, string> = { HEALTH_MODE: 'pass' },
  order: 'start-first' | 'stop-first' = 'stop-first',
): Topology => ({
  instance: code,
  services: {
    db: svc({ HEALTH_MODE: 'flip', HEALTH_AFTER: '0.4' }, [], order),
    cache: svc({ HEALTH_MODE: 'pass' }, [], order),
    api: svc(apiEnv, ['db', 'cache'], order),
  },
});

const containersOf = async (code: string) =>
  (await listLabelledContainers(docker, instanceLabels(code))).map((c) => ({
    service: c.Labels['dive.service'],
    hash: c.Labels['dive.config-hash'],
    state: c.State,
  }));

beforeAll(async () => {
  image = await ensureBusyboxImage(docker);
  db = await createTestDatabase('orchdocker');
  state = postgresState(db.url);
}, 120_000);

afterAll(async () => {
  for (const code of instances) {
    await removeLabelledContainers(docker, instanceLabels(code));
  }
  await state[Symbol.asyncDispose]();
  await db.drop();
}, 60_000);

describe('orchestrate() on Docker with PostgreSQL state', () => {
  it('deploys, leaves an unchanged redeploy alone, rolls back manually, and tears down', async () => {
    const code = instance();
    const runtime = dockerRuntime({ docker });
    try {
      const first = (await orchestrate(topology(code), { runtime, state }))._unsafeUnwrap();
      expect(first.success).toBe(true);
      expect(first.status).toBe('COMPLETE');
      expect(first.services.map((s) => s.status)).toEqual(['healthy', 'healthy', 'healthy']);
      const running = await containersOf(code);
      expect(running).toHaveLength(3);
      expect(running.every((c) => c.state === 'running')).toBe(true);

      const same = (await orchestrate(topology(code), { runtime, state }))._unsafeUnwrap();
      expect(same.services.every((s) => s.status === 'unchanged')).toBe(true);

      // A new generation with a changed api, then scenario 4: back to the older checkpoint by hand.
      const v2 = (
        await orchestrate(topology(code, { HEALTH_MODE: 'pass', VERSION: '2' }), { runtime, state })
      )._unsafeUnwrap();
      expect(v2.success).toBe(true);
      const hashV2 = (await containersOf(code)).find((c) => c.service === 'api')?.hash;
      const back = (await rollback(code, {}, { runtime, state }))._unsafeUnwrap();
      expect(back.finalState).toBe('COMPLETE');
      expect(back.restored).toEqual(['api']);
      const hashBack = (await containersOf(code)).find((c) => c.service === 'api' && c.state === 'running')?.hash;
      expect(hashBack).not.toBe(hashV2);

      const st = (await status(code, { runtime, state }))._unsafeUnwrap();
      expect(st[0]?.state).toBe('COMPLETE');

      const gone = (await down(code, { runtime, state }))._unsafeUnwrap();
      expect(gone.status).toBe('UNKNOWN');
      expect(await containersOf(code)).toHaveLength(0);
      expect((await state.store.verifyAuditLog(code)).isOk()).toBe(true);
    } finally {
      await runtime[Symbol.asyncDispose]();
    }
  }, 240_000);

  it('scenario 1: a first deployment whose container exits is removed entirely; the state ends torn down', async () => {
    const code = instance();
    const runtime = dockerRuntime({ docker });
    try {
      const report = (
        await orchestrate(topology(code, { HEALTH_MODE: 'fail', EXIT_AFTER: '0.3', EXIT_CODE: '4' }), {
          runtime,
          state,
        })
      )._unsafeUnwrap();
      expect(report.success).toBe(false);
      expect(report.status).toBe('UNKNOWN');
      expect(report.services.find((s) => s.name === 'api')?.error?._tag).toMatch(/ContainerExitedError/);
      expect(await containersOf(code)).toHaveLength(0);
    } finally {
      await runtime[Symbol.asyncDispose]();
    }
  }, 240_000);

  it.each(['stop-first', 'start-first'] as const)(
    'scenario 2 (%s): a redeploy whose service never turns healthy restores the previous generation, healthy',
    async (order) => {
      const code = instance();
      const runtime = dockerRuntime({ docker });
      try {
        expect((await orchestrate(topology(code, undefined, order), { runtime, state }))._unsafeUnwrap().success).toBe(
          true,
        );
        const before = (await containersOf(code)).map((c) => `${c.service}:${c.hash}`).sort();
        const report = (
          await orchestrate(topology(code, { HEALTH_MODE: 'fail' }, order), { runtime, state })
        )._unsafeUnwrap();
        expect(report.success).toBe(false);
        expect(report.status).toBe('COMPLETE');
        // stop-first stopped the old api, which the rollback starts again; start-first never stopped it.
        expect(report.rollback?.restored).toEqual(order === 'stop-first' ? ['api'] : []);
        const after = (await containersOf(code))
          .filter((c) => c.state === 'running')
          .map((c) => `${c.service}:${c.hash}`)
          .sort();
        expect(after).toEqual(before);
      } finally {
        await runtime[Symbol.asyncDispose]();
      }
    },
    240_000,
  );

  it('a missing image is a clear error before anything starts', async () => {
    const code = instance();
    const runtime = dockerRuntime({ docker });
    try {
      const t: Topology = {
        instance: code,
        services: { x: { container: { image: 'dive-no-such-image:0', network: 'none' } } },
      };
      const r = await orchestrate(t, { runtime, state });
      expect(r._unsafeUnwrapErr()._tag).toBe('ImageMissingError');
      expect(r._unsafeUnwrapErr().code).toBe(3004);
    } finally {
      await runtime[Symbol.asyncDispose]();
    }
  }, 60_000);

  it('two deployments of one instance at once: the second fails with the lock error after lockTimeoutMs', async () => {
    const code = instance();
    const runtime = dockerRuntime({ docker });
    try {
      // The second starts once the first holds the lock, so which one waits is certain (started together, the
      // waiting one could be the first, which would then deploy after the second and succeed too).
      let second: ReturnType<typeof orchestrate> | undefined;
      const a = await orchestrate(topology(code), {
        runtime,
        state,
        onEvent: (e) => {
          if (e.type === 'lock-acquired') second = orchestrate(topology(code), { runtime, state, lockTimeoutMs: 200 });
        },
      });
      expect(second).toBeDefined();
      const b = await second!;
      const results = [a, b];
      expect(results.filter((r) => r.isOk())).toHaveLength(1);
      expect(results.find((r) => r.isErr())?._unsafeUnwrapErr()._tag).toBe('LockTimeoutError');
      await down(code, { runtime, state });
    } finally {
      await runtime[Symbol.asyncDispose]();
    }
  }, 240_000);
});
