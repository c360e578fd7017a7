import type pg from 'pg';

// Same as @dive/locks' internal copy on purpose: state-db does not depend on locks; neither exports it.

/**
 * Run `fn` in one transaction on a client checked out of `pool`: `BEGIN`, `fn`, `COMMIT`; when anything rejects,
 * `ROLLBACK` and rethrow. While it is held the client has an `'error'` listener of its own (a checked-out client has
 * none of the pool's, so a connection lost between two statements would be an uncaught `'error'`; the statement
 * in flight rejects by itself), and a client that erred, or whose `ROLLBACK` failed, is discarded, not reused.
 * @param pool - the pool to check a client out of
 * @param fn - the statements, on the checked-out client
 * @returns what `fn` resolves to; rejects like `pool.query`
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = (): void => {
    broken = true;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw e;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
