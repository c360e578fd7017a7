import { describe, expect, it } from 'vitest';
import { containerOf, importText, messages } from './test-support.js';

const one = (yaml: string): ReturnType<typeof importText> =>
  importText(`services:\n  a:\n${yaml.replace(/^/gm, '    ')}\n`);

describe('service keys', () => {
  it('maps the container basics', () => {
    const result = one(
      [
        'image: x',
        'command: sh -c "echo hi"',
        'entrypoint: [/init]',
        'user: "1000:1000"',
        'working_dir: /app',
        'init: true',
        'stop_signal: SIGINT',
        'stop_grace_period: 1m30s',
        'hostname: h',
        'domainname: example.com',
        'container_name: my-a',
        'cap_add: [NET_ADMIN]',
        'cap_drop: [ALL]',
        'restart: on-failure:3',
        'platform: linux/amd64',
        'scale: 1',
      ].join('\n'),
    );
    expect(result.problems).toEqual([]);
    expect(containerOf(result)).toEqual({
      image: 'x',
      command: ['sh', '-c', 'echo hi'],
      entrypoint: ['/init'],
      user: '1000:1000',
      workingDir: '/app',
      init: true,
      stopSignal: 'SIGINT',
      stopGraceMs: 90_000,
      hostname: 'h',
      domainname: 'example.com',
      containerName: 'my-a',
      capAdd: ['NET_ADMIN'],
      capDrop: ['ALL'],
      restart: 'on-failure:3',
      platform: 'linux/amd64',
    });
  });

  it('maps resources: mem_limit, cpus, ulimits and deploy', () => {
    const c = containerOf(
      one(
        [
          'image: x',
          'mem_limit: 1g',
          'cpus: "0.5"',
          'ulimits: { nproc: 65535, nofile: { soft: 20000, hard: 40000 } }',
          'deploy:',
          '  resources: { limits: { memory: 512M, cpus: "1.5", pids: 100 }, reservations: { memory: 128m } }',
          '  update_config: { order: start-first }',
          '  restart_policy: { condition: on-failure }',
        ].join('\n'),
      ),
    );
    expect(c).toMatchObject({
      memoryBytes: 512 * 1024 ** 2,
      cpus: 1.5,
      ulimits: { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } },
      update: { order: 'start-first' },
      restart: 'on-failure',
      docker: { hostConfig: { PidsLimit: 100, MemoryReservation: 128 * 1024 ** 2 } },
    });
  });

  it('refuses more than one replica and warns about Swarm-only deploy keys', () => {
    const result = one('image: x\ndeploy: { replicas: 2, placement: { constraints: [] }, mode: replicated }');
    expect(messages(result.problems)).toEqual([
      'services.a.deploy.replicas: dive runs one container per service (replicas must be 1)',
    ]);
    expect(messages(result.warnings)).toEqual([
      "services.a.deploy.placement: service 'a': deploy.placement is ignored (Swarm only)",
      "services.a.deploy.mode: service 'a': deploy.mode is ignored (Swarm only)",
    ]);
  });

  it('maps build as a string or an object', () => {
    expect(containerOf(one('build: ./app'))['build']).toEqual({ context: '/project/app' });
    const result = one(
      'build: { context: web, dockerfile: Dockerfile.dev, args: [A=1, B], target: dev, cache_from: [x] }',
    );
    expect(containerOf(result)['build']).toEqual({
      context: '/project/web',
      dockerfile: 'Dockerfile.dev',
      args: { A: '1' },
      target: 'dev',
    });
    expect(messages(result.warnings)).toEqual([
      "services.a.build.cache_from: service 'a': build option 'cache_from' is ignored",
    ]);
    expect(messages(one('build: https://github.com/x/y.git').problems)).toEqual([
      'services.a.build: a remote build context is not supported',
    ]);
  });

  it('refuses a service with neither image nor build', () => {
    expect(messages(one('command: x').problems)).toEqual(["services.a: service 'a' needs an image or a build"]);
  });

  it('maps healthcheck, and disable: true or test NONE', () => {
    const result = one(
      'image: x\nhealthcheck: { test: curl -f localhost, interval: 5s, timeout: 1s, retries: 3, start_period: 1m, start_interval: 1s }',
    );
    expect(containerOf(result)['healthcheck']).toEqual({
      test: ['CMD-SHELL', 'curl -f localhost'],
      intervalMs: 5000,
      timeoutMs: 1000,
      retries: 3,
      startPeriodMs: 60_000,
    });
    expect((result.topology['services'] as Record<string, Record<string, unknown>>)['a']?.['health']).toEqual([
      { type: 'docker' },
    ]);
    expect(containerOf(one('image: x\nhealthcheck: { disable: true }'))['healthcheck']).toEqual({ disable: true });
    expect(containerOf(one('image: x\nhealthcheck: { test: [NONE] }'))['healthcheck']).toEqual({ disable: true });
    expect(messages(one('image: x\nhealthcheck: { interval: nope, test: x }').problems)).toEqual([
      'services.a.healthcheck.interval: must be a duration like 30s, 1m30s or 500ms',
    ]);
  });

  it('passes the Docker API keys through', () => {
    const c = containerOf(
      one(
        [
          'image: x',
          'tty: true',
          'stdin_open: true',
          'privileged: true',
          'sysctls: [net.core.somaxconn=1024]',
          'shm_size: 256m',
          'devices: ["/dev/fuse", "/dev/a:/dev/b:r"]',
          'dns: 8.8.8.8',
          'dns_search: [example.com]',
          'extra_hosts: ["somehost:162.242.195.82", "other=10.0.0.1"]',
          'security_opt: [no-new-privileges:true]',
          'pid: host',
          'ipc: shareable',
          'runtime: runc',
          'logging: { driver: json-file, options: { max-size: 10m } }',
          'memswap_limit: -1',
        ].join('\n'),
      ),
    );
    expect(c['docker']).toEqual({
      config: { Tty: true, OpenStdin: true },
      hostConfig: {
        Privileged: true,
        Sysctls: { 'net.core.somaxconn': '1024' },
        ShmSize: 256 * 1024 ** 2,
        Devices: [
          { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
          { PathOnHost: '/dev/a', PathInContainer: '/dev/b', CgroupPermissions: 'r' },
        ],
        Dns: ['8.8.8.8'],
        DnsSearch: ['example.com'],
        ExtraHosts: ['somehost:162.242.195.82', 'other:10.0.0.1'],
        SecurityOpt: ['no-new-privileges:true'],
        PidMode: 'host',
        IpcMode: 'shareable',
        Runtime: 'runc',
        LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } },
        MemorySwap: -1,
      },
    });
  });

  it('warns about ignored keys and refuses unsupported ones, each at its line path', () => {
    const result = one(
      'image: x\nlinks: [db]\npull_policy: always\nvolumes_from: [b]\ngpus: all\npost_start: [{ command: x }]',
    );
    expect(messages(result.warnings)).toEqual([
      "services.a.links: service 'a': 'links' is ignored (service names (and aliases) already resolve on the instance network; link aliases are not created)",
      "services.a.pull_policy: service 'a': 'pull_policy' is ignored (images are used as found locally or built; dive does not pull by policy)",
    ]);
    expect(messages(result.problems)).toEqual([
      "services.a.volumes_from: 'volumes_from' is not supported: sharing another container's volumes is not supported; mount the same named volume",
      "services.a.gpus: 'gpus' is not supported: GPU requests are not supported",
      "services.a.post_start: 'post_start' is not supported: lifecycle hooks are not supported",
    ]);
  });
});

describe('depends_on', () => {
  it('maps lists, conditions, required and jobs', () => {
    const result = importText(
      [
        'services:',
        '  a:',
        '    image: x',
        '    depends_on:',
        '      b: { condition: service_healthy, restart: true }',
        '      c: { condition: service_completed_successfully }',
        '      d: { condition: service_started, required: false }',
        '  b: { image: x, depends_on: [c] }',
        '  c: { image: x }',
        '',
      ].join('\n'),
    );
    const services = result.topology['services'] as Record<string, Record<string, unknown>>;
    expect(services['a']?.['dependsOn']).toEqual({
      b: 'healthy',
      c: 'completed',
      d: { condition: 'started', required: false },
    });
    expect(services['b']?.['dependsOn']).toEqual({ c: 'started' });
    expect(services['c']?.['kind']).toBe('job');
  });
});
