import { describe, expect, it } from 'vitest';
import { defineTopology } from './define-topology.js';
import type { TopologyProblem } from './problems.js';
import type { Topology } from './types.js';

/** `path: message` of each problem of an invalid value (fails the test if it is valid). */
function problems(value: unknown): string[] {
  const result = defineTopology(value as Topology);
  if (result.isOk()) throw new Error('expected the topology to be invalid');
  return (result.error.context['problems'] as TopologyProblem[]).map((p) => `${p.path}: ${p.message}`);
}
const app = (container: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({
  instance: 'USA',
  services: { web: { container }, db: { container: { image: 'db' } } },
  ...extra,
});

describe('the container model (networks, volumes, ports, build, …)', () => {
  it('accepts a whole application and returns it unchanged', () => {
    const topology: Topology = {
      instance: 'USA',
      networks: { back: { internal: true, labels: { team: 'a' } }, outside: { external: true, name: 'proxy' } },
      volumes: { data: {}, shared: { external: true } },
      secrets: { pw: { file: '/etc/pw' } },
      configs: { conf: { file: '/etc/app.conf' } },
      services: {
        db: {
          container: {
            image: 'postgres:16',
            networks: { back: { aliases: ['database'] } },
            volumes: [{ type: 'volume', source: 'data', target: '/var/lib/postgresql/data' }],
            secrets: [{ source: 'pw' }],
            restart: 'on-failure:3',
            update: { order: 'stop-first' },
          },
        },
        web: {
          container: {
            build: { context: '/src/web', dockerfile: 'Dockerfile.prod', args: { V: '1' }, target: 'run' },
            networks: { default: {}, back: {}, outside: { ipv4Address: '10.1.0.5' } },
            ports: [
              { target: 80, published: 8080, hostIp: '127.0.0.1' },
              { target: 53, protocol: 'udp' },
            ],
            expose: [9000],
            volumes: [
              { type: 'bind', source: '/src/web/static', target: '/static', readOnly: true },
              { type: 'tmpfs', target: '/cache', tmpfsSizeBytes: 1_000_000 },
              { type: 'volume', target: '/anonymous' },
            ],
            configs: [{ source: 'conf', target: '/etc/app.conf' }],
            tmpfs: ['/run'],
            readOnly: true,
            user: '1000:1000',
            workingDir: '/app',
            init: true,
            stopSignal: 'SIGINT',
            stopGraceMs: 20_000,
            capAdd: ['NET_ADMIN'],
            capDrop: ['ALL'],
            ulimits: { nofile: { soft: 1024, hard: 2048 } },
            cpus: 0.5,
            healthcheck: { disable: true },
            docker: { hostConfig: { ShmSize: 1_000_000 }, config: { Tty: true } },
          },
          dependsOn: { db: { condition: 'healthy' }, cache: { condition: 'started', required: false } },
        },
        sidecar: { container: { image: 'busybox', networkMode: 'service:web' } },
      },
    };
    const result = defineTopology(topology);
    expect(result.isErr() ? result.error.message : result.value).toEqual(topology);
  });

  it('still accepts the older network: none | host', () => {
    expect(defineTopology(app({ image: 'x', network: 'host' }) as Topology).isOk()).toBe(true);
  });

  it.each([
    ['neither image nor build', app({}), "services.web.container: service 'web' needs an image or a build"],
    [
      'an undeclared network',
      app({ image: 'x', networks: { back: {} } }),
      "services.web.container.networks.back: network 'back' is not declared (not a top-level network)",
    ],
    [
      'an undeclared volume, with a suggestion',
      app({ image: 'x', volumes: [{ type: 'volume', source: 'dta', target: '/d' }] }, { volumes: { data: {} } }),
      "services.web.container.volumes[0].source: volume 'dta' is not declared (not a top-level volume) (did you mean 'data'?)",
    ],
    [
      'a bind mount without a source',
      app({ image: 'x', volumes: [{ type: 'bind', target: '/d' }] }),
      'services.web.container.volumes[0].source: a bind mount needs a source (the host path)',
    ],
    [
      'a relative mount target',
      app({ image: 'x', volumes: [{ type: 'tmpfs', target: 'd' }] }),
      'services.web.container.volumes[0].target: must be an absolute path inside the container',
    ],
    [
      'networkMode of an unknown service',
      app({ image: 'x', networkMode: 'service:dbb' }),
      "services.web.container.networkMode: networkMode names service 'dbb', which is not a container service of this topology (did you mean 'db'?)",
    ],
    [
      'networkMode and networks',
      app({ image: 'x', networkMode: 'host', networks: { default: {} } }),
      'services.web.container.networks: a container with a networkMode shares that network stack and cannot also join networks',
    ],
    [
      'a networkMode of another kind',
      app({ image: 'x', networkMode: 'bridge' }),
      "services.web.container.networkMode: must be 'none', 'host', 'service:<service name>' or 'container:<name or id>'",
    ],
    [
      'an undeclared secret',
      app({ image: 'x', secrets: [{ source: 'pw' }] }),
      "services.web.container.secrets[0].source: secret 'pw' is not declared (there are no top-level secrets)",
    ],
    [
      'a restart policy of another kind',
      app({ image: 'x', restart: 'sometimes' }),
      "services.web.container.restart: must be 'no', 'always', 'unless-stopped', 'on-failure' or 'on-failure:<max retries>'",
    ],
    [
      'a port out of range',
      app({ image: 'x', ports: [{ target: 70_000 }] }),
      'services.web.container.ports[0].target: must be a port (1–65535)',
    ],
    [
      'an unknown network key, with a suggestion',
      app({ image: 'x' }, { networks: { back: { internl: true } } }),
      "networks.back.internl: unknown key 'internl' (did you mean 'internal'?)",
    ],
    [
      'a required dependency that is absent',
      { instance: 'USA', services: { web: { container: { image: 'x' }, dependsOn: { c: { condition: 'started' } } } } },
      "services.web.dependsOn.c: service 'web' depends on 'c', which is not defined",
    ],
  ])('refuses %s', (_, value, problem) => {
    expect(problems(value)).toContain(problem);
  });
});
