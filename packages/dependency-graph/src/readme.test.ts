import { expect, it } from 'vitest';
import { createDependencyGraph } from './index.js';

it('runs the README quick example', () => {
  const result = createDependencyGraph({
    postgres: {},
    mongodb: {},
    redis: {},
    opa: {},
    keycloak: { dependsOn: ['postgres'] }, // a list: every dependency must be healthy
    backend: { dependsOn: ['postgres', 'mongodb', 'redis', 'keycloak'] },
    frontend: { dependsOn: { backend: 'started' } }, // a map: a condition per dependency
    kas: { dependsOn: ['mongodb', 'backend'] },
  });
  if (result.isErr()) throw result.error;
  const graph = result.value;
  expect(graph.levels()).toEqual([
    ['mongodb', 'opa', 'postgres', 'redis'],
    ['keycloak'],
    ['backend'],
    ['frontend', 'kas'],
  ]);
  expect(graph.criticalPath({ postgres: 60_000, mongodb: 90_000, keycloak: 40_000, backend: 20_000 })).toEqual({
    path: ['postgres', 'keycloak', 'backend'],
    totalMs: 120_000,
  });

  const scheduler = graph.createScheduler();
  expect(scheduler.ready()).toEqual(['mongodb', 'opa', 'postgres', 'redis']);
  scheduler.started('postgres');
  scheduler.healthy('postgres');
  expect(scheduler.ready()).toEqual(['keycloak']);
  expect(scheduler.failed('keycloak')).toEqual(['backend', 'frontend', 'kas']);
});
