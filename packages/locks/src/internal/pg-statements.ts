/**
 * The SQL of the PostgreSQL lock manager, in one place.
 *
 * Fencing tokens come from one sequence per schema (`lock_token_seq`), drawn while the advisory lock is held: a
 * sequence never goes backwards and `nextval` assigns no transaction id, so by default an acquire writes no row at
 * all. What `list()` needs is kept where it costs nothing per acquire:
 * - `lock_names` (key → type, resource): written once per name and manager;
 * - `lock_sessions` (backend → client pid, host, application): written once per lock session;
 * - the holder's token and acquisition time: the session's `application_name`, set in the acquiring statement to
 *   `<application> #<token>@<epoch ms>` (visible in pg_stat_activity to every role) and reset on release.
 * With `synchronousCommit: true` the acquiring statement also records the token in `lock_names` under a flushed
 * commit, which makes the sequence's advance durable before `acquire` returns.
 */

/** A bigint advisory key as PostgreSQL shows it in pg_locks (classid = high 32 bits, objid = low 32 bits). */
export const halves = (key: bigint): { classid: number; objid: number } => {
  const u = BigInt.asUintN(64, key);
  return { classid: Number(u >> 32n), objid: Number(u & 0xffffffffn) };
};

/** The signed bigint key of a pg_locks row's halves. */
export const keyOf = (classid: number | string, objid: number | string): bigint =>
  BigInt.asIntN(64, (BigInt(classid) << 32n) | BigInt(objid));

/** application_name holds at most 63 bytes; the marker ` #<19 digits>@<13 digits>` needs 35. */
const MARKER_ROOM = 63 - 35;

/** The part of `application` that fits in front of the marker (whole characters, at most 28 bytes). */
export function markerPrefix(application: string): string {
  let out = '';
  for (const ch of application) {
    if (Buffer.byteLength(out + ch) > MARKER_ROOM) break;
    out += ch;
  }
  return out;
}

const MARKER = /^(.*) #(\d+)@(\d+)$/;

/** Token and acquisition time from a holder session's application_name, or undefined if it carries none. */
export function parseMarker(applicationName: string | null): { token: number; at: number; prefix: string } | undefined {
  const m = applicationName === null ? null : MARKER.exec(applicationName);
  if (m === null) return undefined;
  return { prefix: m[1] ?? '', token: Number(m[2]), at: Number(m[3]) };
}

/** The statements, for one schema (a plain identifier, checked by the caller). */
export function statements(schema: string) {
  const s = `"${schema}"`;
  // The lock is taken in the innermost subquery; a volatile call there keeps the planner from flattening it
  // (OFFSET 0 makes sure), so nextval runs only once the lock is held: a waiter never draws a token early.
  const draw = (locked: string): string => `SELECT token, at,
         set_config('application_name', $2 || ' #' || token || '@' || floor(extract(epoch FROM at) * 1000)::bigint, false)
    FROM (SELECT nextval('${s}.lock_token_seq') AS token, clock_timestamp() AS at FROM ${locked} OFFSET 0) t`;
  const wait = `(SELECT pg_advisory_lock($1::bigint) OFFSET 0) l`;
  const attempt = `(SELECT pg_try_advisory_lock($1::bigint) AS ok OFFSET 0) l WHERE l.ok`;
  // Flushed mode: the same, plus a row write in the same statement, so its (synchronous) commit flushes the WAL
  // that holds the sequence's advance.
  const recorded = (locked: string): string => `WITH t AS (${draw(locked)}),
     n AS (INSERT INTO ${s}.lock_names (key, type, resource, last_token) SELECT $1::bigint, $3, $4, token FROM t
           ON CONFLICT (key) DO UPDATE SET last_token = EXCLUDED.last_token)
     SELECT * FROM t`;
  const named = (name: string, text: string) => ({ name: `dive-locks-${name}-${schema}`, text });
  // Session records of backends that are gone (a backend_start hidden from this role counts as alive).
  const sweep = `DELETE FROM ${s}.lock_sessions s WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
         WHERE a.pid = s.backend_pid AND (a.backend_start IS NULL OR a.backend_start = s.backend_start))`;
  return {
    ddl: [
      `CREATE SCHEMA IF NOT EXISTS ${s}`,
      `CREATE SEQUENCE IF NOT EXISTS ${s}.lock_token_seq`,
      `CREATE TABLE IF NOT EXISTS ${s}.lock_names (key bigint PRIMARY KEY, type text NOT NULL, resource text NOT NULL,
         last_token bigint)`,
      `CREATE TABLE IF NOT EXISTS ${s}.lock_sessions (backend_pid integer NOT NULL, backend_start timestamptz NOT NULL,
         pid integer NOT NULL, host text NOT NULL, application text NOT NULL, PRIMARY KEY (backend_pid, backend_start))`,
      // Tokens of the earlier scheme (a counter row per name): the sequence starts above every one of them.
      `DO $$ BEGIN
         IF to_regclass('${s}.lock_tokens') IS NOT NULL THEN
           PERFORM setval('${s}.lock_token_seq', m) FROM (SELECT max(token) AS m FROM ${s}.lock_tokens) x
             WHERE m IS NOT NULL AND m >= (SELECT last_value FROM ${s}.lock_token_seq);
         END IF;
       END $$`,
      sweep,
    ],
    /** One row `ok`: whether every object the DDL makes exists already (then only `sweep` runs). */
    ready: `SELECT to_regclass('${s}.lock_token_seq') IS NOT NULL AND to_regclass('${s}.lock_names') IS NOT NULL
        AND to_regclass('${s}.lock_sessions') IS NOT NULL AND to_regclass('${s}.lock_tokens') IS NULL AS ok`,
    sweep,
    /** $1 pid, $2 host, $3 application, $4 'on' | 'off'. Returns the backend pid. */
    openSession: `INSERT INTO ${s}.lock_sessions (backend_pid, backend_start, pid, host, application)
        SELECT pg_backend_pid(), a.backend_start, $1, $2, $3 FROM pg_stat_activity a WHERE a.pid = pg_backend_pid()
        ON CONFLICT (backend_pid, backend_start) DO UPDATE SET pid = $1, host = $2, application = $3
        RETURNING backend_pid AS pid, set_config('synchronous_commit', $4, false) AS commit_mode`,
    /** $1 key, $2 type, $3 resource: once per name and manager (default mode). */
    rememberName: named(
      'name',
      `INSERT INTO ${s}.lock_names (key, type, resource) VALUES ($1::bigint, $2, $3) ON CONFLICT (key) DO NOTHING`,
    ),
    /** $1 key, $2 marker prefix [, $3 type, $4 resource]. One row (token, at) when held; none when try fails. */
    acquire: {
      wait: named('wait', draw(wait)),
      try: named('try', draw(attempt)),
      waitRecorded: named('wait-recorded', recorded(wait)),
      tryRecorded: named('try-recorded', recorded(attempt)),
    },
    /** $1 key, $2 the application name to restore. */
    release: named(
      'release',
      `SELECT pg_advisory_unlock($1::bigint) AS released, set_config('application_name', $2, false)`,
    ),
    names: `SELECT key::text AS key, type, resource FROM ${s}.lock_names`,
    // Only records of live backends (a backend pid can be reused; backend_start tells them apart where visible).
    sessions: `SELECT s.backend_pid, s.pid, s.host, s.application FROM ${s}.lock_sessions s
      JOIN pg_stat_activity a ON a.pid = s.backend_pid AND (a.backend_start IS NULL OR a.backend_start = s.backend_start)`,
  };
}
