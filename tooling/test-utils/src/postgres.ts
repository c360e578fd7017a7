import pg from 'pg';
import { databaseUrl, uniqueSuffix } from './env.js';

/** A database made for one test file; `drop()` removes it (and ends the connections still open to it). */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(), application_name: 'dive-test-admin' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Create a fresh, empty database for one test file.
 * @param label - a short word naming the test file (`locks`, `state`…), kept in the database name
 * @example
 * ```ts
 * let db: TestDatabase;
 * beforeAll(async () => { db = await createTestDatabase('locks'); });
 * afterAll(() => db.drop());
 * ```
 */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `dive_t_${label.replace(/[^a-z0-9]/gi, '').toLowerCase()}_${uniqueSuffix()}`.slice(0, 63);
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(databaseUrl(), name),
    drop: () =>
      admin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

/** Drop every test database older than `minutes` (left by a killed run). */
export async function dropStaleTestDatabases(minutes = 120): Promise<number> {
  return admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database d WHERE datname LIKE 'dive_t\\_%'
         AND (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification < now() - make_interval(mins => $1)`,
      [minutes],
    );
    for (const { datname } of rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    return rows.length;
  });
}
