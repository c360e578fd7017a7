import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { removeLabelledContainers } from './docker-labels.js';
import { uniqueSuffix } from './env.js';

const here = fileURLToPath(new URL('./busybox/', import.meta.url));
const FILES = ['Dockerfile', 'entrypoint.sh', 'health.sh'] as const;
const BUSYBOX_CANDIDATES = ['/bin/busybox', '/usr/bin/busybox'];

/** The label every test container carries, so a crashed run's leftovers can be found and removed. */
export const TEST_LABEL = 'dive.test';

function busyboxPath(): string {
  const found = BUSYBOX_CANDIDATES.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error('busybox not found: install busybox-static (bash scripts/test-services.sh does it)');
  }
  return found;
}

/** The tag of the busybox test image for the current sources (changes when the scripts change). */
export function busyboxImageTag(): string {
  const hash = createHash('sha256');
  for (const f of FILES) hash.update(readFileSync(join(here, f)));
  hash.update(String(statSync(busyboxPath()).size));
  return `dive-test-busybox:${hash.digest('hex').slice(0, 12)}`;
}

/**
 * Build the busybox test image `FROM scratch` if it is not there yet; returns its tag. The image has `sh`,
 * `httpd`, `nc`, `sleep`, and a HEALTHCHECK steered by `HEALTH_MODE` (`pass`, `fail`, `flip`, `flap`, `file`) and
 * `HEALTH_AFTER` seconds; its entry point steered by `HTTP_PORT`, `EXIT_AFTER`, `EXIT_CODE`, `LOG_LINES`.
 */
export async function ensureBusyboxImage(docker: Docker): Promise<string> {
  const tag = busyboxImageTag();
  const present = await docker
    .getImage(tag)
    .inspect()
    .then(() => true)
    .catch(() => false);
  if (present) return tag;
  const dir = mkdtempSync(join(tmpdir(), 'dive-busybox-'));
  try {
    for (const f of FILES) writeFileSync(join(dir, f), readFileSync(join(here, f)));
    copyFileSync(busyboxPath(), join(dir, 'busybox'));
    const stream = await docker.buildImage(
      { context: dir, src: [...FILES, 'busybox'] },
      { t: tag, rm: true, forcerm: true },
    );
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => {
        const failed = output.find((o) => o.error !== undefined);
        if (error) reject(error);
        else if (failed) reject(new Error(`building ${tag} failed: ${failed.error ?? ''}`));
        else resolve();
      });
    });
    return tag;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How to run one test container. */
export interface TestContainerOptions {
  readonly name?: string;
  /** `pass` (default), `fail`, `flip` (healthy after `healthAfter` s), `flap` (unhealthy after), `file`. */
  readonly healthMode?: 'pass' | 'fail' | 'flip' | 'flap' | 'file';
  readonly healthAfter?: number;
  /** Docker HEALTHCHECK interval in ms (default: the image's 1000 ms). */
  readonly healthIntervalMs?: number;
  /**
   * Docker HEALTHCHECK start period in ms, with `healthIntervalMs` (default 0): failures within it leave the status
   * `starting` instead of `unhealthy`, as for a service that declares how long it takes to come up.
   */
  readonly healthStartPeriodMs?: number;
  /** `none` (default) or `host` (for HTTP_PORT). */
  readonly network?: 'none' | 'host';
  readonly env?: Readonly<Record<string, string>>;
  readonly cmd?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly memoryBytes?: number;
  /** Start it (default true). */
  readonly start?: boolean;
}

/** A running test container and its clean-up. */
export interface TestContainer {
  readonly id: string;
  readonly name: string;
  readonly container: Docker.Container;
  remove(): Promise<void>;
}

/** Create (and by default start) a busybox test container; `remove()` force-removes it. */
export async function runTestContainer(docker: Docker, options: TestContainerOptions = {}): Promise<TestContainer> {
  const image = await ensureBusyboxImage(docker);
  const name = options.name ?? `dive-test-${uniqueSuffix()}`;
  const env = {
    HEALTH_MODE: options.healthMode ?? 'pass',
    ...(options.healthAfter === undefined ? {} : { HEALTH_AFTER: String(options.healthAfter) }),
    ...options.env,
  };
  const container = await docker.createContainer({
    name,
    Image: image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: { [TEST_LABEL]: 'true', ...options.labels },
    ...(options.cmd === undefined ? {} : { Cmd: [...options.cmd] }),
    ...(options.healthIntervalMs === undefined
      ? {}
      : {
          Healthcheck: {
            Test: ['CMD', '/bin/health'],
            Interval: options.healthIntervalMs * 1e6,
            Timeout: 2e9,
            Retries: 1,
            StartPeriod: (options.healthStartPeriodMs ?? 0) * 1e6,
          },
        }),
    HostConfig: {
      NetworkMode: options.network ?? 'none',
      ...(options.memoryBytes === undefined ? {} : { Memory: options.memoryBytes, MemorySwap: options.memoryBytes }),
    },
  });
  if (options.start ?? true) await container.start();
  return {
    id: container.id,
    name,
    container,
    remove: async () => {
      await container.remove({ force: true, v: true }).catch((e: unknown) => {
        if ((e as { statusCode?: number }).statusCode !== 404) throw e;
      });
    },
  };
}

/** Force-remove every container carrying the test label (left by a killed run), with their anonymous volumes. */
export async function removeTestContainers(docker: Docker): Promise<number> {
  return removeLabelledContainers(docker, { [TEST_LABEL]: 'true' }, { volumes: true });
}
