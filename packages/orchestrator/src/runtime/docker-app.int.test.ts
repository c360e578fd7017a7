// Real applications on the real Docker engine: the instance network (names resolved by Docker's embedded DNS),
// named and per-service volumes across a changed service and `down`, ports, builds, restart policies. Every
// instance is unique to the test; containers, networks, volumes and images are removed afterwards. No test
// connects to a container's address: names are resolved inside a container against 127.0.0.11.
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Docker from 'dockerode';
import { execInContainer, instanceLabels, listLabelledContainers, uniqueSuffix } from '@dive/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { exitCodeFor } from '../cli/exit-codes.js';
import { down } from '../operations/down.js';
import { orchestrate } from '../operations/orchestrate.js';
import type { ContainerSpec, ServiceSpec, Topology } from '../topology/types.js';
import { useDockerTestBed } from './docker-test-bed.test-helpers.js';
import type { StartRequest } from './types.js';

const bed = useDockerTestBed('dive-docker-app-', { images: true });
const { docker, runtime, dir, code } = bed;

const service = (container: Partial<ContainerSpec> = {}, extra: Partial<ServiceSpec> = {}): ServiceSpec => ({
  container: { image: bed.image, environment: { HEALTH_MODE: 'pass' }, ...container },
  startTimeoutMs: 20_000,
  retry: { policy: 'none', attempts: 1 },
  ...extra,
});

