import Docker from 'dockerode';
import {
  dockerClient,
  ensureBusyboxImage,
  instanceLabels,
  removeLabelledContainers,
  uniqueSuffix,
  waitFor,
} from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHealthWaiter } from '../adapters/health-waiter.js';
import { runtimeContract } from '../testing/runtime-contract.js';
import { dockerRuntime } from './docker-runtime.js';
import type { ServiceHandle, StartRequest } from './types.js';

const docker = dockerClient();
const getEvents = vi.spyOn(docker, 'getEvents');
const runtime = dockerRuntime({ docker, stopGraceMs: 2000 });
const instance = `D${uniqueSuffix()}`.toUpperCase();
let image = '';

const request = (
  service: string,
  env: Record<string, string> = {},
  extra: Partial<StartRequest> = {},
): StartRequest => ({
  instance,
  service,
  deploymentId: `dep-${uniqueSuffix()}`,
  configHash: 'hash-1',
  kind: 'service',
  env: { HEALTH_MODE: 'pass', ...env },
  container: { image },
  ...extra,
});

beforeAll(async () => {
  image = await ensureBusyboxImage(docker);
});

afterAll(async () => {
  await removeLabelledContainers(docker, instanceLabels(instance), { volumes: true });
  await runtime.removeResources?.(instance, { volumes: true });
  await runtime[Symbol.asyncDispose]();
});

describe('dockerRuntime: the runtime contract', () => {
  const cases = runtimeContract({
    runtime,
    instance,
    logLine: 'log line 1',
    exitWithinMs: 15_000,
    request: (kind, service) =>
      kind === 'long'
        ? request(service)
        : kind === 'exits'
          ? request(service, { EXIT_AFTER: '1', EXIT_CODE: '3' })
          : { ...request(service), container: { image: 'dive-no-such-image:never' } },
  });
  for (const c of cases) it(c.name, c.run);
});

