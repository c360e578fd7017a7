import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fleetStoreContract } from './contract.js';
import { createPostgresFleetStore } from './postgres-fleet-store.js';

let db: TestDatabase;
let store: ReturnType<typeof createPostgresFleetStore>;
beforeAll(async () => {
  db = await createTestDatabase('fleetstore');
  store = createPostgresFleetStore({ connectionString: db.url, schema: 'fleets' });
});
afterAll(async () => {
  await store?.close();
  await db?.drop();
});
let n = 0;

describe('PostgreSQL fleet store', () => {
  const cases = fleetStoreContract({
    get store() {
      return store;
    },
    unique: (prefix) => `${prefix}-${n++}`,
  });
  for (const c of cases) it(c.name, c.run);
});
