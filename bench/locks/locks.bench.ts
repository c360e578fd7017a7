/**
 * @dive/locks against the raw SQL it stands on, side by side in one run, in one process, against one fresh database:
 * - acquire + release pair: `pg_advisory_lock` + `pg_advisory_unlock` on one client vs `acquire` + `release` (which
 *   also draws the fencing token from a sequence and marks the session in the same round trip, writing no row; with
 *   `synchronousCommit: true` it also records the token under a flushed commit);
 * - hand-off: time from the holder's release until a blocked waiter holds the lock (raw: two clients; locks: two
 *   handles; file backend for reference, which polls).
 * Run: npx tsx --tsconfig tsconfig.json bench/locks/locks.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFileLockManager, createPostgresLockManager, type LockManager } from '@dive/locks';
import { createTestDatabase } from '@dive/test-utils';
import pg from 'pg';
import { compare, machine, percentile, table, type Measurement } from '../lib/harness.js';

const db = await createTestDatabase('lockbench');
const dir = mkdtempSync(join(tmpdir(), 'dive-lockbench-'));
const pool = new pg.Pool({ connectionString: db.url, max: 4 });
const locks = createPostgresLockManager({ pool });
const flushed = createPostgresLockManager({ pool, synchronousCommit: true });
const files = createFileLockManager({ dir });
const rawA = new pg.Client({ connectionString: db.url });
const rawB = new pg.Client({ connectionString: db.url });
await rawA.connect();
await rawB.connect();
const KEY = '424242';

const pairOf = (m: LockManager) => async (): Promise<void> => {
  const h = (await m.acquire('deployment', 'bench-pair', { timeoutMs: 5_000 }))._unsafeUnwrap();
  (await h.release())._unsafeUnwrap();
};
const rawPair = async (): Promise<void> => {
  await rawA.query('SELECT pg_advisory_lock($1::bigint)', [KEY]);
  await rawA.query('SELECT pg_advisory_unlock($1::bigint)', [KEY]);
};
// The earlier token scheme, as raw SQL for reference: lock + a durable per-name counter row upsert in one
// statement (one WAL flush per acquire), then unlock.
await pairOf(locks)(); // creates the schema
await rawA.query(`CREATE TABLE bench_tokens (type text, resource text, token bigint, PRIMARY KEY (type, resource))`);
const rawWithToken = async (): Promise<void> => {
  await rawA.query(
    `WITH l AS (SELECT true AS ok FROM (SELECT pg_advisory_lock($1::bigint)) x)
     INSERT INTO bench_tokens (type, resource, token) SELECT 'raw', 'bench', 1 FROM l WHERE l.ok
     ON CONFLICT (type, resource) DO UPDATE SET token = bench_tokens.token + 1
     RETURNING token`,
    [KEY],
  );
  await rawA.query('SELECT pg_advisory_unlock($1::bigint)', [KEY]);
};
const pair = await compare(
  [
    { name: 'raw pg_advisory_lock + unlock (1 client)', fn: rawPair },
    { name: 'raw lock + durable counter-row upsert + unlock (earlier scheme)', fn: rawWithToken },
    { name: '@dive/locks acquire + release (default)', fn: pairOf(locks) },
    { name: '@dive/locks acquire + release (synchronousCommit: true)', fn: pairOf(flushed) },
  ],
  { iterations: 300, rounds: 7, warmup: 50 },
);

/** Hand-off samples: `hold` takes the lock, `wait` starts a blocked waiter, `release` frees it; ms from release to held. */
async function handOff(
  rounds: number,
  hold: () => Promise<() => Promise<void>>,
  wait: () => Promise<() => Promise<void>>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const release = await hold();
    let heldAt = 0;
    const waiter = wait().then((r) => {
      heldAt = performance.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 5)); // let the waiter block on the server (or start polling)
    const releasedAt = performance.now();
    await release();
    const releaseWaiter = await waiter;
    samples.push(Math.max(0, heldAt - releasedAt));
    await releaseWaiter();
  }
  return samples;
}

const rawHold = async (): Promise<() => Promise<void>> => {
  await rawA.query('SELECT pg_advisory_lock($1::bigint)', [KEY]);
  return async () => {
    await rawA.query('SELECT pg_advisory_unlock($1::bigint)', [KEY]);
  };
};
const rawWait = async (): Promise<() => Promise<void>> => {
  await rawB.query('SELECT pg_advisory_lock($1::bigint)', [KEY]);
  return async () => {
    await rawB.query('SELECT pg_advisory_unlock($1::bigint)', [KEY]);
  };
};
const managed = (m: LockManager, resource: string) => async (): Promise<() => Promise<void>> => {
  const h = (await m.acquire('deployment', resource, { timeoutMs: 5_000 }))._unsafeUnwrap();
  return async () => {
    (await h.release())._unsafeUnwrap();
  };
};

const ROUNDS = 101;
const hand: [string, number[]][] = [];
for (const [name, hold, wait] of [
  ['raw pg_advisory_lock waiter (2 clients)', rawHold, rawWait],
  ['@dive/locks PostgreSQL waiter', managed(locks, 'bench-hand'), managed(locks, 'bench-hand')],
  ['@dive/locks file waiter (polls)', managed(files, 'bench-hand'), managed(files, 'bench-hand')],
] as const) {
  await handOff(10, hold, wait); // warm-up
  hand.push([name, await handOff(ROUNDS, hold, wait)]);
}

const [raw, , ours] = pair as [Measurement, Measurement, Measurement];
const fmt = (ms: number): string => `${ms.toFixed(2)} ms`;
const pgHand = percentile(hand[1]![1], 50);
console.log(
  [
    `Machine: ${machine()}`,
    '',
    '### acquire + release pair (PostgreSQL, loopback)',
    '',
    table(pair, raw.name),
    '',
    `Target ≤ 2× raw: ${(ours.medianNs / raw.medianNs).toFixed(2)}× → ${ours.medianNs / raw.medianNs <= 2 ? 'met' : 'NOT met'}`,
    '',
    `### hand-off to a blocked waiter after release (${ROUNDS} rounds)`,
    '',
    '| waiter | p50 | p95 | max |',
    '|---|---:|---:|---:|',
    ...hand.map(
      ([name, s]) => `| ${name} | ${fmt(percentile(s, 50))} | ${fmt(percentile(s, 95))} | ${fmt(Math.max(...s))} |`,
    ),
    '',
    `Target ≤ 5 ms p50 (PostgreSQL): ${fmt(pgHand)} → ${pgHand <= 5 ? 'met' : 'NOT met'}`,
  ].join('\n'),
);

await locks[Symbol.asyncDispose]();
await flushed[Symbol.asyncDispose]();
await files[Symbol.asyncDispose]();
await rawA.end();
await rawB.end();
await pool.end();
await db.drop();
rmSync(dir, { recursive: true, force: true });