const containerOf = async (instance: string, svc: string): Promise<Docker.ContainerInspectInfo> => {
  const [c] = await listLabelledContainers(
    docker,
    { ...instanceLabels(instance), 'dive.service': svc },
    { running: true },
  );
  if (c === undefined) throw new Error(`no running container of ${instance}/${svc}`);
  return docker.getContainer(c.Id).inspect();
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

describe('Docker: the instance network', () => {
  it('services resolve each other by name, hostname and alias; service:<x> shares x; restart applies when healthy', async () => {
    const instance = code();
    const topology: Topology = {
      instance,
      services: {
        api: service({ hostname: 'api-host', networks: { default: { aliases: ['backend'] } }, restart: 'always' }),
        web: service({}, { dependsOn: ['api'] }),
        sidecar: service({ networkMode: 'service:api' }, { dependsOn: ['api'] }),
      },
    };
    const report = await orchestrate(topology, { state: bed.state, runtime });
    expect(report._unsafeUnwrap().status).toBe('COMPLETE');
    const web = await containerOf(instance, 'web');
    const api = await containerOf(instance, 'api');
    for (const name of ['api', 'api-host', 'backend', 'web']) {
      const r = await execInContainer(docker, web.Id, ['nslookup', name, '127.0.0.11']);
      expect(r.exitCode, `${name}: ${r.output}`).toBe(0);
      expect(r.output).toMatch(/Address: \d+\.\d+\.\d+\.\d+/);
    }
    expect((await execInContainer(docker, web.Id, ['nslookup', 'nobody-here', '127.0.0.11'])).exitCode).not.toBe(0);
    expect(api.HostConfig.RestartPolicy?.Name).toBe('always');
    expect(['', 'no']).toContain(web.HostConfig.RestartPolicy?.Name ?? '');
    const sidecar = await containerOf(instance, 'sidecar');
    expect(sidecar.HostConfig.NetworkMode).toBe(`container:${api.Id}`);

    const network = `dive_${instance.toLowerCase()}_default`;
    const gone = await down(instance, { state: bed.state, runtime });
    expect(gone._unsafeUnwrap().removed.networks).toEqual([network]);
    await expect(docker.getNetwork(network).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 90_000);
});

describe('Docker: volumes', () => {
  it("a named volume's data (and an anonymous one's) survives a changed service and down; down --volumes removes it", async () => {
    const instance = code();
    const topology = (generation: string): Topology => ({
      instance,
      volumes: { data: {} },
      services: {
        db: service({
          environment: { HEALTH_MODE: 'pass', GENERATION: generation },
          volumes: [
            { type: 'volume', source: 'data', target: '/data' },
            { type: 'volume', target: '/anon' },
          ],
          entrypoint: [
            '/bin/sh',
            '-c',
            '[ -f /data/first ] || echo "$GENERATION" > /data/first; [ -f /anon/first ] || echo "$GENERATION" > /anon/first; exec /bin/dive-entrypoint',
          ],
        }),
      },
    });
    expect((await orchestrate(topology('one'), { state: bed.state, runtime }))._unsafeUnwrap().status).toBe('COMPLETE');
    const first = await containerOf(instance, 'db');
    expect((await execInContainer(docker, first.Id, ['cat', '/data/first', '/anon/first'])).output).toBe('one\none\n');

    expect((await orchestrate(topology('two'), { state: bed.state, runtime }))._unsafeUnwrap().status).toBe('COMPLETE');
    const second = await containerOf(instance, 'db');
    expect(second.Id).not.toBe(first.Id);
    expect((await execInContainer(docker, second.Id, ['cat', '/data/first', '/anon/first'])).output).toBe('one\none\n');

    const volume = `dive_${instance.toLowerCase()}_data`;
    const info = (await docker.getVolume(volume).inspect()) as { Labels: Record<string, string> };
    expect(info.Labels).toMatchObject({ 'dive.managed': 'true', 'dive.instance': instance, 'dive.volume': 'data' });

    const kept = (await down(instance, { state: bed.state, runtime }))._unsafeUnwrap();
    expect(kept.removed.volumes).toEqual([]);
    await expect(docker.getVolume(volume).inspect()).resolves.toBeDefined();

    const removed = (await down(instance, { state: bed.state, runtime, volumes: true }))._unsafeUnwrap();
    expect(removed.removed.volumes).toContain(volume);
    expect(removed.removed.volumes).toHaveLength(2);
    await expect(docker.getVolume(volume).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 120_000);
});

describe('Docker: ports and builds', () => {
  const request = (instance: string, svc: string, container: ContainerSpec): StartRequest => ({
    instance,
    service: svc,
    deploymentId: `dep-${uniqueSuffix()}`,
    configHash: 'h',
    kind: 'service',
    env: { HEALTH_MODE: 'pass' },
    container,
  });

  it('ports appear in the container bindings, on 127.0.0.1', async () => {
    const instance = code();
    const port = await freePort();
    const h = (
      await runtime.start(
        request(instance, 'web', {
          image: bed.image,
          ports: [{ target: 8080, published: port, hostIp: '127.0.0.1' }],
          expose: [9000],
        }),
      )
    )._unsafeUnwrap();
    const info = await docker.getContainer(h.id).inspect();
    expect(info.HostConfig.PortBindings).toEqual({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] });
    expect(Object.keys(info.Config.ExposedPorts ?? {}).sort()).toEqual(['8080/tcp', '9000/tcp']);
    expect(info.NetworkSettings.Ports['8080/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(port) }]);
    await runtime.stop(h, { graceMs: 0 });
  }, 60_000);

  it('a build runs from its context, is not repeated while the context is unchanged, and runs as its tag', async () => {
    const instance = code();
    const context = join(dir, `ctx-${instance}`);
    rmSync(context, { recursive: true, force: true });
    const write = (content: string): void => {
      writeFileSync(
        join(context, 'Dockerfile'),
        `FROM ${bed.image}\nARG GREETING\nCOPY hello.txt /hello.txt\nRUN echo "$GREETING" > /greeting\n`,
      );
      writeFileSync(join(context, 'hello.txt'), content);
      writeFileSync(join(context, '.dockerignore'), 'ignored.txt\n');
    };
    (await import('node:fs')).mkdirSync(context, { recursive: true });
    write('one');
    const builds = vi.spyOn(docker, 'buildImage');
    const spec: ContainerSpec = {
      build: { context, args: { GREETING: 'hi' } },
      image: `dive-test-built-${instance.toLowerCase()}:latest`,
    };
    const r = request(instance, 'app', spec);
    expect((await runtime.preflight([r])).isOk()).toBe(true);
    expect(builds).toHaveBeenCalledTimes(1);
    writeFileSync(join(context, 'ignored.txt'), 'not part of the context');
    expect((await runtime.preflight([r])).isOk()).toBe(true);
    expect(builds).toHaveBeenCalledTimes(1);

    const h = (await runtime.start(r))._unsafeUnwrap();
    const info = await docker.getContainer(h.id).inspect();
    const tag = info.Config.Image;
    expect(tag).toMatch(new RegExp(`^dive-${instance.toLowerCase()}-app:[0-9a-f]{16}$`));
    expect((await execInContainer(docker, h.id, ['cat', '/hello.txt', '/greeting'])).output).toBe('onehi\n');
    expect((await docker.getImage(spec.image ?? '').inspect()).Id).toBe((await docker.getImage(tag).inspect()).Id);
    await runtime.stop(h, { graceMs: 0 });

    write('two');
    expect((await runtime.preflight([r])).isOk()).toBe(true);
    expect(builds).toHaveBeenCalledTimes(2);
    builds.mockRestore();
    const rebuilt = (await runtime.start(r))._unsafeUnwrap();
    const again = (await docker.getContainer(rebuilt.id).inspect()).Config.Image;
    expect(again).not.toBe(tag);
    await runtime.stop(rebuilt, { graceMs: 0 });
  }, 120_000);

  it('a failing build is ImageBuildFailedError with the engine message', async () => {
    const instance = code();
    const context = join(dir, `bad-${instance}`);
    (await import('node:fs')).mkdirSync(context, { recursive: true });
    writeFileSync(join(context, 'Dockerfile'), `FROM ${bed.image}\nRUN exit 3\n`);
    const e = (await runtime.preflight([request(instance, 'bad', { build: { context } })]))._unsafeUnwrapErr();
    expect([e._tag, e.code]).toEqual(['ImageBuildFailedError', 3006]);
    expect(e.message).toMatch(/returned a non-zero code: 3/);
  }, 60_000);

  it('a missing or unreadable build context is a typed input error naming the service and path (exit 2)', async () => {
    const instance = code();
    const missing = join(dir, `no-such-context-${instance}`);
    const e = (await runtime.preflight([request(instance, 'web', { build: { context: missing } })]))._unsafeUnwrapErr();
    expect([e._tag, e.code, exitCodeFor(e)]).toEqual(['ConfigMissingError', 1001, 2]);
    expect(e.message).toContain(missing);
    expect(e.message).toContain(`${instance}/web`);

    const notADirectory = join(dir, `file-context-${instance}`);
    writeFileSync(notADirectory, 'not a directory');
    const invalid = (
      await runtime.preflight([request(instance, 'web', { build: { context: notADirectory } })])
    )._unsafeUnwrapErr();
    expect([invalid._tag, exitCodeFor(invalid)]).toEqual(['ConfigInvalidError', 2]);
    expect(invalid.message).toContain(notADirectory);

    const topology: Topology = { instance, services: { web: { container: { build: { context: missing } } } } };
    const refused = (await orchestrate(topology, { runtime, state: bed.state }))._unsafeUnwrapErr();
    expect([refused._tag, exitCodeFor(refused)]).toEqual(['ConfigMissingError', 2]);
    expect(refused.message).toContain(missing);
  }, 60_000);
});
