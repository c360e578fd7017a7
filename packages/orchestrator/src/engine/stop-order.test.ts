import { describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../runtime/types.js';
import type { Topology } from '../topology/types.js';
import { stopOrder, stopWaves } from './stop-order.js';

const handle = (service: string, startedAt: string): ServiceHandle => ({
  runtime: 'memory',
  instance: 'USA',
  service,
  id: service,
  name: service,
  deploymentId: 'd',
  configHash: 'h',
  startedAt,
});

const topology: Topology = {
  instance: 'USA',
  services: {
    postgres: { process: { command: 'x' } },
    keycloak: { process: { command: 'x' }, dependsOn: ['postgres'] },
    backend: { process: { command: 'x' }, dependsOn: { keycloak: 'healthy' } },
    frontend: { process: { command: 'x' }, dependsOn: ['backend'] },
  },
};

describe('stopOrder: dependents before their dependencies', () => {
  it('follows dependsOn (list and map forms) even when a dependency was restarted last; leftovers go first', () => {
    const listed = [
      handle('frontend', '2026-01-01T00:00:04Z'),
      handle('postgres', '2026-01-01T00:00:09Z'), // recreated by a later deployment
      handle('old-worker', '2026-01-01T00:00:00Z'), // no longer in the topology
      handle('backend', '2026-01-01T00:00:03Z'),
      handle('keycloak', '2026-01-01T00:00:02Z'),
    ];
    expect(stopOrder(listed, topology).map((h) => h.service)).toEqual([
      'old-worker',
      'frontend',
      'backend',
      'keycloak',
      'postgres',
    ]);
  });
  it('without a topology: the most recently started first, then the reverse of the listing', () => {
    const listed = [
      handle('a', '2026-01-01T00:00:01Z'),
      handle('b', '2026-01-01T00:00:05Z'),
      handle('c', '2026-01-01T00:00:01Z'),
    ];
    expect(stopOrder(listed).map((h) => h.service)).toEqual(['b', 'c', 'a']);
  });
  it('a cycle in an old topology does not hang or throw', () => {
    const cyclic: Topology = {
      instance: 'USA',
      services: {
        a: { process: { command: 'x' }, dependsOn: ['b'] },
        b: { process: { command: 'x' }, dependsOn: ['a'] },
      },
    };
    expect(stopOrder([handle('a', ''), handle('b', '')], cyclic)).toHaveLength(2);
  });

  it('stopWaves: leftovers, then each depth at once; without a topology one service per wave', () => {
    const listed = [
      handle('postgres', '2026-01-01T00:00:01Z'),
      handle('cache', '2026-01-01T00:00:01Z'),
      handle('old-worker', '2026-01-01T00:00:00Z'),
      handle('keycloak', '2026-01-01T00:00:02Z'),
      handle('backend', '2026-01-01T00:00:03Z'),
      handle('frontend', '2026-01-01T00:00:04Z'),
    ];
    const withCache: Topology = {
      ...topology,
      services: { ...topology.services, cache: { process: { command: 'x' } } },
    };
    expect(stopWaves(listed, withCache).map((w) => w.map((h) => h.service).sort())).toEqual([
      ['old-worker'],
      ['frontend'],
      ['backend'],
      ['keycloak'],
      ['cache', 'postgres'],
    ]);
    expect(stopWaves(listed).every((w) => w.length === 1)).toBe(true);
  });
});
