import { describe, expect, it } from 'vitest';
import { defineTopology } from './define-topology.js';
import type { TopologyProblem } from './problems.js';
import type { Topology } from './types.js';

const check = (value: unknown): string[] =>
  defineTopology(value as Topology).match(
    () => [],
    (e) => (e.context['problems'] as TopologyProblem[]).map((p) => `${p.path}: ${p.message}`),
  );

describe('environment names: a container takes what Docker takes, a process stays strict', () => {
  it('accepts dotted and dashed container environment keys (discovery.type)', () => {
    const environment = { 'discovery.type': 'single-node', 'node-name': 'es01', 'xpack.security.enabled': false };
    expect(check({ instance: 'USA', services: { es: { container: { image: 'es', environment } } } })).toEqual([]);
  });

  it.each([
    ['an empty key', { '': 'x' }, '[""]', "key ''"],
    ['a key with =', { 'A=B': 'x' }, '["A=B"]', "key 'A=B'"],
  ])('refuses %s in a container environment', (_, environment, at, key) => {
    expect(check({ instance: 'USA', services: { es: { container: { image: 'es', environment } } } })).toEqual([
      `services.es.container.environment${at}: ${key} must be a container environment name (not empty, no '=')`,
    ]);
  });

  it('keeps process env keys and secret references to variable names', () => {
    const service = { process: { command: 'node', env: { 'discovery.type': 'x', OK: { secret: 'db.pw' } } } };
    const name = 'must be an environment variable name (letters, digits, _; not a digit first)';
    expect(check({ instance: 'USA', services: { api: service } }).sort()).toEqual([
      `services.api.process.env.OK.secret: ${name}`,
      `services.api.process.env["discovery.type"]: key 'discovery.type' ${name}`,
    ]);
  });
});
