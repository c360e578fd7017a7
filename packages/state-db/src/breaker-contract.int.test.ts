import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { breakerStoreContract } from '@dive/circuit-breaker/testing';
import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileBreakerStore } from './file-breaker-store.js';
import { createPostgresBreakerStore } from './postgres-breaker-store.js';

// @dive/circuit-breaker's own contract suite, against both of this package's breaker stores.
let db: TestDatabase;
const root = mkdtempSync(join(tmpdir(), 'dive-state-breaker-contract-'));
beforeAll(async () => {
  db = await createTestDatabase('statebreaker');
});
afterAll(async () => {
  rmSync(root, { recursive: true, force: true });
  await db?.drop();
});

let n = 0;
breakerStoreContract({ describe, it, expect }, 'file breaker store', () => ({
  store: createFileBreakerStore({ dir: join(root, `c${n++}`) }),
}));
breakerStoreContract({ describe, it, expect }, 'PostgreSQL breaker store', () => {
  const store = createPostgresBreakerStore({
    connectionString: db.url,
    schema: `breakers_${n++}`,
    leaseClock: 'caller',
  });
  return { store, dispose: () => store.close() };
});
