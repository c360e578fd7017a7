import { dockerClient, runTestContainer, type TestContainer } from '@dive/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { createDockerHealthWatcher, waitForHealthy, type HealthStatus } from './index.js';

const docker = dockerClient();
const started: TestContainer[] = [];
afterAll(async () => {
  await Promise.all(started.map((c) => c.remove()));
});

describe('watcher resilience', () => {
  it('reconnects when the event stream drops and still sees later transitions', async () => {
    const streams: { destroy(): void }[] = [];
    // a Docker client whose event streams we can cut
    const cut = new Proxy(docker, {
      get(target, prop, receiver) {
        if (prop === 'getEvents') {
          return async (o: object) => {
            const s = (await target.getEvents(o)) as unknown as { destroy(): void };
            streams.push(s);
            return s;
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    await using watcher = createDockerHealthWatcher({ docker: cut, reconcileMs: 60_000, reconnectMs: 50 });
    const c = await runTestContainer(docker, { healthMode: 'flip', healthAfter: 1.5, healthIntervalMs: 200 });
    started.push(c);
    const seen: HealthStatus[] = [];
    const stop = await watcher.watch(c.id, (s) => seen.push(s.health));
    streams[0]?.destroy();
    const r = await waitForHealthy({ docker: cut, container: c.id }, { watcher, deadlineMs: 20_000 });
    stop();
    expect(r.isOk()).toBe(true);
    expect(watcher.connections()).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toBe('healthy');
  });

  it('reports an OOM kill as ContainerOomError with exit code and logs', async () => {
    const c = await runTestContainer(docker, {
      healthMode: 'fail',
      healthIntervalMs: 300,
      memoryBytes: 16 * 1024 * 1024,
      cmd: ['sh', '-c', 'echo allocating; a=$(head -c 200000000 /dev/zero | tr "\\000" x); sleep 60'],
    });
    started.push(c);
    const r = await waitForHealthy({ docker, container: c.id }, { deadlineMs: 30_000 });
    const e = r._unsafeUnwrapErr();
    expect(e._tag).toBe('ContainerOomError');
    expect(e.context['exitCode']).toBe(137);
    expect(e.context['logs']).toContain('allocating');
  });
});
