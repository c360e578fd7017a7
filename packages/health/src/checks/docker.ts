import type { Clock } from '@dive/errors';
import type Docker from 'dockerode';
import { demux } from '../docker-logs.js';
import { makeCheck, timeoutSignal } from '../internal/timing.js';
import type { HealthCheck, HealthStatus } from '../result.js';

/** Target container: an id/name, or a dockerode Container. */
export interface DockerTarget {
  readonly docker: Docker;
  readonly container: string | Docker.Container;
}

function ref(t: DockerTarget): Docker.Container {
  return typeof t.container === 'string' ? t.docker.getContainer(t.container) : t.container;
}

async function inspectOrMissing(t: DockerTarget): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await ref(t).inspect();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

/**
 * Is the container running? Missing or exited → `unhealthy`.
 *
 * @param target - docker client and container id/name
 * @returns a {@link HealthCheck}
 */
export function containerRunning(target: DockerTarget): HealthCheck {
  return makeCheck(`container-running ${ref(target).id}`, async () => {
    const info = await inspectOrMissing(target);
    if (info === undefined) return { status: 'unhealthy', detail: 'container does not exist' };
    if (info.State.Running) return { status: 'healthy', detail: 'running' };
    return { status: 'unhealthy', detail: `${info.State.Status} (exit code ${info.State.ExitCode})` };
  });
}

/** Map Docker's `State.Health.Status` to a {@link HealthStatus}. */
export function mapDockerHealth(s: string | undefined): HealthStatus {
  if (s === 'healthy') return 'healthy';
  if (s === 'unhealthy') return 'unhealthy';
  if (s === 'starting') return 'starting';
  return 'unknown';
}

/**
 * Whether a container has a HEALTHCHECK, from its config (its own or its image's). `State.Health` is no answer:
 * Docker creates it only once the health monitor runs, a moment after the container is running, so a container
 * inspected in between would look as if it had none (and count as healthy because it runs). @internal
 */
export function hasHealthcheck(info: Docker.ContainerInspectInfo): boolean {
  const test = info.Config.Healthcheck?.Test;
  return test !== undefined && test.length > 0 && test[0] !== 'NONE';
}

/**
 * The image's HEALTHCHECK status. No HEALTHCHECK → `unknown`; missing or stopped container → `unhealthy`.
 *
 * @param target - docker client and container id/name
 * @returns a {@link HealthCheck} whose `output` is the last HEALTHCHECK output
 */
export function dockerHealth(target: DockerTarget): HealthCheck {
  return makeCheck(`docker-health ${ref(target).id}`, async () => {
    const info = await inspectOrMissing(target);
    if (info === undefined) return { status: 'unhealthy', detail: 'container does not exist' };
    if (!info.State.Running) return { status: 'unhealthy', detail: `container ${info.State.Status}` };
    const h = info.State.Health;
    if (h === undefined) {
      return hasHealthcheck(info)
        ? { status: 'starting', detail: 'docker health not started yet' }
        : { status: 'unknown', detail: 'no HEALTHCHECK defined' };
    }
    const last = h.Log.at(-1);
    return {
      status: mapDockerHealth(h.Status),
      detail: `docker health ${h.Status}`,
      ...(last === undefined ? {} : { output: last.Output }),
    };
  });
}

/**
 * Run a command in the container; exit code 0 → `healthy`. A command still running after `timeoutMs` (default
 * 5000 ms), or when the signal passed to `run` aborts, is `unhealthy` (its output so far is kept); the command
 * itself is left to finish in the container (Docker cannot kill an exec).
 *
 * @param target - docker client, container, `cmd`, `timeoutMs` and `clock` (default `systemClock`)
 * @returns a {@link HealthCheck} whose `output` is the command's combined output
 */
export function exec(
  target: DockerTarget & { readonly cmd: readonly string[]; readonly timeoutMs?: number; readonly clock?: Clock },
): HealthCheck {
  const timeoutMs = target.timeoutMs ?? 5000;
  if (!(timeoutMs > 0)) throw new RangeError(`exec: timeoutMs must be > 0, got ${String(timeoutMs)}`);
  return makeCheck(`exec ${target.cmd.join(' ')}`, async (parent) => {
    const c = ref(target);
    const ex = await c.exec({ Cmd: [...target.cmd], AttachStdout: true, AttachStderr: true });
    const stream = await ex.start({ hijack: true, stdin: false });
    const signal = timeoutSignal(timeoutMs, parent, target.clock);
    const chunks: Buffer[] = [];
    const finished = await new Promise<boolean>((resolve, reject) => {
      const stop = (): void => {
        stream.destroy();
        resolve(false);
      };
      if (signal.aborted) stop();
      signal.addEventListener('abort', stop, { once: true });
      stream.on('data', (b: Buffer) => chunks.push(b));
      stream.on('end', () => resolve(true));
      stream.on('close', () => resolve(true));
      stream.on('error', reject);
    });
    const output = demux(Buffer.concat(chunks));
    if (!finished) return { status: 'unhealthy', detail: `still running after ${String(timeoutMs)} ms`, output };
    const info = await ex.inspect();
    return info.ExitCode === 0
      ? { status: 'healthy', detail: 'exit code 0', output }
      : { status: 'unhealthy', detail: `exit code ${String(info.ExitCode)}`, output };
  });
}
