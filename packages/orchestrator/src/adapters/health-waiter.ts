import { CancelledError, type DiveError } from '@dive/errors';
import type { DiveMetrics } from '@dive/metrics';
import { createDockerHealthWatcher, HealthTimeoutError, waitForHealthy, type DockerHealthWatcher } from '@dive/health';
import { okAsync, ResultAsync } from 'neverthrow';
import type { HealthWaiter } from '../engine/ports.js';
import { ContainerExitedError } from '../runtime/errors.js';
import type { Runtime, ServiceHandle } from '../runtime/types.js';
import type { HealthCheckSpec } from '../topology/types.js';
import { checkOnce, type CheckAnswer } from './check-once.js';

/** Options of {@link createHealthWaiter}. */
export interface HealthWaiterOptions {
  readonly metrics?: DiveMetrics;
  readonly env?: NodeJS.ProcessEnv;
  /** First poll interval; it doubles up to `maxIntervalMs`. Default 25 ms. */
  readonly minIntervalMs?: number;
  /** Default 100 ms. */
  readonly maxIntervalMs?: number;
}

/**
 * Wait until a service is healthy, checking its layers in order (the first conclusive answer wins; `unknown`
 * falls through), and fail at once — with the exit code and the last 50 log lines — if it exits meanwhile.
 * An unhealthy answer keeps waiting until the deadline (a service may still be starting), like Compose.
 * A job is done when it exits 0.
 */
export function createHealthWaiter(options: HealthWaiterOptions = {}): HealthWaiter & AsyncDisposable {
  let watcher: DockerHealthWatcher | undefined;
  const minInterval = options.minIntervalMs ?? 25;
  const maxInterval = options.maxIntervalMs ?? 100;
  const layered = async (
    runtime: Runtime,
    handle: ServiceHandle,
    checks: readonly HealthCheckSpec[],
  ): Promise<CheckAnswer> => {
    const started = performance.now();
    // Layer 1: it must be running (an exit is also reported by onExit, with its code and logs).
    const st = await runtime.status(handle);
    if (st.isErr() || st.value.state !== 'running') {
      return { status: 'unhealthy', check: 'running', output: st.isErr() ? st.error.message : st.value.state };
    }
    let answer: CheckAnswer = { status: 'healthy', check: 'running', output: 'running' };
    for (const spec of checks) {
      if (spec.type === 'running') continue; // the exit watch covers it
      const a = await checkOnce(
        spec,
        { ...(runtime.docker === undefined ? {} : { docker: runtime.docker }), containerId: handle.id },
        options.env ?? process.env,
      );
      if (a.status === 'unknown') continue;
      answer = a;
      break;
    }
    options.metrics?.healthCheckDuration.observe({}, (performance.now() - started) / 1000);
    options.metrics?.healthChecks.inc({ result: answer.status });
    return answer;
  };

  const poll = (
    runtime: Runtime,
    handle: ServiceHandle,
    checks: readonly HealthCheckSpec[],
    o: { deadlineMs: number; signal?: AbortSignal; kind: 'service' | 'job' },
  ) => {
    const { deadlineMs, signal, kind } = o;
    const run = new Promise<'healthy' | 'completed'>((resolve, reject) => {
      const outputs: string[] = [];
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        clearTimeout(deadline);
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
        void runtime.logs(handle, { tail: 50 }).then((logs) =>
          finish(() =>
            reject(
              new ContainerExitedError(
                `${handle.service} exited with code ${st.exitCode}${st.oomKilled === true ? ' (OOM-killed)' : ''} before it was ${kind === 'job' ? 'done' : 'healthy'}`,
                {
                  context: {
                    service: handle.service,
                    exitCode: st.exitCode,
                    oomKilled: st.oomKilled === true,
                    lastHealthOutputs: outputs.slice(-5),
                    logs: logs.isOk() ? logs.value : [],
                  },
                },
              ),
            ),
          ),
        );
      });
      const deadline = setTimeout(() => {
        finish(() =>
          reject(
            new HealthTimeoutError(
              `${handle.service} was not ${kind === 'job' ? 'done' : 'healthy'} within ${deadlineMs} ms`,
              {
                context: { service: handle.service, deadlineMs, lastHealthOutputs: outputs.slice(-5) },
              },
            ),
          ),
        );
      }, deadlineMs);
      if (kind === 'job') return; // a job is judged by its exit alone
      let interval = minInterval;
      const poll = (): void => {
        void layered(runtime, handle, checks).then((a) => {
          if (settled) return;
          outputs.push(`${a.check}: ${a.status} ${a.output}`.trim());
          if (a.status === 'healthy') {
            finish(() => resolve('healthy'));
            return;
          }
          interval = Math.min(maxInterval, interval * 2);
          timer = setTimeout(poll, interval);
        });
      };
      if (signal?.aborted === true) onAbort();
      else poll();
    });
    return ResultAsync.fromPromise(run, (e) => e as DiveError);
  };

  return {
    wait(runtime, handle, checks, o) {
      // A container whose first layer is its Docker HEALTHCHECK is followed through ONE Docker events stream
      // (@dive/health's watcher): a health flip reaches the dependent in milliseconds, not a polling interval.
      const first = checks.findIndex((c) => c.type !== 'running');
      if (o.kind === 'service' && runtime.docker !== undefined && checks[first]?.type === 'docker') {
        watcher ??= createDockerHealthWatcher({ docker: runtime.docker });
        const rest = checks.slice(first + 1).filter((c) => c.type !== 'running');
        const started = Date.now();
        return waitForHealthy(
          { docker: runtime.docker, container: handle.id },
          { deadlineMs: o.deadlineMs, watcher, ...(o.signal === undefined ? {} : { signal: o.signal }) },
        ).andThen((report) =>
          // No HEALTHCHECK in the image: "running" is not conclusive, so the next layers decide.
          report.runningOnly && rest.length > 0
            ? poll(runtime, handle, rest, { ...o, deadlineMs: Math.max(1, o.deadlineMs - (Date.now() - started)) })
            : okAsync<'healthy' | 'completed', DiveError>('healthy'),
        );
      }
      return poll(runtime, handle, checks, o);
    },
    async [Symbol.asyncDispose]() {
      await watcher?.[Symbol.asyncDispose]();
      watcher = undefined;
    },
  };
}
