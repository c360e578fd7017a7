import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { createFileBreakerStore } from './file-breaker-store.js';
import { breakerCases } from './test-support/breaker-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-state-breakers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('file breaker store', () => {
  const store = createFileBreakerStore({ dir });
  for (const c of breakerCases(() => store, 'file')) it(c.name, c.run);
});
