// Set-up shared by the fleet tests on real Docker engines (fleet-kill, fleet-pause, fleet-hosts):
// topology files of busybox services that turn healthy after a given time, the TLS files of a second engine in a
// fleet file, and the clean-up of the instances' containers (and their anonymous volumes).
import Docker from 'dockerode';
import { instanceLabels, listLabelledContainers, removeLabelledContainers, type SecondDockerd } from '@dive/test-utils';

/** The shared engine every test file may use at the same time (so instance codes must be rare and unique). */
export const sharedDocker = new Docker({ socketPath: '/var/run/docker.sock' });
/** The shared engine as a fleet file names it. */
export const SHARED_HOST = 'unix:///var/run/docker.sock';

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
 * `healthyAfterS`, without network, never retried. Its `instance` is a placeholder: a fleet names the instance.
 */
export function busyboxTopology(image: string, services: readonly BusyboxService[]): string {
  const lines = [
    'instance: XXX',
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

/** The containers of an instance on an engine, stopped ones too. */
export const labelled = (docker: Docker, instance: string): Promise<Docker.ContainerInfo[]> =>
  listLabelledContainers(docker, instanceLabels(instance));

/** Remove every container of the instances on an engine, with their anonymous volumes (a test's clean-up). */
export async function removeInstances(docker: Docker, codes: readonly string[]): Promise<void> {
  for (const code of codes) await removeLabelledContainers(docker, instanceLabels(code), { volumes: true });
}
