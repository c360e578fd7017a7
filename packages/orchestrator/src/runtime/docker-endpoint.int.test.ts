// Docker connection options against real engines: a second dockerd of the test's own with a `--tlsverify` TCP
// listener on 127.0.0.2 (startSecondDockerd), reached by URL + TLS files and, through the built CLI, by DOCKER_HOST,
// DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI reads them; nothing listening on 127.0.0.3 is exit 4,
// an unreadable certificate exit 2. The CLI's instance (QTL, three letters) lives on the test's own engine only.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { freePort, startSecondDockerd, uniqueSuffix, type SecondDockerd } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dive, requireBuiltBin, tempDir } from '../cli/faults.test-helpers.js';
import { dockerRuntime } from './docker-runtime.js';

let engine: SecondDockerd;
let dir: string;
const instance = `TLS${uniqueSuffix()}`.toUpperCase();
const shared = new Docker({ socketPath: '/var/run/docker.sock' });

/** A port on 127.0.0.3 that nothing listens on. */
const deadPort = (): Promise<number> => freePort('127.0.0.3');

const labelled = async (docker: Docker, name: string) =>
  docker.listContainers({ all: true, filters: { label: [`dive.instance=${name}`] } });

beforeAll(async () => {
  requireBuiltBin();
  dir = tempDir('docker-endpoint');
  engine = await startSecondDockerd({ tls: true });
}, 180_000);

afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('dockerRuntime({ docker, tls }) on a second engine over TLS', () => {
  it('starts, lists and stops a container on that engine only', async () => {
    await using runtime = dockerRuntime({ docker: engine.url, tls: engine.tls ?? {}, stopGraceMs: 1000 });
    expect((await runtime.ping()).isOk()).toBe(true);
    const started = await runtime.start({
      instance,
      service: 'web',
      deploymentId: `dep-${uniqueSuffix()}`,
      configHash: 'h1',
      kind: 'service',
      env: { HEALTH_MODE: 'pass' },
      container: { image: engine.image, network: 'none' },
    });
    const handle = started._unsafeUnwrap();
    expect((await labelled(engine.docker, instance)).map((c) => c.Id)).toEqual([handle.id]);
    expect(await labelled(shared, instance)).toEqual([]);
    expect((await runtime.list(instance))._unsafeUnwrap().map((h) => h.service)).toEqual(['web']);
    expect((await runtime.stop(handle)).isOk()).toBe(true);
    expect(await labelled(engine.docker, instance)).toEqual([]);
  }, 120_000);

  it('an engine with nothing listening is RuntimeUnavailableError naming it', async () => {
    const port = await deadPort();
    await using runtime = dockerRuntime({
      docker: `tcp://127.0.0.3:${port}`,
      tls: engine.tls ?? {},
      callTimeoutMs: 5000,
    });
    const ping = await runtime.ping();
    expect(ping._unsafeUnwrapErr()._tag).toBe('RuntimeUnavailableError');
    expect(ping._unsafeUnwrapErr().message).toContain(`127.0.0.3:${port}`);
  }, 60_000);
});

describe('the CLI reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
  const file = () => {
    const path = join(dir, 'tls.yaml');
    writeFileSync(
      path,
      `instance: QTL
services:
  web:
    container: { image: ${engine.image}, network: none }
    health: [{ type: docker }]
`,
    );
    return path;
  };
  const state = () => ['--state', `file:${join(dir, 'state')}`];
  const tlsEnv = () => ({ DOCKER_HOST: engine.url, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: engine.certPath ?? '' });

  it('deploys to the TLS engine and takes it down again', async () => {
    const up = dive(dir, [...state(), 'deploy', '-f', file(), '--runtime', 'docker'], tlsEnv());
    expect(up.code, up.stderr).toBe(0);
    const [made] = await labelled(engine.docker, 'QTL');
    // on the second engine only (the shared engine does not know the container)
    await expect(shared.getContainer(made?.Id ?? '').inspect()).rejects.toMatchObject({ statusCode: 404 });
    const down = dive(dir, [...state(), 'down', 'QTL', '--runtime', 'docker'], tlsEnv());
    expect(down.code, down.stderr).toBe(0);
    expect(await labelled(engine.docker, 'QTL')).toEqual([]);
  }, 180_000);

  it('exits 4 when nothing listens at DOCKER_HOST, and 2 when a certificate cannot be read', async () => {
    const port = await deadPort();
    const gone = dive(dir, ['--state', `file:${join(dir, 's4')}`, 'deploy', '-f', file(), '--runtime', 'docker'], {
      ...tlsEnv(),
      DOCKER_HOST: `tcp://127.0.0.3:${port}`,
    });
    expect(gone.code, gone.stderr).toBe(4);
    expect(gone.stdout + gone.stderr).toContain(`127.0.0.3:${port}`);
    const noCert = dive(dir, ['--state', `file:${join(dir, 's2')}`, 'deploy', '-f', file(), '--runtime', 'docker'], {
      ...tlsEnv(),
      DOCKER_CERT_PATH: join(dir, 'no-such-certs'),
    });
    expect(noCert.code, noCert.stderr).toBe(2);
    expect(noCert.stdout + noCert.stderr).toContain(join(dir, 'no-such-certs', 'ca.pem'));
  }, 120_000);
});
