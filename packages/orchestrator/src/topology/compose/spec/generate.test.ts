import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateValidator, SPEC_FILES } from './generate.js';

describe('the compiled compose-spec validator', () => {
  it('is the output of the vendored schema (run generate.ts after updating compose-spec.json)', () => {
    expect(readFileSync(SPEC_FILES.validator, 'utf8')).toBe(generateValidator());
  }, 30_000); // compiling the schema takes a second or two (more on a busy machine)
});
