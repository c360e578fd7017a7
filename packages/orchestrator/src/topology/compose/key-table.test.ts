import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVICE_KEYS, TOP_LEVEL_KEYS } from './key-table.js';
import { PASS_THROUGH } from './passthrough.js';
import { SERVICE_HANDLERS } from './service.js';
import { serviceKeys, topLevelKeys } from './spec/validate-compose-spec.generated.js';

const docs = readFileSync(new URL('../../../../../docs/topology-format.md', import.meta.url), 'utf8');
/** The handling the docs' key table gives a key, from rows like "| `ports` | honoured | …". */
const documented = (section: string, key: string): string | undefined => {
  const part = docs.slice(docs.indexOf(section));
  return new RegExp(`^\\| \`${key}\` +\\| (\\w+) `, 'm').exec(part)?.[1];
};

describe('the compose key table', () => {
  it('has a row for every service key of the compose-spec schema, and no other', () => {
    expect(Object.keys(SERVICE_KEYS).sort()).toEqual([...serviceKeys].sort());
  });

  it('has a row for every top-level key of the schema', () => {
    expect(Object.keys(TOP_LEVEL_KEYS).sort()).toEqual([...topLevelKeys].sort());
  });

  it.each(Object.entries(SERVICE_KEYS))('%s: the mapper does what the table says', (key, rule) => {
    const mapped = rule.handling === 'honoured' || rule.handling === 'passed';
    expect(SERVICE_HANDLERS[key] !== undefined).toBe(mapped);
    expect(PASS_THROUGH[key] !== undefined).toBe(rule.handling === 'passed');
  });

  it.each(Object.entries(SERVICE_KEYS))('%s is in docs/topology-format.md with its handling', (key, rule) => {
    expect(documented('### Service keys', key)).toBe(rule.handling);
  });

  it.each(Object.entries(TOP_LEVEL_KEYS))('top-level %s is in docs/topology-format.md', (key, rule) => {
    expect(documented('### Top-level keys', key)).toBe(rule.handling);
  });
});
