import type Docker from 'dockerode';
import type { DockerHealthcheckSpec } from '../topology/types.js';

const NS_PER_MS = 1_000_000;

/**
 * Map a topology HEALTHCHECK (milliseconds) to Docker's create-container `Healthcheck` (nanoseconds).
 * @param spec - the container spec's healthcheck (`{ disable: true }` turns the image's off)
 * @returns Docker's `HealthConfig`; unset fields keep the image's values
 */
export function dockerHealthcheck(spec: DockerHealthcheckSpec | { readonly disable: true }): Docker.HealthConfig {
  if ('disable' in spec) return { Test: ['NONE'] };
  return {
    Test: [...spec.test],
    ...(spec.intervalMs === undefined ? {} : { Interval: spec.intervalMs * NS_PER_MS }),
    ...(spec.timeoutMs === undefined ? {} : { Timeout: spec.timeoutMs * NS_PER_MS }),
    ...(spec.retries === undefined ? {} : { Retries: spec.retries }),
    ...(spec.startPeriodMs === undefined ? {} : { StartPeriod: spec.startPeriodMs * NS_PER_MS }),
  };
}
