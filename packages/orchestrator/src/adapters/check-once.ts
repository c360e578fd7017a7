import { dockerHealth, exec, http, tcp, type HealthCheck } from '@dive/health';
import type Docker from 'dockerode';
import type { HealthCheckSpec } from '../topology/types.js';

/** One answer of one check. `unknown` lets a layered check fall through to the next layer. */
export interface CheckAnswer {
  readonly status: 'healthy' | 'unhealthy' | 'starting' | 'unknown';
  readonly check: string;
  readonly output: string;
}

const DEFAULT_TIMEOUT_MS = 2_000;

/** A topology health spec as a @dive/health check, or an answer when it cannot run here. */
export function toCheck(
  spec: HealthCheckSpec,
  target: { readonly docker?: Docker; readonly containerId?: string },
  env: NodeJS.ProcessEnv,
): HealthCheck | CheckAnswer {
  const container =
    target.docker === undefined || target.containerId === undefined
      ? undefined
      : { docker: target.docker, container: target.containerId };
  switch (spec.type) {
    case 'http':
      return http({
        url: spec.url,
        timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        // secret references are read from the environment at check time, never stored
        headers: Object.fromEntries(
          Object.entries(spec.headers ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : (env[v.secret] ?? '')]),
        ),
        ...(spec.expectStatus === undefined ? {} : { expectStatus: spec.expectStatus }),
        ...(spec.insecureTls === undefined ? {} : { insecureTls: spec.insecureTls }),
      });
    case 'tcp':
      return tcp({ host: spec.host ?? '127.0.0.1', port: spec.port, timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    case 'docker':
      return container === undefined
        ? { status: 'unknown', check: 'docker', output: 'not a container' }
        : dockerHealth(container);
    case 'exec':
      return container === undefined
        ? { status: 'unknown', check: 'exec', output: 'not a container' }
        : exec({ ...container, cmd: spec.cmd, timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    case 'running':
      return { status: 'unknown', check: 'running', output: '' };
  }
}

/**
 * Run one check once, through @dive/health's checks. `running` is answered by the caller (it needs the runtime).
 * Never rejects.
 */
export async function checkOnce(
  spec: HealthCheckSpec,
  target: { readonly docker?: Docker; readonly containerId?: string },
  env: NodeJS.ProcessEnv,
): Promise<CheckAnswer> {
  try {
    const check = toCheck(spec, target, env);
    if (!('run' in check)) return check;
    const r = await check.run();
    return { status: r.status, check: r.check, output: (r.output ?? r.detail).trim() };
  } catch (e) {
    return { status: 'unhealthy', check: spec.type, output: (e as Error).message };
  }
}
