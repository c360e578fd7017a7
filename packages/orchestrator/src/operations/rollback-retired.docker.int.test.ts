// On the real Docker engine, a changed service's predecessor is kept (stopped, renamed `<name>.retired`) until the
// deployment is verified, and a rollback brings back that very container, with what it wrote in its writable layer.
// Under both update orders; `down` leaves no retired container behind. Unique instances, removed afterwards.
import { execInContainer } from '@dive/test-utils';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/context.js';
import { useDockerTestBed } from '../runtime/docker-test-bed.test-helpers.js';
import type { ContainerSpec, Topology } from '../topology/types.js';
import { down } from './down.js';
import { orchestrate } from './orchestrate.js';
import { containersOf } from './rollback-docker.test-helpers.js';
import { rollback } from './rollback.js';

const bed = useDockerTestBed('dive-retired-');
const { docker, runtime, code } = bed;

/** `web` (changed by `generation`), and `late`, which depends on it and fails when `lateFails`. */
const topology = (
  instance: string,
  generation: string,
  order: 'start-first' | 'stop-first',
  lateFails = false,
): Topology => {
  const container = (env: Record<string, string>, more: Partial<ContainerSpec> = {}): ContainerSpec => ({
    image: bed.image,
    environment: { HEALTH_MODE: 'pass', ...env },
    update: { order },
    ...more,
  });
  return {
    instance,
    defaults: { retry: { policy: 'none', attempts: 1 }, startTimeoutMs: 90_000 },
    services: {
      web: { container: container({ GENERATION: generation }) },
      late: {
        container: container({ GENERATION: generation }, lateFails ? { entrypoint: ['/bin/sh', '-c', 'exit 3'] } : {}),
        dependsOn: ['web'],
      },
    },
  };
};

const webId = async (instance: string): Promise<string> => {
  const live = (await containersOf(docker, instance)).filter((c) => c.service === 'web' && c.state === 'running');
  expect(live).toHaveLength(1);
  return live[0]?.id ?? '';
};

/**
 * Deploy `one` (stop-first), write `/marker` into its web container, then deploy `two` with `late` failing and no
 * rollback: the instance ends FAILED with one's containers retired. Returns one's web container id.
 */
const leaveRetired = async (instance: string): Promise<string> => {
  const one = await orchestrate(topology(instance, 'one', 'stop-first'), { state: bed.state, runtime });
  expect(one._unsafeUnwrap().success).toBe(true);
  const oldId = await webId(instance);
  expect((await execInContainer(docker, oldId, ['/bin/sh', '-c', 'echo kept-by-one > /marker'])).exitCode).toBe(0);
  const two = await orchestrate(topology(instance, 'two', 'stop-first', true), {
    state: bed.state,
    runtime,
    rollback: 'never',
  });
  expect(two._unsafeUnwrap().status).toBe('FAILED');
  return oldId;
};

