import { CancelledError, systemClock, type Clock, type DiveError } from '@dive/errors';
import type { DiveMetrics } from '@dive/metrics';
import {
  createDockerHealthWatcher,
  custom,
  HealthTimeoutError,
  layered,
  waitForHealthy,
  type DockerHealthWatcher,
  type HealthCheck,
} from '@dive/health';
import { okAsync, ResultAsync } from 'neverthrow';
import type { HealthWaiter } from '../engine/ports.js';
import { ContainerExitedError } from '../runtime/errors.js';
import type { Runtime, ServiceHandle, ServiceStatus } from '../runtime/types.js';
import type { HealthCheckSpec } from '../topology/types.js';
import { toCheck, type CheckAnswer } from './check-once.js';

/** Options of {@link createHealthWaiter}. */
export interface HealthWaiterOptions {
  readonly metrics?: DiveMetrics;
  readonly env?: NodeJS.ProcessEnv;
  /** First poll interval; it grows by half each poll up to `maxIntervalMs`. Default 10 ms. */
  readonly minIntervalMs?: number;
  /** Default 100 ms: a ready container is noticed ~50 ms late on average, at 10 checks a second at most. */
  readonly maxIntervalMs?: number;
  /**
   * The cap for a runtime without Docker (local processes), whose checks are cheap loopback calls. Default 20 ms:
   * a ready process is noticed ~10 ms late on average, at 50 checks a second at most.
   */
  readonly localMaxIntervalMs?: number;
  /** Times the polls and the deadline. Default `systemClock`. */
  readonly clock?: Clock;
}

type WaitOptions = Parameters<HealthWaiter['wait']>[3];
type Exited = Extract<ServiceStatus, { state: 'exited' }>;

/**
 * The checks of a service as one @dive/health `layered` check (one meaning of layers for the SDK: the first
 * conclusive answer wins, `unknown` falls through). The first layer is the runtime's status: not running is
 * `unhealthy`, running is `unknown` (the next layers decide). All layers `unknown` means running is all we can
 * know, which counts as healthy.
 */
function layersOf(runtime: Runtime, handle: ServiceHandle, checks: readonly HealthCheckSpec[], env: NodeJS.ProcessEnv) {
  const running = custom('running', async () => {
    const st = await runtime.status(handle);
    if (st.isErr()) return { status: 'unhealthy', detail: st.error.message };
    return st.value.state === 'running' ? 'unknown' : { status: 'unhealthy', detail: st.value.state };
  });
  const target = { ...(runtime.docker === undefined ? {} : { docker: runtime.docker }), containerId: handle.id };
  const rest = checks
    .filter((c) => c.type !== 'running')
    .map((spec) => toCheck(spec, target, env))
    .filter((c): c is HealthCheck => 'run' in c);
  const check = layered([running, ...rest]);
  return async (): Promise<CheckAnswer> => {
    try {
      const r = await check.run();
      if (r.status === 'unknown') return { status: 'healthy', check: 'running', output: 'running' };
      return { status: r.status, check: r.check, output: (r.output ?? r.detail).trim() };
    } catch (e) {
      return { status: 'unhealthy', check: 'layered', output: (e as Error).message };
    }
  };
}

/**
 * Wait until a service is healthy through its layered checks, polling fast at first (10 ms) and backing off (× 1.5
 * up to 100 ms for containers, 20 ms for local processes), and fail at once — with the exit code and the last 50 log lines — if it exits meanwhile. An
 * unhealthy answer keeps waiting until the deadline (a service may still be starting), like Compose. A job is done
 * when it exits 0. A container whose first check is its Docker HEALTHCHECK is followed through the runtime's one
 * Docker events watcher (`runtime.dockerWatcher`).
 * @param options - metrics, env for secret headers, poll intervals (Docker and local caps), clock
 * @returns a HealthWaiter: `wait` gives Ok('healthy' | 'completed'); Err `HealthTimeoutError`,
 *   `ContainerExitedError`, `CancelledError`, or @dive/health's waitForHealthy errors
 */