describe('dockerRuntime', () => {
  it('names, labels, network and healthcheck (ns) of a container', async () => {
    const r = request(
      'Web_1',
      {},
      {
        deploymentId: 'AbCd-1234-ef56',
        container: {
          image,
          network: 'none',
          labels: { team: 'x', 'dive.managed': 'no' },
          healthcheck: {
            test: ['CMD', '/bin/health'],
            intervalMs: 1500,
            timeoutMs: 2000,
            retries: 2,
            startPeriodMs: 500,
          },
        },
      },
    );
    const h = (await runtime.start(r))._unsafeUnwrap();
    try {
      expect(h.name).toBe(`dive-${instance.toLowerCase()}-web_1-abcd1234`);
      const info = await docker.getContainer(h.id).inspect();
      expect(info.Config.Labels).toMatchObject({
        'dive.instance': instance,
        'dive.service': 'Web_1',
        'dive.deployment': 'AbCd-1234-ef56',
        'dive.config-hash': 'hash-1',
        'dive.managed': 'true',
        team: 'x',
      });
      expect(info.HostConfig.NetworkMode).toBe('none');
      expect(info.Config.Healthcheck).toEqual({
        Test: ['CMD', '/bin/health'],
        Interval: 1_500_000_000,
        Timeout: 2_000_000_000,
        Retries: 2,
        StartPeriod: 500_000_000,
      });
      expect(info.Config.Env).toContain('HEALTH_MODE=pass');
    } finally {
      await runtime.stop(h, { graceMs: 0 });
    }
  });

  it('a container without networkMode joins the instance network, created once and labelled', async () => {
    const a = (await runtime.start(request('net-a')))._unsafeUnwrap();
    const b = (await runtime.start(request('net-b')))._unsafeUnwrap();
    try {
      const network = `dive_${instance.toLowerCase()}_default`;
      const info = await docker.getContainer(a.id).inspect();
      expect(info.HostConfig.NetworkMode).toBe(network);
      expect(info.NetworkSettings.Networks[network]?.Aliases).toContain('net-a');
      const net = (await docker.getNetwork(network).inspect()) as { Labels: Record<string, string> };
      expect(net.Labels).toMatchObject({
        'dive.managed': 'true',
        'dive.instance': instance,
        'dive.network': 'default',
      });
      const named = await docker.listNetworks({ filters: { name: [network] } });
      expect(named.filter((n) => n.Name === network)).toHaveLength(1);
    } finally {
      await runtime.stop(a, { graceMs: 0 });
      await runtime.stop(b, { graceMs: 0 });
    }
  });

  it('a missing image: ImageMissingError 3004 naming the image, with a remediation; at preflight too', async () => {
    const r = { ...request('noimg'), container: { image: 'dive-no-such-image:never' } };
    const e = (await runtime.preflight([request('ok'), r]))._unsafeUnwrapErr();
    expect(e.code).toBe(3004);
    expect(e.message).toContain('dive-no-such-image:never');
    expect(e.remediation).toMatch(/never pulls/);
    expect((await runtime.preflight([request('ok')])).isOk()).toBe(true);
    // start() gives the same ImageMissingError, and nothing is left behind.
    const s = (await runtime.start(r))._unsafeUnwrapErr();
    expect([s._tag, s.code]).toEqual(['ImageMissingError', 3004]);
    expect(s.message).toContain('dive-no-such-image:never');
  });

  it('a create/start failure: ContainerStartFailedError 3001 with the engine message, nothing left behind', async () => {
    const r = request('badcmd', {}, { container: { image, entrypoint: ['/no/such/binary'] } });
    const e = (await runtime.start(r))._unsafeUnwrapErr();
    expect(e._tag).toBe('ContainerStartFailedError');
    expect(e.message).toMatch(/no such file|not found/i);
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`dive.service=badcmd`, `dive.instance=${instance}`] },
    });
    expect(left).toEqual([]);
  });

  it('an unreachable engine: RuntimeUnavailableError 3005 from ping and start', async () => {
    const nowhere = dockerRuntime({ docker: new Docker({ socketPath: `/tmp/dive-no-docker-${uniqueSuffix()}.sock` }) });
    const e = (await nowhere.ping())._unsafeUnwrapErr();
    expect(e.code).toBe(3005);
    expect(e.message).toContain('dive-no-docker-');
    expect((await nowhere.start(request('x')))._unsafeUnwrapErr()._tag).toBe('RuntimeUnavailableError');
    await nowhere[Symbol.asyncDispose]();
  });

  it('one shared events subscription serves every onExit listener', async () => {
    const before = getEvents.mock.calls.length;
    const a = (await runtime.start(request('ex-a', { EXIT_AFTER: '1', EXIT_CODE: '4' })))._unsafeUnwrap();
    const b = (await runtime.start(request('ex-b', { EXIT_AFTER: '1', EXIT_CODE: '5' })))._unsafeUnwrap();
    const handles: ServiceHandle[] = [a, b];
    const codes = new Map<string, number>();
    for (const h of handles) runtime.onExit(h, (s) => codes.set(h.service, s.exitCode));
    await waitFor('both exits', () => codes.size === 2, 15_000);
    expect(Object.fromEntries(codes)).toEqual({ 'ex-a': 4, 'ex-b': 5 });
    expect(getEvents.mock.calls.length - before).toBeLessThanOrEqual(1);
    expect(getEvents.mock.calls.length).toBe(1);
    for (const h of handles) await runtime.stop(h, { graceMs: 0 });
  });

  it("exit detection and health waits share the runtime's one events stream (@dive/health's watcher)", async () => {
    const h = (await runtime.start(request('shared')))._unsafeUnwrap();
    const exited = new Promise<number>((resolve) => runtime.onExit(h, (s) => resolve(s.exitCode)));
    await using waiter = createHealthWaiter();
    const healthy = await waiter.wait(runtime, h, [{ type: 'docker' }], { deadlineMs: 15_000, kind: 'service' });
    expect(healthy._unsafeUnwrap()).toBe('healthy');
    await docker.getContainer(h.id).kill({ signal: 'SIGKILL' });
    expect(await exited).toBe(137);
    expect(getEvents.mock.calls.length).toBe(1);
    expect(runtime.dockerWatcher.connections()).toBe(1);
    await runtime.stop(h, { graceMs: 0 });
  });

  it('a start of the same deployment and service replaces an exited leftover, never a running container', async () => {
    const r = request('twice', { EXIT_AFTER: '0', EXIT_CODE: '0' });
    const first = (await runtime.start(r))._unsafeUnwrap();
    await waitFor(
      'the first to exit',
      async () => (await runtime.status(first))._unsafeUnwrap().state === 'exited',
      10_000,
    );
    const second = (await runtime.start({ ...r, env: { HEALTH_MODE: 'pass' } }))._unsafeUnwrap();
    expect(second.name).toBe(first.name);
    expect((await runtime.status(first))._unsafeUnwrap().state).toBe('missing');
    const third = (await runtime.start(r))._unsafeUnwrapErr();
    expect(third._tag).toBe('ContainerStartFailedError');
    expect(third.message).toContain('already running');
    expect((await runtime.status(second))._unsafeUnwrap().state).toBe('running');
    await runtime.stop(second, { graceMs: 0 });
  });

  it('reports OOMKilled in status and onExit', async () => {
    const r = request(
      'hog',
      {},
      {
        container: {
          image,
          memoryBytes: 8 * 1024 * 1024,
          entrypoint: [
            '/bin/sh',
            '-c',
            'echo start; x=$(yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | head -c 200000000); echo $x',
          ],
        },
      },
    );
    const h = (await runtime.start(r))._unsafeUnwrap();
    try {
      const exited = await new Promise<{ exitCode: number; oomKilled?: boolean }>((resolve) =>
        runtime.onExit(h, resolve),
      );
      expect(exited.oomKilled).toBe(true);
      expect((await runtime.status(h))._unsafeUnwrap()).toMatchObject({ state: 'exited', oomKilled: true });
    } finally {
      await runtime.stop(h, { graceMs: 0 });
    }
  });
});
