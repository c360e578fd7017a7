/**
 * @dive/state-db's PostgreSQL `transition` against the raw single statement it sends (the same SQL text through
 * `pool.query`, no Result wrapping, no validation), with 1 client and with 10 concurrent clients, in one process
 * against one fresh database. Each call is one transition round trip (a legal edge of a 5-state cycle).
 * Run: npx tsx --tsconfig tsconfig.json bench/state-db/transition.bench.ts
 */
import { createPostgresStateStore, type DeploymentState } from '@dive/state-db';
import { createTestDatabase } from '@dive/test-utils';
import pg from 'pg';
import { compare, machine, table, type Measurement } from '../lib/harness.js';
import { transitionSql } from '../../packages/state-db/src/internal/pg-sql.js';

const CYCLE: readonly DeploymentState[] = ['INITIALIZING', 'DEPLOYING', 'CONFIGURING', 'VERIFYING', 'COMPLETE'];
const nextOf = (version: number): DeploymentState => CYCLE[version % CYCLE.length] ?? 'INITIALIZING';

const db = await createTestDatabase('statebench');
const pool = new pg.Pool({ connectionString: db.url, max: 10 });
const store = createPostgresStateStore({ pool, schema: 'dive' });
(await store.migrate())._unsafeUnwrap();
const raw = { name: 'bench-raw-transition', text: transitionSql('"dive"') };

function rawClient(instance: string): () => Promise<void> {
  let version = 0;
  return async () => {
    const r = await pool.query({
      ...raw,
      values: [instance, nextOf(version), 1, version, 'bench', 'bench', null, '{}', Date.now()],
    });
    if (r.rowCount !== 1) throw new Error(`raw transition of ${instance} refused`);
    version++;
  };
}

function storeClient(instance: string): () => Promise<void> {
  let version = 0;
  return async () => {
    const r = await store.transition(instance, nextOf(version), {
      expectedVersion: version,
      fencingToken: 1,
      reason: 'bench',
      actor: 'bench',
    });
    if (r.isErr()) throw r.error;
    version++;
  };
}

async function run(clients: number): Promise<Measurement[]> {
  const rawFns = Array.from({ length: clients }, (_, i) => rawClient(`raw-${clients}-${i}`));
  const storeFns = Array.from({ length: clients }, (_, i) => storeClient(`store-${clients}-${i}`));
  return compare(
    [
      { name: `raw SQL, ${clients} client(s)`, fn: () => Promise.all(rawFns.map((f) => f())) },
      { name: `store.transition, ${clients} client(s)`, fn: () => Promise.all(storeFns.map((f) => f())) },
    ],
    { iterations: clients === 1 ? 400 : 100, rounds: 7, warmup: 50 },
  );
}

const perSecond = (m: Measurement, clients: number): number => (clients * 1e9) / m.medianNs;
const lines: string[] = [`Machine: ${machine()}`, ''];
for (const clients of [1, 10]) {
  const ms = await run(clients);
  const [r, s] = ms as [Measurement, Measurement];
  lines.push(
    `### ${clients} client(s) — time per call (a call is ${clients} concurrent transition(s))`,
    '',
    table(ms, r.name),
    '',
  );
  lines.push(
    `Throughput: raw ${perSecond(r, clients).toFixed(0)}/s, store ${perSecond(s, clients).toFixed(0)}/s → ` +
      `${(perSecond(s, clients) / perSecond(r, clients)).toFixed(2)}× raw (target ≥ 0.8×)`,
    '',
  );
}
console.log(lines.join('\n'));
await store.close();
await pool.end();
await db.drop();
