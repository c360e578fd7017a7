import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defineTopology } from './define-topology.js';
import { parseTopologyText } from './load-topology.js';
import type { TopologyProblem } from './problems.js';
import type { ServiceSpec, Topology } from './types.js';

const proc = { process: { command: 'node', args: ['x.js'] } } as const;

/** The problems of an invalid value (fails the test if it is valid). */
function problems(value: unknown): TopologyProblem[] {
  const result = defineTopology(value as Topology);
  if (result.isOk()) throw new Error('expected the topology to be invalid');
  expect(result.error._tag).toBe('ConfigInvalidError');
  expect(result.error.code).toBe(1002);
  return result.error.context['problems'] as TopologyProblem[];
}
const paths = (value: unknown): string[] => problems(value).map((p) => p.path);
const one = (services: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  instance: 'USA',
  services,
  ...extra,
});

describe('defineTopology', () => {
  it('accepts a valid topology and returns it', () => {
    const topology: Topology = {
      instance: 'USA',
      defaults: { startTimeoutMs: 30_000, retry: { policy: 'exponential', attempts: 3 } },
      services: {
        db: {
          container: { image: 'postgres:16', network: 'host', environment: { PW: { secret: 'DB_PW' } } },
          health: [{ type: 'docker' }],
        },
        link: { kind: 'job', ...proc, dependsOn: { db: 'healthy' } },
        api: {
          ...proc,
          dependsOn: { db: 'started', link: 'completed' },
          health: [{ type: 'http', url: 'http://127.0.0.1:1/h', expectStatus: [200, 204] }],
        },
      },
    };
    const result = defineTopology(topology);
    expect(result._unsafeUnwrap()).toEqual(topology);
  });

  it('refuses service names that differ only by case, naming both', () => {
    const found = problems({ instance: 'USA', services: { api: proc, API: proc, db: proc } });
    expect(found).toEqual([
      expect.objectContaining({
        path: 'services.API',
        message: "service names 'api' and 'API' differ only by case; rename one",
      }),
    ]);
  });

  it('runs the README example', () => {
    const topology = defineTopology({
      instance: 'USA',
      services: {
        db: { process: { command: 'node', args: ['db.js'] }, health: [{ type: 'tcp', port: 5432 }] },
        api: { process: { command: 'node', args: ['api.js'] }, dependsOn: ['db'] },
      },
    });
    expect(topology.isOk()).toBe(true);
  });

  it.each([
    ['instance code', { instance: 'usa', services: {} }, 'instance'],
    ['instance code length', { instance: 'USAA', services: {} }, 'instance'],
    ['unknown top-level key', { instance: 'USA', services: {}, servics: {} }, 'servics'],
    ['service name', one({ 'bad name': proc }), 'services["bad name"]'],
    ['service name start', one({ _x: proc }), 'services._x'],
    ['neither container nor process', one({ a: {} }), 'services.a'],
    ['both container and process', one({ a: { ...proc, container: { image: 'x' } } }), 'services.a'],
    ['network bridge', one({ a: { container: { image: 'x', network: 'bridge' } } }), 'services.a.container.network'],
    ['empty image', one({ a: { container: { image: '' } } }), 'services.a.container.image'],
    ['unknown container key', one({ a: { container: { image: 'x', publish: [] } } }), 'services.a.container.publish'],
    ['zero timeout', one({ a: { ...proc, startTimeoutMs: 0 } }), 'services.a.startTimeoutMs'],
    ['negative grace', one({ a: { process: { command: 'x', stopGraceMs: -1 } } }), 'services.a.process.stopGraceMs'],
    ['fractional timeout', one({ a: { ...proc, startTimeoutMs: 1.5 } }), 'services.a.startTimeoutMs'],
    [
      'attempts 0',
      one({ a: { ...proc, retry: { policy: 'fixed-jitter', attempts: 0 } } }),
      'services.a.retry.attempts',
    ],
    ['unknown policy', one({ a: { ...proc, retry: { policy: 'linear', attempts: 2 } } }), 'services.a.retry.policy'],
    [
      'breaker threshold 0',
      one({ a: { ...proc, breaker: { failureThreshold: 0 } } }),
      'services.a.breaker.failureThreshold',
    ],
    [
      'defaults timeout',
      { instance: 'USA', services: {}, defaults: { startTimeoutMs: -1 } },
      'defaults.startTimeoutMs',
    ],
    ['unknown check type', one({ a: { ...proc, health: [{ type: 'grpc' }] } }), 'services.a.health[0].type'],
    ['http url', one({ a: { ...proc, health: [{ type: 'http', url: 'ftp://x' }] } }), 'services.a.health[0].url'],
    [
      'http status',
      one({ a: { ...proc, health: [{ type: 'http', url: 'http://x', expectStatus: 99 }] } }),
      'services.a.health[0].expectStatus',
    ],
    ['tcp port', one({ a: { ...proc, health: [{ type: 'tcp', port: 70000 }] } }), 'services.a.health[0].port'],
    ['docker check on a process', one({ a: { ...proc, health: [{ type: 'docker' }] } }), 'services.a.health[0]'],
    [
      'exec check on a process',
      one({ a: { ...proc, health: [{ type: 'exec', cmd: ['true'] }] } }),
      'services.a.health[0]',
    ],
    [
      'docker healthcheck test',
      one({ a: { container: { image: 'x', healthcheck: { test: ['RUN', 'x'] } } } }),
      'services.a.container.healthcheck.test',
    ],
    ['unknown dependency', one({ a: proc, b: { ...proc, dependsOn: ['a', 'c'] } }), 'services.b.dependsOn[1]'],
    [
      'unknown dependency in a map',
      one({ a: proc, b: { ...proc, dependsOn: { c: 'healthy' } } }),
      'services.b.dependsOn.c',
    ],
    ['duplicate dependency', one({ a: proc, b: { ...proc, dependsOn: ['a', 'a'] } }), 'services.b.dependsOn[1]'],
    ['bad condition', one({ a: proc, b: { ...proc, dependsOn: { a: 'ready' } } }), 'services.b.dependsOn.a'],
    [
      'completed on a service',
      one({ a: proc, b: { ...proc, dependsOn: { a: 'completed' } } }),
      'services.b.dependsOn.a',
    ],
    ['dependsOn not a list or map', one({ a: { ...proc, dependsOn: 'b' } }), 'services.a.dependsOn'],
    [
      'secret name',
      one({ a: { process: { command: 'x', env: { A: { secret: '1X' } } } } }),
      'services.a.process.env.A.secret',
    ],
    ['env value', one({ a: { process: { command: 'x', env: { A: [1] } } } }), 'services.a.process.env.A'],
    ['kind', one({ a: { ...proc, kind: 'cron' } }), 'services.a.kind'],
  ])('rejects %s', (_name, value, path) => {
    expect(paths(value)).toContain(path);
  });

  it('reports every problem at once, with a readable message', () => {
    const result = defineTopology({
      instance: 'usa',
      services: { a: { ...proc, startTimeoutMs: 0, dependsOn: ['nope'] }, b: {} },
    });
    const error = result._unsafeUnwrapErr();
    expect((error.context['problems'] as TopologyProblem[]).map((p) => p.path)).toEqual([
      'instance',
      'services.a.dependsOn[0]',
      'services.a.startTimeoutMs',
      'services.b',
    ]);
    expect(error.message.split('\n')).toHaveLength(5);
    expect(error.message).toContain('Invalid topology (4 problems):');
  });

  it('suggests keys of the same object only', () => {
    const found = problems(
      one({ a: { container: { image: 'x', comand: ['y'] }, retry: { policy: 'none', atempts: 2 } } }),
    );
    expect(found.map((p) => p.message).sort()).toEqual([
      'is required (number)',
      "unknown key 'atempts' (did you mean 'attempts'?)",
      "unknown key 'comand' (did you mean 'command'?)",
    ]);
    const check = problems(one({ a: { ...proc, health: [{ type: 'tcp', port: 1, hots: 'x' }] } }));
    expect(check[0]?.message).toBe("unknown key 'hots' (did you mean 'host'?)");
  });

  it('reads numbers and booleans in env maps as strings', () => {
    const result = defineTopology(
      one({ a: { process: { command: 'x', env: { PORT: 5432, DEBUG: true } } } }) as unknown as Topology,
    );
    expect(result._unsafeUnwrap().services['a']?.process?.env).toEqual({ PORT: '5432', DEBUG: 'true' });
  });

  it('suggests close names for unknown keys and dependencies', () => {
    const found = problems(one({ keycloak: proc, api: { proces: {}, ...proc, dependsOn: ['kecloak'] } }));
    expect(found.map((p) => p.message).join('\n')).toMatch(/'proces'.*did you mean 'process'/);
    expect(found.map((p) => p.message).join('\n')).toMatch(/'kecloak'.*did you mean 'keycloak'/);
  });
});

