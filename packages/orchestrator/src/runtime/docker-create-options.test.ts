import { describe, expect, it } from 'vitest';
import { resolvePathsFromFile } from '../topology/resolve-paths.js';
import type { ContainerSpec } from '../topology/types.js';
import { containerCreateOptions } from './docker-create-options.js';
import { planMounts, serviceVolumeName } from './docker-mounts.js';
import { planNetworks } from './docker-network-plan.js';
import { restartPolicy } from './docker-restart-policy.js';
import type { TopologyResources } from './docker-resource-names.js';

const resources: TopologyResources = {
  networks: { back: { internal: true }, proxy: { external: true }, named: { name: 'shared-net' } },
  volumes: { data: {}, old: { external: true, name: 'legacy' } },
  secrets: { pw: { file: '/etc/dive/pw' } },
  configs: { conf: { file: '/etc/dive/app.conf' } },
};

const options = (spec: ContainerSpec, imageVolumes: string[] = []) =>
  containerCreateOptions({
    name: 'c',
    image: 'img',
    spec,
    env: { A: '1' },
    labels: { 'dive.instance': 'USA' },
    mounts: planMounts('USA', 'web', spec, resources, imageVolumes),
    network: planNetworks('USA', 'web', spec, resources),
    defaultGraceMs: 10_000,
  });

