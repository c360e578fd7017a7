import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPostgresStateStore } from './postgres-store.js';
import { checkpointSecurityContract } from './testing/index.js';
import type { StateStore } from './types.js';

let db: TestDatabase;
let admin: pg.Pool;
let keyed: StateStore;
let plain: StateStore;
const key = Buffer.alloc(32, 9).toString('hex');

beforeAll(async () => {
  db = await createTestDatabase('cpsecurity');
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
  keyed = createPostgresStateStore({ connectionString: db.url, checkpointKey: key, max: 2 });
  plain = createPostgresStateStore({ connectionString: db.url, checkpointKey: '', max: 2 });
  (await keyed.migrate())._unsafeUnwrap();
});
afterAll(async () => {
  await keyed?.close();
  await plain?.close();
  await admin?.end();
  await db?.drop();
});

describe('PostgreSQL store: checkpoint security contract', () => {
  let n = 0;
  const cases = checkpointSecurityContract({
    get keyed() {
      return keyed;
    },
    get plain() {
      return plain;
    },
    key,
    instance: () => `cp-${n++}`,
    rewrite: async (id, edit) => {
      const r = await admin.query<{ body: string }>('SELECT body FROM dive.checkpoints WHERE id = $1', [id]);
      const body = r.rows[0]?.body;
      if (body === undefined) throw new Error(`no row for checkpoint ${id}`);
      await admin.query('UPDATE dive.checkpoints SET body = $2 WHERE id = $1', [id, edit(body)]);
    },
  });
  for (const c of cases) it(c.name, c.run);
});