export function createHealthWaiter(options: HealthWaiterOptions = {}): HealthWaiter & AsyncDisposable {
  let ownWatcher: DockerHealthWatcher | undefined;
  const clock = options.clock ?? systemClock;
  const minInterval = options.minIntervalMs ?? 10;
  const maxInterval = options.maxIntervalMs ?? 100;
  const localMaxInterval = options.localMaxIntervalMs ?? Math.max(minInterval, Math.min(20, maxInterval));
  if (!(minInterval > 0) || !(maxInterval >= minInterval) || !(localMaxInterval >= minInterval))
    throw new RangeError(
      `createHealthWaiter: need 0 < minIntervalMs <= maxIntervalMs and localMaxIntervalMs, got ${minInterval}, ${maxInterval}, ${localMaxInterval}`,
    );
  const env = options.env ?? process.env;

  const exitedError = (handle: ServiceHandle, st: Exited, kind: string, outputs: string[], logs: readonly string[]) =>
    new ContainerExitedError(
      `${handle.service} exited with code ${st.exitCode}${st.oomKilled === true ? ' (OOM-killed)' : ''} before it was ${kind === 'job' ? 'done' : 'healthy'}`,
      {
        context: {
          service: handle.service,
          exitCode: st.exitCode,
          oomKilled: st.oomKilled === true,
          lastHealthOutputs: outputs.slice(-5),
          logs: [...logs],
        },
      },
    );

  const poll = (runtime: Runtime, handle: ServiceHandle, checks: readonly HealthCheckSpec[], o: WaitOptions) => {
    const { deadlineMs, signal, kind } = o;
    const check = layersOf(runtime, handle, checks, env);
    const run = new Promise<'healthy' | 'completed'>((resolve, reject) => {
      const outputs: string[] = [];
      let settled = false;
      let timer: unknown;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clock.clearTimeout(timer);
        clock.clearTimeout(deadline);
        exitSub[Symbol.dispose]();
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = (): void =>
        finish(() =>
          reject(
            new CancelledError(`waiting for ${handle.service} cancelled`, { context: { service: handle.service } }),
          ),
        );
      signal?.addEventListener('abort', onAbort, { once: true });
      const exitSub = runtime.onExit(handle, (st) => {
        if (kind === 'job' && st.exitCode === 0) {
          finish(() => resolve('completed'));
          return;
        }
        // The exit is final: the wait is settled now (nothing else may end it), rejected once its last logs are read.
        finish(() => {
          void runtime.logs(handle, { tail: 50 }).then((logs) => {
            reject(exitedError(handle, st, kind, outputs, logs.isOk() ? logs.value : []));
          });
        });
      });
      const deadline = clock.setTimeout(() => {
        finish(() =>
          reject(
            new HealthTimeoutError(
              `${handle.service} was not ${kind === 'job' ? 'done' : 'healthy'} within ${deadlineMs} ms`,
              { context: { service: handle.service, deadlineMs, lastHealthOutputs: outputs.slice(-5) } },
            ),
          ),
        );
      }, deadlineMs);
      if (kind === 'job') return; // a job is judged by its exit alone
      let interval = minInterval;
      const cap = runtime.docker === undefined ? localMaxInterval : maxInterval;
      const next = (): void => {
        const started = clock.now();
        void check().then((a) => {
          options.metrics?.healthCheckDuration.observe({}, (clock.now() - started) / 1000);
          options.metrics?.healthChecks.inc({ result: a.status });
          if (settled) return;
          outputs.push(`${a.check}: ${a.status} ${a.output}`.trim());
          if (a.status === 'healthy') {
            finish(() => resolve('healthy'));
            return;
          }
          timer = clock.setTimeout(next, interval);
          interval = Math.min(cap, Math.ceil(interval * 1.5));
        });
      };
      if (signal?.aborted === true) onAbort();
      else next();
    });
    return ResultAsync.fromPromise(run, (e) => e as DiveError);
  };

  return {
    wait(runtime, handle, checks, o) {
      // A container whose first layer is its Docker HEALTHCHECK is followed through the runtime's Docker events
      // watcher: a health flip reaches the dependent in milliseconds, not a polling interval.
      const first = checks.findIndex((c) => c.type !== 'running');
      if (o.kind === 'service' && runtime.docker !== undefined && checks[first]?.type === 'docker') {
        const watcher =
          runtime.dockerWatcher ?? (ownWatcher ??= createDockerHealthWatcher({ docker: runtime.docker, clock }));
        const rest = checks.slice(first + 1).filter((c) => c.type !== 'running');
        const started = clock.now();
        return waitForHealthy(
          { docker: runtime.docker, container: handle.id },
          { deadlineMs: o.deadlineMs, watcher, clock, ...(o.signal === undefined ? {} : { signal: o.signal }) },
        ).andThen((report) =>
          // No HEALTHCHECK in the image: "running" is not conclusive, so the next layers decide.
          report.runningOnly && rest.length > 0
            ? poll(runtime, handle, rest, { ...o, deadlineMs: Math.max(1, o.deadlineMs - (clock.now() - started)) })
            : okAsync<'healthy' | 'completed', DiveError>('healthy'),
        );
      }
      return poll(runtime, handle, checks, o);
    },
    async [Symbol.asyncDispose]() {
      await ownWatcher?.[Symbol.asyncDispose]();
      ownWatcher = undefined;
    },
  };
}
