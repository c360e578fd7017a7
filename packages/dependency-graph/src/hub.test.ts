import { describe, expect, it } from 'vitest';
import { createDependencyGraph } from './create-dependency-graph.js';
import { HUB } from './internal/hub-fixture.js';

const hub = () => createDependencyGraph(HUB)._unsafeUnwrap();

describe('the hub topology', () => {
  it('layers services by longest path (kas is level 3, not the seeds’ 4)', () => {
    expect(hub().levels()).toEqual([
      ['mongodb', 'opa', 'postgres', 'redis'],
      ['keycloak'],
      ['backend'],
      ['frontend', 'kas'],
    ]);
    expect(hub().levelOf('kas')).toBe(3);
    expect(hub().levelOf('opa')).toBe(0);
  });

  it('orders topologically level by level, by name inside a level, and reverses for teardown', () => {
    const order = ['mongodb', 'opa', 'postgres', 'redis', 'keycloak', 'backend', 'frontend', 'kas'];
    expect(hub().topologicalOrder()).toEqual(order);
    expect(hub().reverseOrder()).toEqual([...order].reverse());
  });

  it('answers direct and transitive dependencies and dependents in topological order', () => {
    const g = hub();
    expect(g.dependenciesOf('backend')).toEqual(['mongodb', 'postgres', 'redis', 'keycloak']);
    expect(g.dependenciesOf('kas', { transitive: true })).toEqual([
      'mongodb',
      'postgres',
      'redis',
      'keycloak',
      'backend',
    ]);
    expect(g.dependentsOf('postgres')).toEqual(['keycloak', 'backend']);
    expect(g.dependentsOf('postgres', { transitive: true })).toEqual(['keycloak', 'backend', 'frontend', 'kas']);
    expect(g.dependentsOf('kas', { transitive: true })).toEqual([]);
  });

  it('finds the critical path by duration', () => {
    const cp = hub().criticalPath({ postgres: 60, mongodb: 90, redis: 30, keycloak: 40, backend: 20, kas: 5 });
    expect(cp).toEqual({ path: ['postgres', 'keycloak', 'backend', 'kas'], totalMs: 125 });
  });

  it('cuts a subgraph of the targets and everything they need', () => {
    const sub = hub().subgraph(['frontend'])._unsafeUnwrap();
    expect(sub.services()).toEqual(['backend', 'frontend', 'keycloak', 'mongodb', 'postgres', 'redis']);
    expect(sub.conditionOf('backend', 'keycloak')).toBe('healthy');
  });

  it('returns a UsageError naming every unknown subgraph target', () => {
    const error = hub().subgraph(['nope', 'backend', 'also-nope'])._unsafeUnwrapErr();
    expect(error._tag).toBe('UsageError');
    expect(error.code).toBe(1007);
    expect(error.context['unknown']).toEqual(['also-nope', 'nope']);
  });

  it('throws RangeError for programmer errors: unknown names, negative durations', () => {
    const g = hub();
    expect(g.has('kas')).toBe(true);
    expect(g.has('nope')).toBe(false);
    expect(() => g.levelOf('nope')).toThrow(RangeError);
    expect(() => g.dependenciesOf('nope')).toThrow(RangeError);
    expect(() => g.conditionOf('kas', 'nope')).toThrow(RangeError);
    expect(() => g.criticalPath({ kas: -1 })).toThrow(RangeError);
    expect(() => g.criticalPath(new Map([['kas', Number.NaN]]))).toThrow(RangeError);
    expect(
      g.criticalPath(
        new Map([
          ['gone', 5],
          ['redis', 7],
        ]),
      ),
    ).toEqual({ path: ['redis'], totalMs: 7 });
  });
});
