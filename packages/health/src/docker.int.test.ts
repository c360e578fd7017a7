import { createFakeClock } from '@dive/errors/testing';
import {
  dockerClient,
  ensureBusyboxImage,
  runTestContainer,
  TEST_LABEL,
  waitFor,
  type TestContainer,
} from '@dive/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import {
  containerRunning,
  createDockerHealthWatcher,
  custom,
  dockerHealth,
  exec,
  layered,
  waitForHealthy,
} from './index.js';

const docker = dockerClient();
const started: TestContainer[] = [];
async function run(o: Parameters<typeof runTestContainer>[1]): Promise<TestContainer> {
  const c = await runTestContainer(docker, o);
  started.push(c);
  return c;
}
afterAll(async () => {
  await Promise.all(started.map((c) => c.remove()));
});

describe('checks against real containers', () => {
  it('reports healthy, unknown without HEALTHCHECK, and unhealthy for a missing container', async () => {
    const c = await run({ healthMode: 'pass', healthIntervalMs: 200 });
    expect((await containerRunning({ docker, container: c.id }).run()).status).toBe('healthy');
    const missing = await layered([
      containerRunning({ docker, container: 'dive-no-such-container' }),
      dockerHealth({ docker, container: 'x' }),
    ]).run();
    expect(missing.status).toBe('unhealthy');
    expect(missing.detail).toMatch(/does not exist/);
    const noneC = await docker.createContainer({
      Image: await ensureBusyboxImage(docker),
      Labels: { [TEST_LABEL]: 'true' },
      Healthcheck: { Test: ['NONE'] },
      HostConfig: { NetworkMode: 'none' },
    });
    started.push({ id: noneC.id, name: noneC.id, container: noneC, remove: () => noneC.remove({ force: true }) });
    await noneC.start();
    expect((await dockerHealth({ docker, container: noneC.id }).run()).status).toBe('unknown');
    // best signal first: no HEALTHCHECK (unknown) falls through to the endpoint, which decides
    const fell = await layered([
      dockerHealth({ docker, container: noneC.id }),
      custom('endpoint', () => Promise.resolve(true)),
      containerRunning({ docker, container: noneC.id }),
    ]).run();
    expect(fell.status).toBe('healthy');
    expect(fell.check).toMatch(/: endpoint$/);
    const running = await waitForHealthy({ docker, container: noneC.id }, { deadlineMs: 5000 });
    expect(running._unsafeUnwrap().runningOnly).toBe(true);
    // a generous timeout: under load the exec itself can take more than the default 5 s
    const r = await exec({ docker, container: c.id, cmd: ['sh', '-c', 'echo hi; exit 3'], timeoutMs: 60_000 }).run();
    expect(r.status).toBe('unhealthy');
    expect(r.output).toContain('hi');
    expect(r.detail).toContain('3');
    // the timeout runs on a fake clock: moved once the command runs, so the command cannot have finished first
    const clock = createFakeClock();
    const slowRun = exec({
      docker,
      container: c.id,
      cmd: ['sh', '-c', 'echo waiting; sleep 60'],
      timeoutMs: 300,
      clock,
    }).run();
    await waitFor('the exec to start', () => clock.pendingTimers() > 0);
    clock.advance(300);
    const slow = await slowRun;
    expect([slow.status, slow.detail]).toEqual(['unhealthy', 'still running after 300 ms']);
    expect(() => exec({ docker, container: c.id, cmd: ['true'], timeoutMs: -1 })).toThrow(RangeError);
  });
});

describe('waitForHealthy with the watcher', () => {
  it('resolves shortly after a flipping container turns healthy, over one event stream', async () => {
    await using watcher = createDockerHealthWatcher({ docker, reconcileMs: 60_000 });
    const cs = await Promise.all(
      [1, 2, 3].map(() => run({ healthMode: 'flip', healthAfter: 1, healthIntervalMs: 200 })),
    );
    const results = await Promise.all(
      cs.map((c) => waitForHealthy({ docker, container: c.id }, { watcher, deadlineMs: 90_000 })),
    );
    for (const r of results) expect(r.isOk(), r.isErr() ? r.error.message : '').toBe(true);
    expect(watcher.connections()).toBe(1);
    // one events subscription + one inspect per container (+ none per 100 ms)
    expect(watcher.apiCalls()).toBeLessThanOrEqual(1 + cs.length);
  }, 150_000);

  it('fails at once with the logs when the container exits mid-wait', async () => {
    const c = await run({
      healthMode: 'fail',
      healthIntervalMs: 200,
      env: { EXIT_AFTER: '1', EXIT_CODE: '7', LOG_LINES: '60' },
    });
    // a fake clock that never moves: the deadline cannot end this wait, only the exit can
    const r = await waitForHealthy({ docker, container: c.id }, { deadlineMs: 30_000, clock: createFakeClock() });
    expect(r.isErr()).toBe(true);
    const e = r._unsafeUnwrapErr();
    expect(e._tag).toBe('ContainerExitedError');
    expect(e.context['exitCode']).toBe(7);
    const logs = e.context['logs'] as string[];
    expect(logs.length).toBe(50);
    expect(logs.every((l) => !l.includes('\u0000'))).toBe(true);
  });

  it('fails at the first unhealthy when asked, times out otherwise, and honours abort', async () => {
    const c = await run({ healthMode: 'fail', healthIntervalMs: 200 });
    const failed = await waitForHealthy({ docker, container: c.id }, { deadlineMs: 20_000, failOnUnhealthy: true });
    expect(failed._unsafeUnwrapErr()._tag).toBe('HealthCheckFailedError');
    const timedOut = await waitForHealthy({ docker, container: c.id }, { deadlineMs: 800 });
    expect(timedOut._unsafeUnwrapErr()._tag).toBe('HealthTimeoutError');
    expect((timedOut._unsafeUnwrapErr().context['lastOutputs'] as string[]).length).toBeGreaterThan(0);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const aborted = await waitForHealthy({ docker, container: c.id }, { deadlineMs: 20_000, signal: ac.signal });
    expect(aborted._unsafeUnwrapErr()._tag).toBe('CancelledError');
  });
});
