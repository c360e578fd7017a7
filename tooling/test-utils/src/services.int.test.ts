import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { dockerClient } from './env.js';
import { runTestContainer, type TestContainer } from './docker.js';
import { waitFor } from './wait-for.js';

describe('the real services the integration tests need', () => {
  let db: TestDatabase;
  const containers: TestContainer[] = [];
  const docker = dockerClient();

  beforeAll(async () => {
    db = await createTestDatabase('services');
  });
  afterAll(async () => {
    await Promise.all(containers.map((c) => c.remove()));
    await db.drop();
  });

  it('PostgreSQL answers a query in a database made for this file', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; n: number }>('select current_database() as db, 6 * 7 as n');
      expect(rows[0]).toEqual({ db: db.name, n: 42 });
    } finally {
      await client.end();
    }
  });

  it('a busybox container built FROM scratch turns healthy', async () => {
    const c = await runTestContainer(docker, { healthMode: 'flip', healthAfter: 1 });
    containers.push(c);
    const status = await waitFor(
      'healthy',
      async () => {
        const info = await c.container.inspect();
        return info.State.Health?.Status === 'healthy' ? info.State.Health.Status : undefined;
      },
      20_000,
    );
    expect(status).toBe('healthy');
    expect((await c.container.inspect()).HostConfig.NetworkMode).toBe('none');
  });

  it('a container told to fail its HEALTHCHECK turns unhealthy', async () => {
    const c = await runTestContainer(docker, { healthMode: 'fail' });
    containers.push(c);
    const status = await waitFor(
      'unhealthy',
      async () => {
        const info = await c.container.inspect();
        return info.State.Health?.Status === 'unhealthy' ? 'unhealthy' : undefined;
      },
      20_000,
    );
    expect(status).toBe('unhealthy');
  });
});
