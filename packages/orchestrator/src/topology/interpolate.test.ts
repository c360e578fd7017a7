import { describe, expect, it } from 'vitest';
import { interpolateString } from './interpolate.js';
import { formatPath } from './problems.js';
import { closest } from './suggest.js';

describe('interpolateString', () => {
  const env = { HOST: 'db.local', EMPTY: '' };
  it.each([
    ['postgres://${HOST}:5432', 'postgres://db.local:5432', ['HOST']],
    ['${PORT:-5432}', '5432', []],
    ['${EMPTY:-fallback}', 'fallback', []],
    ['${HOST:-x}', 'db.local', ['HOST']],
    ['${PORT:-}', '', []],
    ['cost: $$5 and $HOME', 'cost: $5 and $HOME', []],
    ['$${HOST}', '${HOST}', []],
  ] as const)('%s', (text, value, used) => {
    expect(interpolateString(text, env)).toEqual({ value, missing: [], malformed: [], used: [...used] });
  });

  it('reports unset variables without a default', () => {
    expect(interpolateString('${A}-${B:-b}-${C}', {})).toEqual({
      value: '-b-',
      missing: ['A', 'C'],
      malformed: [],
      used: [],
    });
  });

  it.each(['${}', '${A-b}', '${A:?err}', '${1A}', '${A'])('reports the malformed reference %s', (text) => {
    expect(interpolateString(text, { A: 'x' }).malformed).toHaveLength(1);
  });
});

describe('formatPath', () => {
  it.each([
    [['services', 'backend', 'dependsOn', 1], 'services.backend.dependsOn[1]'],
    [['services', 'opal-client', 'health', 0, 'url'], 'services.opal-client.health[0].url'],
    [['services', 'a.b', 'process', 'env', '1X'], 'services["a.b"].process.env["1X"]'],
    [[], ''],
  ])('%j', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('closest', () => {
  it('suggests a close candidate and nothing for a distant or short word', () => {
    expect(closest('dependson', ['dependsOn', 'health'])).toBe('dependsOn');
    expect(closest('hots', ['host', 'port'])).toBe('host');
    expect(closest('zzzzzz', ['host', 'port'])).toBeUndefined();
    expect(closest('ab', ['a'])).toBeUndefined();
  });
});
