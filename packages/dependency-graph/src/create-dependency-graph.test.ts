import { DiveError } from '@dive/errors';
import { describe, expect, it } from 'vitest';
import { createDependencyGraph } from './create-dependency-graph.js';
import type { ServiceDependencies } from './types.js';

const problemsOf = (services: Parameters<typeof createDependencyGraph>[0]) => {
  const r = createDependencyGraph(services);
  if (r.isOk()) throw new Error('expected a GraphValidationError');
  return r.error;
};

describe('createDependencyGraph validation', () => {
  it('returns a GraphValidationError (1006) listing every problem at once, in a deterministic order', () => {
    const error = problemsOf({
      web: { dependsOn: ['api', 'cache'] },
      api: { dependsOn: ['db', 'api'] },
      db: { dependsOn: ['web'] },
      'bad name': {},
      x: { dependsOn: { y: 'healthy' } },
      y: { dependsOn: { x: 'started' } },
    });
    expect(DiveError.is(error)).toBe(true);
    expect(error._tag).toBe('GraphValidationError');
    expect(error.code).toBe(1006);
    expect(error.severity).toBe('CRITICAL');
    expect(error.problems).toEqual([
      { kind: 'invalid-name', service: 'bad name' },
      { kind: 'self-dependency', service: 'api' },
      { kind: 'unknown-dependency', service: 'web', dependency: 'cache' },
      { kind: 'cycle', path: ['api', 'db', 'web', 'api'], services: ['api', 'db', 'web'] },
      { kind: 'cycle', path: ['x', 'y', 'x'], services: ['x', 'y'] },
    ]);
    expect(error.context['problems']).toEqual(error.problems);
  });

  it('reports a shortest cycle through the smallest name of each tangled component', () => {
    const error = problemsOf({
      a: { dependsOn: ['b', 'z'] },
      b: { dependsOn: ['c'] },
      c: { dependsOn: ['d'] },
      d: { dependsOn: ['a'] },
      z: { dependsOn: ['a'] },
      after: { dependsOn: ['a'] },
    });
    expect(error.problems).toEqual([{ kind: 'cycle', path: ['a', 'z', 'a'], services: ['a', 'b', 'c', 'd', 'z'] }]);
  });

  it('accepts a Map and ignores fields other than dependsOn', () => {
    const services = new Map<string, ServiceDependencies & { image: string }>([
      ['db', { image: 'postgres' }],
      ['app', { image: 'app', dependsOn: ['db'] }],
    ]);
    expect(createDependencyGraph(services)._unsafeUnwrap().topologicalOrder()).toEqual(['db', 'app']);
  });

  it('defaults list entries to healthy, keeps map conditions, and merges duplicates to the strictest', () => {
    const g = createDependencyGraph({
      db: {},
      job: {},
      app: { dependsOn: ['db', 'db'] },
      web: { dependsOn: { app: 'started', job: 'completed' } },
      empty: { dependsOn: [] },
      bare: null as unknown as ServiceDependencies,
    })._unsafeUnwrap();
    expect(g.conditionOf('app', 'db')).toBe('healthy');
    expect(g.conditionOf('web', 'app')).toBe('started');
    expect(g.conditionOf('web', 'job')).toBe('completed');
    expect(g.conditionOf('web', 'db')).toBeUndefined();
    expect(g.edgeCount).toBe(3);
    expect(g.size).toBe(6);
  });

  it('reports malformed dependsOn entries from untyped input', () => {
    const error = problemsOf({
      a: { dependsOn: { b: 'ready' } },
      b: { dependsOn: [42] },
      c: { dependsOn: 'b' },
      d: 7,
    } as unknown as Record<string, ServiceDependencies>);
    expect(error.problems.map((p) => [p.kind, 'service' in p ? p.service : ''])).toEqual([
      ['invalid-dependency', 'a'],
      ['invalid-dependency', 'b'],
      ['invalid-dependency', 'c'],
      ['invalid-dependency', 'd'],
    ]);
    expect(error.problems[0]).toMatchObject({ dependency: 'b' });
  });

  it('validates names against the Docker/Compose-compatible rule', () => {
    const long = 'a'.repeat(64);
    const error = problemsOf({ ok_name: {}, 'x.y-z': {}, '-x': {}, [long]: {}, é: {}, '': {} });
    expect(error.problems).toEqual([
      { kind: 'invalid-name', service: '' },
      { kind: 'invalid-name', service: '-x' },
      { kind: 'invalid-name', service: long },
      { kind: 'invalid-name', service: 'é' },
    ]);
  });

  it('lists every unknown dependency once, sorted, per service', () => {
    const error = problemsOf({ a: { dependsOn: ['zz', 'yy', 'zz'] } });
    expect(error.problems).toEqual([
      { kind: 'unknown-dependency', service: 'a', dependency: 'yy' },
      { kind: 'unknown-dependency', service: 'a', dependency: 'zz' },
    ]);
  });

  it('handles a 100,000-service chain and a 100,000-service cycle without recursion', () => {
    const n = 100_000;
    const name = (i: number) => `s${String(i).padStart(6, '0')}`;
    const chain: Record<string, ServiceDependencies> = {};
    for (let i = 0; i < n; i++) chain[name(i)] = i === 0 ? {} : { dependsOn: [name(i - 1)] };
    const g = createDependencyGraph(chain)._unsafeUnwrap();
    expect(g.levelOf(name(n - 1))).toBe(n - 1);
    expect(g.dependenciesOf(name(n - 1), { transitive: true })).toHaveLength(n - 1);
    expect(g.criticalPath({})).toEqual({ path: [], totalMs: 0 });
    expect(g.criticalPath({ [name(5)]: 1, [name(7)]: 2 })).toEqual({ path: [name(5), name(6), name(7)], totalMs: 3 });

    chain[name(0)] = { dependsOn: [name(n - 1)] };
    const error = problemsOf(chain);
    expect(error.problems).toHaveLength(1);
    const cycle = error.problems[0]!;
    expect(cycle.kind === 'cycle' && cycle.path.length).toBe(n + 1);
    expect(error.message.length).toBeLessThan(500); // the message shortens the path; `problems` has all of it
  });

  it('truncates a long message but keeps every problem', () => {
    const services: Record<string, ServiceDependencies> = {};
    for (let i = 0; i < 30; i++) services[`s${i}`] = { dependsOn: [`missing${i}`] };
    const error = problemsOf(services);
    expect(error.problems).toHaveLength(30);
    expect(error.message).toContain('and 10 more');
  });

  it('throws a TypeError for input that is not a map of services', () => {
    expect(() => createDependencyGraph(null as unknown as Record<string, ServiceDependencies>)).toThrow(TypeError);
    expect(() => createDependencyGraph([{}] as unknown as Record<string, ServiceDependencies>)).toThrow(TypeError);
  });

  it('builds an empty graph', () => {
    const g = createDependencyGraph({})._unsafeUnwrap();
    expect(g.levels()).toEqual([]);
    expect(g.criticalPath({})).toEqual({ path: [], totalMs: 0 });
    expect(g.createScheduler().isDone()).toBe(true);
  });
});

describe('createDependencyGraph on hostile input', () => {
  it('treats __proto__ as an ordinary (invalid) name, as JSON.parse produces it', () => {
    const services = JSON.parse(
      '{"__proto__": {}, "a": {"dependsOn": {"__proto__": "healthy", "b": "started"}}}',
    ) as Record<string, ServiceDependencies>;
    const error = problemsOf(services);
    expect(error.problems).toEqual([
      { kind: 'invalid-name', service: '__proto__' },
      { kind: 'unknown-dependency', service: 'a', dependency: 'b' },
    ]);
  });

  it('returns lists the caller cannot corrupt', () => {
    const g = createDependencyGraph({ a: {}, b: { dependsOn: ['a'] } })._unsafeUnwrap();
    expect(Object.isFrozen(g.services())).toBe(true);
    expect(Object.isFrozen(g.topologicalOrder())).toBe(true);
    expect(Object.isFrozen(g.levels())).toBe(true);
    expect(g.has('constructor')).toBe(false);
    expect(g.has('__proto__')).toBe(false);
    expect(() => g.levelOf('toString')).toThrow(RangeError);
  });
});
