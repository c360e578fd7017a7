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
 * The seeds' levels in order (e.g. container running → Docker health → endpoint). Runs them in order: any
 * `unhealthy` or `starting` answer is conclusive and returned at once; `healthy` moves to the next level;
 * `unknown` falls through. Healthy only if every level that could tell said healthy.
 *
 * @param levels - checks, outermost first
 * @returns a {@link HealthCheck} whose result is the conclusive level's result
 */
export function layered(levels: readonly HealthCheck[]): HealthCheck {
  const name = `layered(${levels.map((l) => l.name).join(' → ')})`;
  return {
    name,
    async run(signal) {
      const started = performance.now();
      let last: HealthResult | undefined;
      let anyHealthy = false;
      for (const level of levels) {
        const r = await level.run(signal);
        if (r.status === 'unhealthy' || r.status === 'starting') {
          return { ...r, check: `${name}: ${r.check}`, latencyMs: performance.now() - started };
        }
        if (r.status === 'healthy') anyHealthy = true;
        last = r;
      }
      return {
        status: anyHealthy ? 'healthy' : 'unknown',
        check: name,
        latencyMs: performance.now() - started,
        detail: last?.detail ?? 'no levels',
        ...(last?.output === undefined ? {} : { output: last.output }),
      };
    },
  };
}
