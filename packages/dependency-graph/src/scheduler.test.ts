import { describe, expect, it } from 'vitest';
import { createDependencyGraph } from './create-dependency-graph.js';
import { HUB } from './internal/hub-fixture.js';

const hubScheduler = () => createDependencyGraph(HUB)._unsafeUnwrap().createScheduler();

describe('the scheduler', () => {
  it('first releases every service without dependencies, each exactly once', () => {
    const s = hubScheduler();
    expect(s.ready()).toEqual(['mongodb', 'opa', 'postgres', 'redis']);
    expect(s.ready()).toEqual([]);
    expect(s.state('postgres')).toBe('ready');
    expect(s.state('keycloak')).toBe('waiting');
  });

  it('starts keycloak as soon as postgres is healthy, without waiting for slow mongodb', () => {
    const s = hubScheduler();
    s.ready();
    for (const name of ['postgres', 'mongodb', 'redis', 'opa']) s.started(name);
    expect(s.ready()).toEqual([]);
    s.healthy('postgres');
    expect(s.ready()).toEqual(['keycloak']);
    s.healthy('keycloak');
    s.healthy('redis');
    expect(s.ready()).toEqual([]); // backend still needs mongodb
    s.healthy('mongodb');
    expect(s.ready()).toEqual(['backend']);
  });

  it('honours started and completed conditions', () => {
    const s = createDependencyGraph({
      db: {},
      migrate: { dependsOn: { db: 'healthy' } },
      sidecar: { dependsOn: { db: 'started' } },
      app: { dependsOn: { migrate: 'completed', sidecar: 'started' } },
    })
      ._unsafeUnwrap()
      .createScheduler();
    expect(s.ready()).toEqual(['db']);
    s.started('db');
    expect(s.ready()).toEqual(['sidecar']);
    s.healthy('db');
    s.started('sidecar');
    expect(s.ready()).toEqual(['migrate']);
    s.healthy('migrate');
    expect(s.ready()).toEqual([]);
    s.completed('migrate');
    expect(s.ready()).toEqual(['app']);
    expect(s.state('migrate')).toBe('completed');
  });

  it('treats completed as meeting every condition, and ignores reports that do not move forward', () => {
    const s = createDependencyGraph({ job: {}, app: { dependsOn: ['job'] } })
      ._unsafeUnwrap()
      .createScheduler();
    s.ready();
    s.completed('job');
    s.started('job');
    expect(s.state('job')).toBe('completed');
    expect(s.ready()).toEqual(['app']);
  });

  it('blocks every service that waited on a failed one, transitively, and reports them', () => {
    const s = hubScheduler();
    s.ready();
    s.healthy('postgres');
    s.ready();
    s.started('keycloak');
    expect(s.failed('keycloak')).toEqual(['backend', 'frontend', 'kas']);
    expect(s.state('keycloak')).toBe('failed');
    expect(s.state('kas')).toBe('blocked');
    expect(s.failed('keycloak')).toEqual([]);
    s.healthy('kas'); // ignored: blocked is final
    expect(s.state('kas')).toBe('blocked');
    expect(s.pending()).toEqual(['mongodb', 'opa', 'redis']);
    expect(s.isDone()).toBe(false);
    for (const name of ['mongodb', 'opa', 'redis']) s.healthy(name);
    expect(s.isDone()).toBe(true);
    expect(s.pending()).toEqual([]);
  });

  it('does not block a dependent whose condition was met before the failure', () => {
    const s = createDependencyGraph({ db: {}, other: {}, app: { dependsOn: { db: 'started', other: 'healthy' } } })
      ._unsafeUnwrap()
      .createScheduler();
    s.ready();
    s.started('db');
    expect(s.failed('db')).toEqual([]);
    expect(s.state('app')).toBe('waiting');
    s.healthy('other');
    expect(s.ready()).toEqual(['app']);
  });

  it('does not release a service the orchestrator already reported', () => {
    const s = createDependencyGraph({ db: {}, app: { dependsOn: ['db'] } })
      ._unsafeUnwrap()
      .createScheduler();
    s.ready();
    s.started('app');
    s.healthy('db');
    expect(s.ready()).toEqual([]);
    expect(s.state('app')).toBe('started');
  });

  it('throws RangeError for a name that is not in the graph', () => {
    const s = hubScheduler();
    expect(() => {
      s.started('nope');
    }).toThrow(RangeError);
    expect(() => s.failed('nope')).toThrow(RangeError);
    expect(() => s.state('nope')).toThrow(RangeError);
  });
});
