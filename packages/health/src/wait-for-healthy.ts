import { CancelledError, type Clock, systemClock } from '@dive/errors';
import { err, errAsync, ok, ResultAsync, type Result } from 'neverthrow';
import type { DockerTarget } from './checks/docker.js';
import {
  ContainerExitedError,
  ContainerOomError,
  HealthCheckFailedError,
  HealthTimeoutError,
  RuntimeUnavailableError,
} from './errors.js';
import { lastLogLines } from './docker-logs.js';
import { sleep, timeoutSignal } from './internal/timing.js';
import type { HealthCheck, HealthResult } from './result.js';
import { createDockerHealthWatcher, type ContainerHealthState, type DockerHealthWatcher } from './watcher.js';

/** Options of {@link waitForHealthy}. */
export interface WaitForHealthyOptions {
  /** Give up after this long (default 60 000 ms). */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  /** A shared watcher (recommended when waiting on many containers); else one is created and closed. */
  readonly watcher?: DockerHealthWatcher;
  /** `true`: fail at the first `unhealthy`; `false` (default, like Compose): keep waiting until the deadline. */
  readonly failOnUnhealthy?: boolean;
  /** For a {@link HealthCheck} target: how often to run it (default 100 ms). */
  readonly intervalMs?: number;
  /**
   * Runs the deadline and the check interval, and measures `elapsedMs`. Default `systemClock`; a watcher made here
   * gets it too. Tests pass `createFakeClock()` from `@dive/errors/testing`.
   */
  readonly clock?: Clock;
}

/** What {@link waitForHealthy} resolves with. */
export interface HealthyReport {
  readonly target: string;
  readonly elapsedMs: number;
  /** `true` when the container has no HEALTHCHECK and running was taken as healthy. */
  readonly runningOnly: boolean;
  readonly lastOutputs: readonly string[];
}

/** Every error {@link waitForHealthy} can return. */
export type WaitForHealthyError =
  | HealthTimeoutError
  | HealthCheckFailedError
  | ContainerExitedError
  | ContainerOomError
  | RuntimeUnavailableError
  | CancelledError;

function isDockerTarget(t: DockerTarget | HealthCheck): t is DockerTarget {
  return 'docker' in t;
}

/**
 * Wait until a container (through Docker events) or any {@link HealthCheck} is healthy. A container that exits
 * or is OOM-killed ends the wait at once; the error context has `exitCode`, `lastOutputs` and `logs` (last 50
 * lines). A container without HEALTHCHECK counts as healthy once running.
 *
 * @param target - `{ docker, container }` or a check
 * @param options - deadline, signal, watcher, unhealthy policy, interval, clock
 * @returns Ok {@link HealthyReport}; Err `HealthTimeoutError` | `HealthCheckFailedError` | `ContainerExitedError`
 *   | `ContainerOomError` | `RuntimeUnavailableError` | `CancelledError`
 * @example
 * ```ts
 * const r = await waitForHealthy({ docker, container: 'db' }, { deadlineMs: 30_000 });
 * if (r.isErr()) console.error(r.error.message, r.error.context);
 * ```
 */
export function waitForHealthy(
  target: DockerTarget | HealthCheck,
  options: WaitForHealthyOptions = {},
): ResultAsync<HealthyReport, WaitForHealthyError> {
  if (options.signal?.aborted === true) return errAsync(new CancelledError('waitForHealthy aborted before it started'));
  const p = isDockerTarget(target) ? waitDocker(target, options) : waitCheck(target, options);
  return new ResultAsync(p);
}

type Outcome = Result<HealthyReport, WaitForHealthyError>;