const serviceName = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,20}$/);
const check = fc.oneof(
  fc.record({
    type: fc.constant('http' as const),
    url: fc.constant('http://127.0.0.1:8080/health'),
    timeoutMs: fc.integer({ min: 1, max: 60_000 }),
  }),
  fc.record({ type: fc.constant('tcp' as const), port: fc.integer({ min: 1, max: 65_535 }) }),
  fc.constant({ type: 'running' as const }),
);
const arbitraryTopology = fc
  .record({
    instance: fc.stringMatching(/^[A-Z]{3}$/),
    names: fc.uniqueArray(serviceName, { minLength: 1, maxLength: 12 }),
    seed: fc.array(fc.tuple(fc.boolean(), fc.nat(), fc.nat(), fc.boolean(), fc.array(check, { maxLength: 3 })), {
      minLength: 12,
      maxLength: 12,
    }),
    attempts: fc.integer({ min: 1, max: 10 }),
  })
  .map(({ instance, names, seed, attempts }): Topology => {
    const services: Record<string, ServiceSpec> = {};
    names.forEach((name, i) => {
      const [container, depCount, offset, asMap, health] = seed[i] ?? [false, 0, 0, false, []];
      // Dependencies only on earlier services: never a cycle, always defined.
      const deps = [
        ...new Set(Array.from({ length: Math.min(depCount % 3, i) }, (_, k) => names[(offset + k) % i] ?? '')),
      ];
      services[name] = {
        ...(container
          ? { container: { image: `img-${i}`, network: 'none' as const } }
          : { process: { command: 'node', args: [`${name}.js`] } }),
        health,
        retry: { policy: 'exponential', attempts },
        ...(deps.length === 0
          ? {}
          : { dependsOn: asMap ? Object.fromEntries(deps.map((d) => [d, 'healthy' as const])) : deps }),
      };
    });
    return { instance, services };
  });

describe('defineTopology (property)', () => {
  it('accepts every well-formed topology and returns it unchanged', () => {
    fc.assert(
      fc.property(arbitraryTopology, (topology) => {
        const result = defineTopology(topology);
        expect(result.isOk() ? result.value : result.error.message).toEqual(topology);
      }),
      { numRuns: 200 },
    );
  });

  it('loads the YAML and the JSON of every well-formed topology back to the same topology', () => {
    fc.assert(
      fc.property(arbitraryTopology, (topology) => {
        for (const [text, file] of [
          [stringify(topology), 'dive.yaml'],
          [JSON.stringify(topology, null, 2), 'dive.json'],
        ] as const) {
          const loaded = parseTopologyText(text, file, { env: {} });
          expect(loaded instanceof Error ? loaded.message : loaded.topology).toEqual(topology);
        }
      }),
      { numRuns: 100 },
    );
  });
});