describe('Docker: the predecessor is retired until verified, and restored by a rollback', () => {
  it.each(['start-first', 'stop-first'] as const)(
    '%s: a failed update brings back the very same web container, with the file it wrote',
    async (order) => {
      const instance = code();
      const one = await orchestrate(topology(instance, 'one', order), { state: bed.state, runtime });
      expect(one._unsafeUnwrap().status).toBe('COMPLETE');
      const oldId = await webId(instance);
      expect((await execInContainer(docker, oldId, ['/bin/sh', '-c', 'echo kept-by-one > /marker'])).exitCode).toBe(0);

      // web changes and becomes healthy; late fails afterwards, so the whole deployment is rolled back.
      const seen: EngineEvent[] = [];
      const two = await orchestrate(topology(instance, 'two', order, true), {
        state: bed.state,
        runtime,
        onEvent: (e) => seen.push(e),
      });
      const report = two._unsafeUnwrap();
      expect(report.success).toBe(false);
      expect(report.status).toBe('COMPLETE');
      expect(report.rollback?.restored).toContain('web');
      // web was replaced (its predecessor retired) before late failed
      expect(seen.some((e) => e.type === 'service-stopped' && e.service === 'web')).toBe(true);

      expect(await webId(instance)).toBe(oldId);
      expect((await execInContainer(docker, oldId, ['/bin/cat', '/marker'])).output.trim()).toBe('kept-by-one');
      const left = await containersOf(docker, instance);
      expect(left.filter((c) => c.name.endsWith('.retired'))).toEqual([]);
      expect(left.filter((c) => c.service === 'web')).toHaveLength(1);
    },
    400_000,
  );

  it('a verified update removes the retired container; start-first kept the old one running until then', async () => {
    const instance = code();
    expect(
      (await orchestrate(topology(instance, 'one', 'start-first'), { state: bed.state, runtime }))._unsafeUnwrap()
        .success,
    ).toBe(true);
    const oldId = await webId(instance);
    const oldRunningWhenNewHealthy: Promise<boolean>[] = [];
    const two = await orchestrate(topology(instance, 'two', 'start-first'), {
      state: bed.state,
      runtime,
      onEvent: (e) => {
        if (e.type === 'service-healthy' && e.service === 'web') {
          oldRunningWhenNewHealthy.push(
            docker
              .getContainer(oldId)
              .inspect()
              .then((i) => i.State.Running),
          );
        }
      },
    });
    expect(two._unsafeUnwrap().status).toBe('COMPLETE');
    expect(await Promise.all(oldRunningWhenNewHealthy)).toEqual([true]);
    expect(await webId(instance)).not.toBe(oldId);
    const all = await containersOf(docker, instance);
    expect(all.some((c) => c.id === oldId)).toBe(false);
    expect(all.filter((c) => c.name.endsWith('.retired'))).toEqual([]);
  }, 400_000);

  it('without a rollback the retired container stays out of list(), and down removes it', async () => {
    const instance = code();
    const oldId = await leaveRetired(instance);
    const retired = (await containersOf(docker, instance)).filter((c) => c.name.endsWith('.retired'));
    // web's and late's predecessors (both changed), stopped and set aside
    expect(retired.map((c) => c.service).sort()).toEqual(['late', 'web']);
    expect(retired.map((c) => c.id)).toContain(oldId);
    expect(retired.every((c) => c.state !== 'running')).toBe(true);
    const listed = (await runtime.list(instance))._unsafeUnwrap();
    expect(listed.some((h) => h.id === oldId)).toBe(false);
    const gone = (await down(instance, { state: bed.state, runtime }))._unsafeUnwrap();
    expect(gone.status).toBe('UNKNOWN');
    expect(await containersOf(docker, instance)).toEqual([]);
  }, 400_000);

  it('after a deployment that left its predecessors retired, a manual rollback brings back those very containers', async () => {
    const instance = code();
    const oldId = await leaveRetired(instance);

    const back = (await rollback(instance, {}, { state: bed.state, runtime }))._unsafeUnwrap();
    expect(back.finalState).toBe('COMPLETE');
    expect(await webId(instance)).toBe(oldId);
    expect((await execInContainer(docker, oldId, ['/bin/cat', '/marker'])).output.trim()).toBe('kept-by-one');
    expect((await containersOf(docker, instance)).filter((c) => c.name.endsWith('.retired'))).toEqual([]);
  }, 400_000);

  it('the next verified deployment removes what an earlier one left retired', async () => {
    const instance = code();
    await leaveRetired(instance);
    expect((await containersOf(docker, instance)).some((c) => c.name.endsWith('.retired'))).toBe(true);

    const three = await orchestrate(topology(instance, 'three', 'stop-first'), { state: bed.state, runtime });
    expect(three._unsafeUnwrap().status).toBe('COMPLETE');
    const left = await containersOf(docker, instance);
    expect(left.filter((c) => c.name.endsWith('.retired'))).toEqual([]);
    expect(left.map((c) => c.service).sort()).toEqual(['late', 'web']);
  }, 400_000);
});
