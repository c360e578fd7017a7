import { CancelledError, defineError, type DiveError } from '@dive/errors';
import type { DiveMetrics } from '@dive/metrics';
import { errAsync, ResultAsync } from 'neverthrow';
import type { StartPolicy } from '../engine/ports.js';
import type { RetrySpec } from '../topology/types.js';

/** 4004: a service's breaker is open; its start fails fast until the next probe. */
export class CircuitOpenError extends defineError('CircuitOpenError') {}

/** The delay before attempt `n + 1` (n ≥ 1) under a retry spec. */
export function retryDelayMs(spec: RetrySpec, n: number, random: () => number = Math.random): number {
  const base = spec.baseMs ?? 500;
  const max = spec.maxMs ?? 30_000;
  switch (spec.policy) {
    case 'none':
      return 0;
    case 'exponential':
      return Math.min(max, base * 2 ** (n - 1));
    case 'progressive':
      return Math.min(max, base * n + 2_000 * n * n);
    case 'fixed-jitter':
      return Math.min(max, base + random() * 5_000);
    case 'decorrelated':
      return Math.min(max, base + random() * base * 3 ** (n - 1));
  }
}

interface BreakerState {
  failures: number;
  openedAt: number | undefined;
}

/**
 * Retries with the service's back-off curve, behind a per-service circuit breaker around the whole start (it
 * opens after `failureThreshold` starts in a row failed all their attempts; one probe after `resetTimeoutMs`).
 */
export function createStartPolicy(
  metrics?: DiveMetrics,
  options: {
    readonly now?: () => number;
    readonly random?: () => number;
    readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  } = {},
): StartPolicy {
  const now = options.now ?? Date.now;
  const breakers = new Map<string, BreakerState>();
  const sleep =
    options.sleep ??
    ((ms: number, signal?: AbortSignal) =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(t);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const t = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
      }));
  const isOpen = (b: BreakerState, resetMs: number): boolean =>
    b.openedAt !== undefined && now() - b.openedAt < resetMs;
  return {
    run(key, retry, breaker, attempt, { signal, onRetry }) {
      const b = breakers.get(key) ?? { failures: 0, openedAt: undefined };
      breakers.set(key, b);
      const threshold = breaker.failureThreshold ?? 3;
      const resetMs = breaker.resetTimeoutMs ?? 60_000;
      // The breaker guards the whole start (all its attempts): it opens after `failureThreshold` starts in a row
      // that failed even after their retries, and lets one probe through after `resetTimeoutMs`.
      const go = async (n: number): Promise<unknown> => {
        if (signal?.aborted === true) throw new CancelledError(`start of ${key} cancelled`, { context: { key } });
        const r = await attempt(n, signal);
        if (r.isOk()) return r.value;
        if (
          n >= retry.attempts ||
          r.error._tag === 'CancelledError' ||
          r.error._tag === 'ImageMissingError' ||
          r.error.severity === 'CRITICAL'
        )
          throw r.error;
        const delayMs = retryDelayMs(retry, n, options.random);
        onRetry?.({ attempt: n, delayMs, error: r.error });
        metrics?.retries.inc();
        await sleep(delayMs, signal);
        return go(n + 1);
      };
      const guarded = async (): Promise<unknown> => {
        if (isOpen(b, resetMs)) {
          throw new CircuitOpenError(
            `circuit ${key} is open after ${b.failures} failed starts; next probe at ${new Date((b.openedAt ?? 0) + resetMs).toISOString()}`,
            {
              context: { breaker: key, nextProbeAt: (b.openedAt ?? 0) + resetMs },
            },
          );
        }
        try {
          const value = await go(1);
          b.failures = 0;
          b.openedAt = undefined;
          metrics?.setCircuitState(key, 'closed');
          return value;
        } catch (e) {
          b.failures += 1;
          if (b.failures >= threshold) {
            b.openedAt = now();
            metrics?.setCircuitState(key, 'open');
          }
          throw e;
        }
      };
      if (retry.attempts < 1) return errAsync(new CancelledError(`no attempts allowed for ${key}`));
      return ResultAsync.fromPromise(guarded(), (e) => e as DiveError) as never;
    },
    openBreakers: () =>
      [...breakers.entries()]
        .filter(([, b]) => b.openedAt !== undefined && now() - b.openedAt < 60_000)
        .map(([k]) => k),
    breakerCount: () => breakers.size,
  };
}
