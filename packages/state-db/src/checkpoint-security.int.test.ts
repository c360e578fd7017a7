import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('PostgreSQL store: checkpoint size cap', () => {
  it('refuses one above the limit on write (nothing inserted) and on read (the body is never sent)', async () => {
    const strict = createPostgresStateStore({
      connectionString: db.url,
      checkpointKey: '',
      checkpointMaxBytes: 4096,
      max: 1,
    });
    try {
      const big = { services: { a: 'x'.repeat(8000) } };
      const refused = (await strict.createCheckpoint('SZE', big))._unsafeUnwrapErr();
      expect(refused._tag).toBe('CheckpointTooLargeError');
      expect((await strict.listCheckpoints('SZE'))._unsafeUnwrap()).toEqual([]);
      const large = (await plain.createCheckpoint('SZE', big))._unsafeUnwrap();
      const e = (await strict.getCheckpoint(large.id))._unsafeUnwrapErr();
      expect(e._tag).toBe('CheckpointTooLargeError');
      expect(e.context).toMatchObject({ checkpointId: large.id, limit: 4096, when: 'read' });
      expect((await plain.getCheckpoint(large.id))._unsafeUnwrap().payload).toEqual(big);
    } finally {
      await strict.close();
    }
  });
});
