import type pg from 'pg';
import { LockTimeoutError } from '../errors.js';
import { halves, parseMarker } from './pg-statements.js';

/**
 * The error of a wait that `lock_timeout` ended: names the lock, the wait, and (when it can be read) the backend
 * holding it now and the application that backend serves. A failed look-up leaves the holder out.
 */
export async function lockTimeoutError(
  pool: pg.Pool,
  key: string,
  type: string,
  resource: string,
  timeoutMs: number,
): Promise<LockTimeoutError> {
  const { classid, objid } = halves(BigInt(key));
  const found = await pool
    .query<{ pid: number; application_name: string }>(
      `SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1`,
      [classid, objid],
    )
    .then(
      (r) => r.rows[0],
      () => undefined,
    );
  const message = `the ${type} lock on ${resource} was not acquired in ${timeoutMs} ms`;
  if (found === undefined) return new LockTimeoutError(message, { context: { type, resource, timeoutMs } });
  const application = parseMarker(found.application_name)?.prefix ?? found.application_name;
  return new LockTimeoutError(`${message}: held by backend ${found.pid} (${application})`, {
    context: { type, resource, timeoutMs, holder: { backendPid: found.pid, application } },
  });
}
