import { createFakeClock } from '@dive/errors/testing';
import { createTestDatabase, type TestDatabase } from '@dive/test-utils';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresBreakerStore } from './postgres-breaker-store.js';

// Fault suite (issue #15): two processes share the PostgreSQL breaker store while their clocks disagree by 20
// minutes. Each store has its own pool, as two processes would; their clocks are fake and 10 minutes either side
// of the real time.
const TEN_MINUTES = 10 * 60_000;
const TTL = 60_000;
let db: TestDatabase;
let admin: pg.Pool;
const stores: ReturnType<typeof createPostgresBreakerStore>[] = [];
beforeAll(async () => {
  db = await createTestDatabase('breakerskew');
  admin = new pg.Pool({ connectionString: db.url, max: 1 });
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await admin?.end();
  await db?.drop();
});

function pair(schema: string, leaseClock: 'database' | 'caller' = 'database') {
  const open = () => {
    const s = createPostgresBreakerStore({ connectionString: db.url, schema, leaseClock });
    stores.push(s);
    return s;
  };
  const behind = { store: open(), clock: createFakeClock(Date.now() - TEN_MINUTES) };
  const ahead = { store: open(), clock: createFakeClock(Date.now() + TEN_MINUTES) };
  return { behind, ahead };
}

/** Move a lease's expiry back by `ms`, as if that much time had passed on the database's clock. */
async function age(schema: string, name: string, ms: number): Promise<void> {
  await admin.query(`UPDATE "${schema}".breaker_probes SET expires_at = expires_at - $2::bigint WHERE name = $1`, [
    name,
    ms,
  ]);
}

describe('breaker probe leases under clock skew (PostgreSQL)', () => {
  it('by the database clock (the default) a lease holds against a caller 20 minutes ahead, and expires by the database', async () => {
    const { behind, ahead } = pair('skew_db');
    expect(await behind.store.claimProbe('registry', 'behind', behind.clock.now(), TTL)).toBe(true);
    // by the callers' clocks the lease (behind's now + 60 s) ended 19 minutes before ahead's now
    expect(await ahead.store.claimProbe('registry', 'ahead', ahead.clock.now(), TTL)).toBe(false);
    behind.clock.advance(30_000);
    expect(await behind.store.claimProbe('registry', 'behind', behind.clock.now(), TTL)).toBe(true); // renewed
    ahead.clock.advance(TEN_MINUTES);
    expect(await ahead.store.claimProbe('registry', 'ahead', ahead.clock.now(), TTL)).toBe(false);

    const { rows } = await admin.query<{ left: string }>(
      `SELECT expires_at - (extract(epoch from clock_timestamp()) * 1000)::bigint AS left
       FROM skew_db.breaker_probes WHERE name = 'registry'`,
    );
    const left = Number(rows[0]?.left);
    expect(left).toBeGreaterThan(0); // the expiry is on the database's time line, not 10 minutes off it
    expect(left).toBeLessThanOrEqual(TTL);

    await age('skew_db', 'registry', TTL); // the lease's minute passes on the database
    expect(await ahead.store.claimProbe('registry', 'ahead', ahead.clock.now(), TTL)).toBe(true);
    expect(await behind.store.claimProbe('registry', 'behind', behind.clock.now(), TTL)).toBe(false);
    await ahead.store.releaseProbe('registry', 'ahead');
    expect(await behind.store.claimProbe('registry', 'behind', behind.clock.now(), TTL)).toBe(true);
  });

  it('of concurrent claims from skewed callers exactly one wins', async () => {
    const { behind, ahead } = pair('skew_race');
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => {
        const p = i % 2 === 0 ? behind : ahead;
        return p.store.claimProbe('race', `p${i}`, p.clock.now(), TTL);
      }),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("by the callers' clocks (leaseClock: 'caller') the same skew hands a live lease to a second prober", async () => {
    const { behind, ahead } = pair('skew_caller', 'caller');
    expect(await behind.store.claimProbe('registry', 'behind', behind.clock.now(), TTL)).toBe(true);
    expect(await ahead.store.claimProbe('registry', 'ahead', ahead.clock.now(), TTL)).toBe(true);
  });

  it('refuses an unknown leaseClock', () => {
    expect(() =>
      createPostgresBreakerStore({ connectionString: db.url, leaseClock: 'wall' as unknown as 'caller' }),
    ).toThrow(TypeError);
  });
});
