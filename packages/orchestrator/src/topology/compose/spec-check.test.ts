import { describe, expect, it } from 'vitest';
import { checkComposeSpec } from './spec-check.js';

const service = (spec: Record<string, unknown>): unknown => ({ services: { a: { image: 'x', ...spec } } });

describe('checkComposeSpec', () => {
  it('accepts a valid file', () => {
    expect(checkComposeSpec(service({ ports: ['80:80'], 'x-note': 1 }))).toEqual([]);
  });

  it.each([
    [service({ portz: [1] }), ['services', 'a', 'portz'], "unknown key 'portz' (did you mean 'ports'?)"],
    [{ servics: {} }, ['servics'], "unknown key 'servics' (did you mean 'services'?)"],
    [{ services: { 'a b': { image: 'x' } } }, ['services', 'a b'], /not a valid name/],
    [service({ command: 5 }), ['services', 'a', 'command'], 'must be empty, a string or a list'],
    [service({ environment: 5 }), ['services', 'a', 'environment'], 'must be a map or a list'],
    [
      service({ depends_on: { b: { condition: 'bad' } } }),
      ['services', 'a', 'depends_on', 'b', 'condition'],
      /^must be one of service_started, service_healthy/,
    ],
    [service({ healthcheck: { interval: 5 } }), ['services', 'a', 'healthcheck', 'interval'], 'must be a string'],
    [service({ restart: 7 }), ['services', 'a', 'restart'], 'must be a string'],
  ])('reports %j at its path', (doc, path, message) => {
    const problems = checkComposeSpec(doc);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toEqual(path);
    expect(problems[0]?.message).toMatch(message);
  });

  it('reports every problem at once', () => {
    const problems = checkComposeSpec(service({ portz: 1, tty: [1], ulimits: { nofile: [1] } }));
    expect(problems.map((p) => p.path.join('.')).sort()).toEqual([
      'services.a.portz',
      'services.a.tty',
      'services.a.ulimits.nofile',
    ]);
  });
});