async function waitDocker(target: DockerTarget, options: WaitForHealthyOptions): Promise<Outcome> {
  const name = typeof target.container === 'string' ? target.container : target.container.id;
  const deadlineMs = options.deadlineMs ?? 60_000;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const own = options.watcher === undefined;
  const watcher = options.watcher ?? createDockerHealthWatcher({ docker: target.docker, clock });
  let last: ContainerHealthState | undefined;
  let watching: Promise<() => void> | undefined;
  let timer: unknown;
  let onAbort: (() => void) | undefined;
  try {
    const settled = await new Promise<ContainerHealthState | 'timeout' | 'aborted' | { error: unknown }>((resolve) => {
      timer = clock.setTimeout(() => resolve('timeout'), deadlineMs);
      onAbort = () => resolve('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      watching = watcher.watch(name, (s) => {
        last = s;
        if (s.health === 'healthy' || (!s.hasHealthcheck && s.running) || !s.running || s.missing) resolve(s);
        else if (s.health === 'unhealthy' && options.failOnUnhealthy === true) resolve(s);
      });
      watching.catch((e: unknown) => resolve({ error: e }));
    });
    const elapsedMs = clock.now() - started;
    if (settled === 'timeout') {
      return err(
        new HealthTimeoutError(
          `container ${name} not healthy within ${String(deadlineMs)} ms (last: ${last?.health ?? 'none'})`,
          {
            context: { container: name, deadlineMs, lastOutputs: last?.lastOutputs ?? [] },
          },
        ),
      );
    }
    if (settled === 'aborted')
      return err(new CancelledError(`waiting for container ${name} was aborted`, { context: { container: name } }));
    if ('error' in settled) {
      return err(
        new RuntimeUnavailableError(`cannot follow container ${name}: Docker unreachable`, {
          cause: settled.error,
          context: { container: name },
        }),
      );
    }
    const s = settled;
    if (s.missing) {
      return err(
        new ContainerExitedError(`container ${name} does not exist`, {
          context: { container: name, exitCode: undefined, lastOutputs: [], logs: [] },
        }),
      );
    }
    if (!s.running) {
      const container = typeof target.container === 'string' ? target.docker.getContainer(s.id) : target.container;
      const logs = await lastLogLines(container, 50);
      const context = { container: name, exitCode: s.exitCode, lastOutputs: s.lastOutputs, logs };
      return err(
        s.oomKilled
          ? new ContainerOomError(`container ${name} was OOM-killed while waiting for health`, { context })
          : new ContainerExitedError(
              `container ${name} exited with code ${String(s.exitCode)} while waiting for health`,
              { context },
            ),
      );
    }
    if (s.health === 'unhealthy') {
      return err(
        new HealthCheckFailedError(`container ${name} reported unhealthy: ${s.lastOutputs.at(-1) ?? ''}`, {
          context: { container: name, lastOutputs: s.lastOutputs },
        }),
      );
    }
    return ok({ target: name, elapsedMs, runningOnly: !s.hasHealthcheck, lastOutputs: s.lastOutputs });
  } finally {
    clock.clearTimeout(timer);
    if (onAbort !== undefined) options.signal?.removeEventListener('abort', onAbort);
    // the verdict can come from inside watch(), before its unsubscribe function is returned
    (await watching?.catch(() => undefined))?.();
    if (own) await watcher.close();
  }
}

async function waitCheck(check: HealthCheck, options: WaitForHealthyOptions): Promise<Outcome> {
  const deadlineMs = options.deadlineMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const outputs: string[] = [];
  const signal = timeoutSignal(deadlineMs, options.signal, clock);
  let last: HealthResult | undefined;
  while (!signal.aborted) {
    last = await check.run(signal);
    outputs.push(last.output ?? last.detail);
    if (outputs.length > 5) outputs.shift();
    if (last.status === 'healthy')
      return ok({
        target: check.name,
        elapsedMs: clock.now() - started,
        runningOnly: false,
        lastOutputs: outputs,
      });
    if (last.status === 'unhealthy' && options.failOnUnhealthy === true) {
      return err(
        new HealthCheckFailedError(`${check.name} unhealthy: ${last.detail}`, {
          context: { check: check.name, lastOutputs: outputs },
        }),
      );
    }
    await sleep(clock, intervalMs, signal);
  }
  if (options.signal?.aborted === true)
    return err(new CancelledError(`waiting for ${check.name} was aborted`, { context: { check: check.name } }));
  return err(
    new HealthTimeoutError(
      `${check.name} not healthy within ${String(deadlineMs)} ms (last: ${last?.detail ?? 'none'})`,
      {
        context: { check: check.name, deadlineMs, lastOutputs: outputs },
      },
    ),
  );
}