describe('the create call of a container', () => {
  it('joins the instance default network by default, answering to the service name', () => {
    const o = options({ image: 'img' });
    expect(o.HostConfig?.NetworkMode).toBe('dive_usa_default');
    expect(o.NetworkingConfig).toEqual({ EndpointsConfig: { dive_usa_default: { Aliases: ['web'] } } });
  });

  it('names networks per instance unless named or external; aliases per network', () => {
    const plan = planNetworks(
      'USA',
      'web',
      {
        image: 'img',
        hostname: 'www',
        networks: { back: { aliases: ['api'] }, proxy: {}, named: { ipv4Address: '10.0.0.2' } },
      },
      resources,
    );
    expect(
      plan.kind === 'networks' && plan.endpoints.map((e) => [e.placed.name, e.placed.external, e.aliases]),
    ).toEqual([
      ['dive_usa_back', false, ['web', 'www', 'api']],
      ['proxy', true, ['web', 'www']],
      ['shared-net', false, ['web', 'www']],
    ]);
  });

  it('shares a network stack with networkMode, or the older network', () => {
    expect(options({ image: 'img', networkMode: 'host' }).HostConfig?.NetworkMode).toBe('host');
    expect(options({ image: 'img', network: 'none' }).HostConfig?.NetworkMode).toBe('none');
    expect(options({ image: 'img', network: 'none' }).NetworkingConfig).toBeUndefined();
  });

  it('publishes ports and exposes ports', () => {
    const o = options({
      image: 'img',
      ports: [
        { target: 80, published: 8080, hostIp: '127.0.0.1' },
        { target: 53, protocol: 'udp' },
      ],
      expose: [9000],
    });
    expect(o.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {}, '9000/tcp': {} });
    expect(o.HostConfig?.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '53/udp': [{ HostPort: '' }],
    });
  });

  it('mounts named, external, anonymous and image volumes, binds, tmpfs, secrets and configs', () => {
    const spec: ContainerSpec = {
      image: 'img',
      volumes: [
        { type: 'volume', source: 'data', target: '/data', nocopy: true },
        { type: 'volume', source: 'old', target: '/old', readOnly: true },
        { type: 'volume', target: '/anon' },
        { type: 'bind', source: '/srv/static', target: '/static', readOnly: true },
        { type: 'bind', source: '/srv/strict', target: '/strict', createHostPath: false },
        { type: 'tmpfs', target: '/cache', tmpfsSizeBytes: 1024 },
      ],
      tmpfs: ['/run:size=64m', '/tmp'],
      secrets: [{ source: 'pw' }],
      configs: [{ source: 'conf', target: '/etc/app.conf' }],
    };
    const plan = planMounts('USA', 'web', spec, resources, ['/data', '/var/lib/image']);
    expect(plan.mounts).toEqual([
      { Type: 'volume', Source: 'dive_usa_data', Target: '/data', VolumeOptions: { NoCopy: true } },
      { Type: 'volume', Source: 'legacy', Target: '/old', ReadOnly: true },
      { Type: 'volume', Source: serviceVolumeName('USA', 'web', '/anon'), Target: '/anon' },
      { Type: 'bind', Source: '/srv/strict', Target: '/strict' },
      { Type: 'tmpfs', Target: '/cache', TmpfsOptions: { SizeBytes: 1024 } },
      { Type: 'volume', Source: serviceVolumeName('USA', 'web', '/var/lib/image'), Target: '/var/lib/image' },
      { Type: 'bind', Source: '/etc/dive/pw', Target: '/run/secrets/pw', ReadOnly: true },
      { Type: 'bind', Source: '/etc/dive/app.conf', Target: '/etc/app.conf', ReadOnly: true },
    ]);
    expect(plan.binds).toEqual(['/srv/static:/static:ro']);
    expect(plan.tmpfs).toEqual({ '/run': 'size=64m', '/tmp': '' });
    expect(plan.volumes.map((v) => [v.placed.name, v.placed.external, v.service])).toEqual([
      ['dive_usa_data', false, undefined],
      ['legacy', true, undefined],
      [serviceVolumeName('USA', 'web', '/anon'), false, 'web'],
      [serviceVolumeName('USA', 'web', '/var/lib/image'), false, 'web'],
    ]);
    expect(serviceVolumeName('USA', 'web', '/anon')).toMatch(/^dive_usa_web_[0-9a-f]{12}$/);
  });

  it('sets user, limits and the rest; the pass-through wins', () => {
    const o = options({
      image: 'img',
      command: ['run'],
      entrypoint: ['/bin/sh', '-c'],
      user: '1000:1000',
      workingDir: '/app',
      hostname: 'www',
      domainname: 'example.org',
      init: true,
      readOnly: true,
      stopSignal: 'SIGINT',
      stopGraceMs: 2500,
      capAdd: ['NET_ADMIN'],
      capDrop: ['ALL'],
      ulimits: { nofile: { soft: 10, hard: 20 } },
      memoryBytes: 1_000_000,
      cpus: 0.5,
      platform: 'linux/amd64',
      healthcheck: { disable: true },
      docker: { config: { Tty: true }, hostConfig: { ShmSize: 4096, Init: false } },
    });
    expect(o).toMatchObject({
      name: 'c',
      Image: 'img',
      Env: ['A=1'],
      Cmd: ['run'],
      Entrypoint: ['/bin/sh', '-c'],
      User: '1000:1000',
      WorkingDir: '/app',
      Hostname: 'www',
      Domainname: 'example.org',
      StopSignal: 'SIGINT',
      StopTimeout: 3,
      Healthcheck: { Test: ['NONE'] },
      Tty: true,
      platform: 'linux/amd64',
      HostConfig: {
        ReadonlyRootfs: true,
        CapAdd: ['NET_ADMIN'],
        CapDrop: ['ALL'],
        Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }],
        Memory: 1_000_000,
        MemorySwap: 1_000_000,
        NanoCpus: 500_000_000,
        ShmSize: 4096,
        Init: false,
      },
    });
    expect(options({ image: 'img' }).StopTimeout).toBe(10);
  });

  it('maps restart policies', () => {
    expect(restartPolicy('always')).toEqual({ Name: 'always' });
    expect(restartPolicy('on-failure:3')).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
  });
});

describe('resolvePathsFromFile', () => {
  it('makes build contexts, bind sources, secret and config files absolute from the file', () => {
    const t = resolvePathsFromFile(
      {
        instance: 'USA',
        secrets: { pw: { file: 'pw.txt' } },
        configs: { c: { file: '/abs/c' } },
        services: {
          web: {
            container: {
              build: { context: './web' },
              volumes: [
                { type: 'bind', source: './static', target: '/s' },
                { type: 'volume', source: 'data', target: '/d' },
              ],
            },
          },
        },
      },
      '/srv/app/dive.yaml',
    );
    expect(t.secrets).toEqual({ pw: { file: '/srv/app/pw.txt' } });
    expect(t.configs).toEqual({ c: { file: '/abs/c' } });
    expect(t.services['web']?.container?.build?.context).toBe('/srv/app/web');
    expect(t.services['web']?.container?.volumes?.map((m) => m.source)).toEqual(['/srv/app/static', 'data']);
  });
});
