import { setMaxListeners } from 'node:events';
import { type Clock, systemClock } from '@dive/errors';
import type { HealthCheck, HealthResult, HealthStatus } from '../result.js';

/** Build a check from a function returning status/detail/output; measures latency and turns throws into `unhealthy`. */
export function makeCheck(
  name: string,
  fn: (signal: AbortSignal | undefined) => Promise<{ status: HealthStatus; detail: string; output?: string }>,
): HealthCheck {
  return {
    name,
    async run(signal) {
      const started = performance.now();
      try {
        const r = await fn(signal);
        return { check: name, latencyMs: performance.now() - started, ...r };
      } catch (e) {
        return {
          status: 'unhealthy',
          check: name,
          latencyMs: performance.now() - started,
          detail: e instanceof Error ? e.message : String(e),
        } satisfies HealthResult;
      }
    },
  };
}

/** Let a real timer not keep the process alive (a fake clock's handle has no `unref`). */
export function unref(handle: unknown): void {
  (handle as { unref?: () => void } | null)?.unref?.();
}

/** Sleep `ms` on `clock`; an abort of `signal` ends the sleep early. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimeout(done, ms);
    if (signal?.aborted === true) done();
    else signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A signal that aborts after `ms` on `clock` or when `parent` aborts (not `AbortSignal.timeout`, so a fake clock
 * drives it); a real timer is unref'd, and cleared once the signal aborts.
 */
export function timeoutSignal(ms: number, parent?: AbortSignal, clock: Clock = systemClock): AbortSignal {
  const ac = new AbortController();
  // one signal is shared by every check of a checkAll batch
  setMaxListeners(0, ac.signal);
  const timer = clock.setTimeout(() => ac.abort(new Error(`timed out after ${String(ms)} ms`)), ms);
  unref(timer);
  if (parent !== undefined) {
    if (parent.aborted) ac.abort(parent.reason);
    else parent.addEventListener('abort', () => ac.abort(parent.reason), { once: true, signal: ac.signal });
  }
  ac.signal.addEventListener('abort', () => clock.clearTimeout(timer), { once: true });
  return ac.signal;
}
