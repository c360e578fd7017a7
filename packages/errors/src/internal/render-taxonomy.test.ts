import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderTaxonomyMarkdown } from './render-taxonomy.js';

const page = fileURLToPath(new URL('../../../../docs/errors.md', import.meta.url));

describe('docs/errors.md', () => {
  it('is the rendered taxonomy (UPDATE_DOCS=1 rewrites it)', () => {
    const expected = renderTaxonomyMarkdown();
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(page, expected);
    expect(readFileSync(page, 'utf8')).toBe(expected);
  });
});
