import { makeCheck } from '../internal/timing.js';
import type { HealthCheck, HealthResult, HealthStatus } from '../result.js';

/**
 * A check from your own function: return a boolean, a status, or a partial result; a throw is `unhealthy`.
 *
 * @param name - shown in results
 * @param fn - the check
 * @returns a {@link HealthCheck}
 */
export function custom(
  name: string,
  fn: (
    signal?: AbortSignal,
  ) => Promise<boolean | HealthStatus | { status: HealthStatus; detail?: string; output?: string }>,
): HealthCheck {
  return makeCheck(name, async (signal) => {
    const r = await fn(signal);
    if (typeof r === 'boolean') return { status: r ? 'healthy' : 'unhealthy', detail: r ? 'ok' : 'failed' };
    if (typeof r === 'string') return { status: r, detail: r };
    return { status: r.status, detail: r.detail ?? r.status, ...(r.output === undefined ? {} : { output: r.output }) };
  });
}

/**
 * Layers of checks, best signal first: **the first conclusive answer wins**. The layers run in order; a layer that
 * answers `unknown` ("I cannot tell": no HEALTHCHECK in the image, not a container) falls through to the next; the
 * first `healthy`, `unhealthy` or `starting` decides, and later layers are not run. All layers `unknown` (or none)
 * is `unknown`.
 *
 * So `layered([dockerHealth(t), http({ url }), containerRunning(t)])` trusts the image's HEALTHCHECK when it has
 * one (its `starting` is respected, not bypassed), else the endpoint, else "running". To require *every* check to
 * pass, run them with `checkAll` instead.
 *
 * @param levels - checks, best signal first
 * @returns a {@link HealthCheck} whose result is the deciding layer's result (its `check` names the layer), or
 *   `unknown` with the last layer's detail
 * @example
 * ```ts
 * const check = layered([dockerHealth({ docker, container: 'api' }), http({ url: 'http://127.0.0.1:8080/health' })]);
 * const r = await check.run(); // Docker's answer if the image has a HEALTHCHECK, else the endpoint's
 * ```
 */
export function layered(levels: readonly HealthCheck[]): HealthCheck {
  const name = `layered(${levels.map((l) => l.name).join(' → ')})`;
  return {
    name,
    async run(signal) {
      const started = performance.now();
      let last: HealthResult | undefined;
      for (const level of levels) {
        const r = await level.run(signal);
        if (r.status !== 'unknown')
          return { ...r, check: `${name}: ${r.check}`, latencyMs: performance.now() - started };
        last = r;
      }
      return {
        status: 'unknown',
        check: name,
        latencyMs: performance.now() - started,
        detail: last?.detail ?? 'no levels',
        ...(last?.output === undefined ? {} : { output: last.output }),
      };
    },
  };
}
