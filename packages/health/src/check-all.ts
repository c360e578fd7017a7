import type { Clock } from '@dive/errors';
import type { HealthCheck, HealthResult } from './result.js';
import { timeoutSignal } from './internal/timing.js';

/** Options of {@link checkAll}. */
export interface CheckAllOptions {
  /** At most this many checks run at once (default 16). */
  readonly concurrency?: number;
  /** Overall deadline: checks still running or queued then report `unknown` (default 10 000 ms). */
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
  /** Times the deadline. Default `systemClock`. */
  readonly clock?: Clock;
}

/**
 * Run many checks under a concurrency limit and one overall deadline, so a few hanging targets cannot starve the
 * rest. Never rejects; results are in the order of `checks`.
 *
 * @param checks - the checks
 * @param options - concurrency, deadline, signal, clock
 * @returns one {@link HealthResult} per check; those cut off by the deadline are `unknown`
 */
export async function checkAll(checks: readonly HealthCheck[], options: CheckAllOptions = {}): Promise<HealthResult[]> {
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const deadlineMs = options.deadlineMs ?? 10_000;
  const signal = timeoutSignal(deadlineMs, options.signal, options.clock);
  const started = performance.now();
  const results: (HealthResult | undefined)[] = Array.from({ length: checks.length }, () => undefined);
  let next = 0;
  const cutOff = (i: number): HealthResult => ({
    status: 'unknown',
    check: checks[i]?.name ?? String(i),
    latencyMs: performance.now() - started,
    detail: `not finished within the ${String(deadlineMs)} ms deadline`,
  });
  const aborted = new Promise<void>((r) => {
    if (signal.aborted) r();
    else signal.addEventListener('abort', () => r(), { once: true });
  });
  async function worker(): Promise<void> {
    while (next < checks.length && !signal.aborted) {
      const i = next++;
      const check = checks[i];
      if (check === undefined) continue;
      const r = await Promise.race([check.run(signal), aborted.then(() => cutOff(i))]);
      results[i] = signal.aborted && r.status !== 'healthy' ? (results[i] ?? cutOff(i)) : r;
    }
  }
  await Promise.race([Promise.all(Array.from({ length: Math.min(concurrency, checks.length) }, worker)), aborted]);
  return results.map((r, i) => r ?? cutOff(i));
}
