import { setMaxListeners } from 'node:events';
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

/**
 * A signal that aborts after `ms` or when `parent` aborts. Built on `setTimeout` (not `AbortSignal.timeout`) so
 * fake clocks drive it; the timer is unref'd and cleared when the parent aborts.
 */
export function timeoutSignal(ms: number, parent?: AbortSignal): AbortSignal {
  const ac = new AbortController();
  // one signal is shared by every check of a checkAll batch
  setMaxListeners(0, ac.signal);
  const timer = setTimeout(() => ac.abort(new Error(`timed out after ${String(ms)} ms`)), ms);
  timer.unref();
  if (parent !== undefined) {
    if (parent.aborted) ac.abort(parent.reason);
    else parent.addEventListener('abort', () => ac.abort(parent.reason), { once: true, signal: ac.signal });
  }
  ac.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  return ac.signal;
}
