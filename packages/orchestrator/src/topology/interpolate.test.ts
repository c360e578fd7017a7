import { describe, expect, it } from 'vitest';
import { interpolateString } from './interpolate.js';
import { formatPath } from './problems.js';
import { closest } from './suggest.js';

describe('interpolateString', () => {
  const env = { HOST: 'db.local', EMPTY: '' };
  it.each([
    ['postgres://${HOST}:5432', 'postgres://db.local:5432'],
    ['${PORT:-5432}', '5432'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${UNSET-fallback}', 'fallback'],
    ['${HOST:-x}', 'db.local'],
    ['${PORT:-}', ''],
    ['${HOST:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['${UNSET+set}', ''],
    ['${UNSET:-${HOST}}', 'db.local'],
    ['${UNSET:-a-${UNSET2:-b}}', 'a-b'],
    ['${HOST:?must be set}', 'db.local'],
    ['cost: $$5 and $HOME', 'cost: $5 and $HOME'],
    ['$${HOST}', '${HOST}'],
  ])('%s', (text, value) => {
    expect(interpolateString(text, env)).toMatchObject({ value, missing: [], malformed: [], required: [] });
  });

  it('reports unset variables without a default', () => {
    expect(interpolateString('${A}-${B:-b}-${C}', {})).toMatchObject({ value: '-b-', missing: ['A', 'C'] });
  });

  it('replaces unbraced $VAR only when asked (Compose files)', () => {
    expect(interpolateString('$HOST/$UNSET/$$HOST/$1', env, { unbraced: true })).toMatchObject({
      value: 'db.local//$HOST/$1',
      missing: ['UNSET'],
    });
    expect(interpolateString('$HOST', env).value).toBe('$HOST');
  });

  it.each([
    ['${A:?set A first}', { EMPTY: '' }, 'A: set A first'],
    ['${EMPTY:?no}', { EMPTY: '' }, 'EMPTY: no'],
    ['${A?}', {}, 'A: required variable is not set'],
  ])('reports the required variable of %s', (text, vars, message) => {
    expect(interpolateString(text, vars).required).toEqual([message]);
  });

  it('lets ${VAR?err} through when the variable is set but empty', () => {
    expect(interpolateString('${EMPTY?no}', env).required).toEqual([]);
  });

  it('names every variable it read', () => {
    expect(interpolateString('${A:-${B}}$C', {}, { unbraced: true }).used).toEqual(['A', 'B', 'C']);
  });

  it.each(['${}', '${A*b}', '${1A}', '${A'])('reports the malformed reference %s', (text) => {
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
