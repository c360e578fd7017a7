import { type Clock, systemClock } from '@dive/errors';
import type { HealthCheck, HealthResult } from './result.js';
import { timeoutSignal } from './internal/timing.js';

/** Options of {@link probe}; defaults are Kubernetes' (`initialDelaySeconds: 0`, `periodSeconds: 10`, …). */
export interface ProbeOptions {
  /** Wait before the first run (default 0). */
  readonly initialDelayMs?: number;
  /** Steady-state period (default 10 000 ms). */
  readonly periodMs?: number;
  /** Period until the first `healthy` (start-up phase; default min(periodMs, 1000)). */
  readonly startupPeriodMs?: number;
  /** One run's timeout; a run that takes longer is a failure (default 1000 ms). */
  readonly timeoutMs?: number;
  /** Consecutive successes to become healthy (default 1). */
  readonly successThreshold?: number;
  /** Consecutive failures to become unhealthy (default 3). */
  readonly failureThreshold?: number;
  /** Runs the delays, periods and run timeouts. Default `systemClock`; tests pass `createFakeClock()`. */
  readonly clock?: Clock;
}

/** The probe's verdict: `starting` until a threshold is first crossed. */
export type ProbeStatus = 'starting' | 'healthy' | 'unhealthy';

/** A running probe. */
export interface Probe extends Disposable {
  status(): ProbeStatus;
  /** The last result of the check. */
  lastResult(): HealthResult | undefined;
  /** Called on every status change; returns an unsubscribe function. */
  onChange(listener: (status: ProbeStatus, result: HealthResult) => void): () => void;
  stop(): void;
}

/**
 * Run a check periodically with Kubernetes probe semantics: `successThreshold` consecutive successes make it
 * healthy, `failureThreshold` consecutive failures (a run exceeding `timeoutMs`, `unhealthy`, `starting` or
 * `unknown`) make it unhealthy. Until the first healthy verdict it runs every `startupPeriodMs` (faster).
 *
 * @param check - the check to run
 * @param options - Kubernetes probe options and `clock`
 * @returns a {@link Probe}; `stop()` or `using` ends it
 * @example
 * ```ts
 * using p = probe(http({ url: 'http://localhost:8080/health' }), { periodMs: 5000 });
 * p.onChange((s) => console.log('now', s));
 * ```
 */
export function probe(check: HealthCheck, options: ProbeOptions = {}): Probe {
  const periodMs = options.periodMs ?? 10_000;
  const startupPeriodMs = options.startupPeriodMs ?? Math.min(periodMs, 1000);
  const timeoutMs = options.timeoutMs ?? 1000;
  const successThreshold = Math.max(1, options.successThreshold ?? 1);
  const failureThreshold = Math.max(1, options.failureThreshold ?? 3);
  const clock = options.clock ?? systemClock;
  const listeners = new Set<(s: ProbeStatus, r: HealthResult) => void>();
  const stopper = new AbortController();
  let status: ProbeStatus = 'starting';
  let everHealthy = false;
  let successes = 0;
  let failures = 0;
  let last: HealthResult | undefined;
  let timer: unknown;

  async function runOnce(): Promise<void> {
    const signal = timeoutSignal(timeoutMs, stopper.signal, clock);
    let timeout: unknown;
    const started = performance.now();
    const r = await Promise.race([
      check.run(signal),
      new Promise<HealthResult>((resolve) => {
        timeout = clock.setTimeout(
          () =>
            resolve({
              status: 'unhealthy',
              check: check.name,
              latencyMs: performance.now() - started,
              detail: `probe timed out after ${String(timeoutMs)} ms`,
            }),
          timeoutMs,
        );
      }),
    ]);
    clock.clearTimeout(timeout);
    if (stopper.signal.aborted) return;
    last = r;
    if (r.status === 'healthy') {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    let next: ProbeStatus = status;
    if (successes >= successThreshold) next = 'healthy';
    else if (failures >= failureThreshold) next = 'unhealthy';
    if (next !== status) {
      status = next;
      if (next === 'healthy') everHealthy = true;
      for (const l of [...listeners]) l(status, r);
    }
  }

  function schedule(delay: number): void {
    if (stopper.signal.aborted) return;
    timer = clock.setTimeout(() => {
      void runOnce().then(() => schedule(everHealthy ? periodMs : startupPeriodMs));
    }, delay);
  }
  schedule(options.initialDelayMs ?? 0);

  const stop = (): void => {
    stopper.abort();
    clock.clearTimeout(timer);
  };
  return {
    status: () => status,
    lastResult: () => last,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop,
    [Symbol.dispose]: stop,
  };
}
