import {
  createBreakerRegistry,
  decorrelatedJitter,
  exponential,
  fixedJitter,
  progressive,
  retry,
  type BreakerStore,
  type RetryPolicy,
} from '@dive/circuit-breaker';
import type { Clock, DiveError } from '@dive/errors';
import type { DiveMetrics } from '@dive/metrics';
import type { StartPolicy } from '../engine/ports.js';
import type { RetrySpec } from '../topology/types.js';

/** The @dive/circuit-breaker retry policy of a topology's retry spec. */
export function retryPolicy(spec: RetrySpec): RetryPolicy {
  const baseMs = spec.baseMs ?? 500;
  const maxMs = spec.maxMs ?? 30_000;
  switch (spec.policy) {
    case 'none':
      return { attempts: spec.attempts, delay: () => 0 };
    case 'exponential':
      return exponential({ baseMs, maxMs, attempts: spec.attempts });
    case 'progressive': {
      const p = progressive({ baseMs, attempts: spec.attempts });
      return { attempts: p.attempts, delay: (n, prev, random) => Math.min(maxMs, p.delay(n, prev, random)) };
    }
    case 'fixed-jitter': {
      const p = fixedJitter({ baseMs, attempts: spec.attempts });
      return { attempts: p.attempts, delay: (n, prev, random) => Math.min(maxMs, p.delay(n, prev, random)) };
    }
    case 'decorrelated':
      return decorrelatedJitter({ baseMs, maxMs, attempts: spec.attempts });
  }
}

/** Errors worth another attempt: not a cancellation, an open circuit, a missing image or anything CRITICAL. */
const retryable = (e: DiveError): boolean =>
  e._tag !== 'CancelledError' &&
  e._tag !== 'CircuitOpenError' &&
  e._tag !== 'ImageMissingError' &&
  e.severity !== 'CRITICAL';

/**
 * Each service's start: the retry policy inside a circuit breaker named `<instance>/<service>` (from
 * @dive/circuit-breaker). The breaker sees the whole start — all its attempts — as one call: it opens after
 * `failureThreshold` starts in a row failed every attempt, and lets a probe through after `resetTimeoutMs`. With a
 * `store` (the state backend's), breakers are shared by every process using that state, and `dive circuit-breaker
 * status` shows them. Breakers and back-off waits read `clock` (default the system clock).
 */
export function createStartPolicy(
  options: { readonly metrics?: DiveMetrics; readonly store?: BreakerStore; readonly clock?: Clock } = {},
): StartPolicy {
  const { metrics, clock } = options;
  const registry = createBreakerRegistry({
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(clock === undefined ? {} : { clock }),
  });
  return {
    run(key, retrySpec, breakerSpec, attempt, { signal, onRetry }) {
      const breaker = registry.get(key, {
        ...(breakerSpec.failureThreshold === undefined ? {} : { failureThreshold: breakerSpec.failureThreshold }),
        ...(breakerSpec.resetTimeoutMs === undefined ? {} : { resetTimeoutMs: breakerSpec.resetTimeoutMs }),
        ...(breakerSpec.successThreshold === undefined ? {} : { successThreshold: breakerSpec.successThreshold }),
      });
      const result = breaker.execute(
        (breakerSignal) =>
          retry((s, n) => attempt(n, s ?? breakerSignal), retryPolicy(retrySpec), {
            ...(signal === undefined ? {} : { signal }),
            ...(clock === undefined ? {} : { clock }),
            isRetryable: (e) => retryable(e),
            onRetry: (info) => {
              metrics?.retries.inc();
              onRetry?.({ attempt: info.attempt, delayMs: info.delayMs, error: info.error });
            },
          }),
        signal === undefined ? {} : { signal },
      );
      // The breaker's state after the start, for dive_circuit_breaker_state.
      const record = (): void =>
        metrics?.setCircuitState(
          key,
          breaker.state === 'OPEN' ? 'open' : breaker.state === 'HALF_OPEN' ? 'half-open' : 'closed',
        );
      return result
        .map((v) => {
          record();
          return v;
        })
        .mapErr((e) => {
          record();
          return e;
        });
    },
    openBreakers: () =>
      registry
        .status()
        .filter((b) => b.state !== 'CLOSED')
        .map((b) => b.name),
    breakerCount: () => registry.status().length,
  };
}
