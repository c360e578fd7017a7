// The texts of DIVE files for tests and benchmarks on the busybox test image: a topology of services that turn
// healthy after a given time, and the `tls:` value of a fleet instance on a second engine's TLS listener.
import type { SecondDockerd } from './second-dockerd.js';

/** A busybox container service of a topology. */
export interface BusyboxService {
  readonly name: string;
  /** Seconds after its start until its Docker health check passes (fractions allowed). */
  readonly healthyAfterS: number;
  /** Services it waits for (until healthy). */
  readonly dependsOn?: readonly string[];
}

/**
 * The text of a topology file of busybox services on `image`, healthy by Docker's health check after each one's
 * `healthyAfterS`, without network, never retried. Its `instance` is a placeholder unless given: a fleet names the
 * instance; a file for `dive deploy` needs its own.
 */
export function busyboxTopology(image: string, services: readonly BusyboxService[], instance = 'XXX'): string {
  const lines = [
    `instance: ${instance}`,
    'defaults: { startTimeoutMs: 120000, retry: { policy: none, attempts: 1 } }',
    'services:',
  ];
  for (const s of services) {
    lines.push(
      `  ${s.name}:`,
      '    container:',
      `      image: ${image}`,
      '      network: none',
      `      environment: { HEALTH_MODE: flip, HEALTH_AFTER: '${s.healthyAfterS}' }`,
      '      healthcheck: { test: [CMD, /bin/health], intervalMs: 300, timeoutMs: 15000, retries: 3, startPeriodMs: 60000 }',
      '    health: [{ type: docker }]',
      ...(s.dependsOn === undefined ? [] : [`    dependsOn: [${s.dependsOn.join(', ')}]`]),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The `tls:` value of a fleet file's instance on `engine`'s TLS listener. */
export const tlsOf = (engine: SecondDockerd): string =>
  `{ ca: ${engine.tls?.ca ?? ''}, cert: ${engine.tls?.cert ?? ''}, key: ${engine.tls?.key ?? ''} }`;
