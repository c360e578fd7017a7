import pg from 'pg';
import { databaseUrl, dockerClient } from './env.js';
import { ensureBusyboxImage } from './docker.js';
import { dropStaleTestDatabases } from './postgres.js';

/**
 * Runs once before the integration tests: PostgreSQL and Docker must answer, or the whole run fails loudly
 * (never skips). Builds the busybox test image once so test files do not race to build it.
 */
export default async function setup(): Promise<void> {
  const hint = 'run `bash scripts/test-services.sh` (the README test command does) or set DATABASE_URL / DOCKER_HOST';
  const client = new pg.Client({ connectionString: databaseUrl(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${databaseUrl().replace(/:[^:@/]+@/, ':***@')}: ${String(e)}; ${hint}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  const docker = dockerClient();
  try {
    await docker.ping();
  } catch (e) {
    throw new Error(
      `No Docker engine answers (${process.env['DOCKER_HOST'] ?? '/var/run/docker.sock'}): ${String(e)}; ${hint}`,
    );
  }
  await ensureBusyboxImage(docker);
  // Databases left by a run that was killed (older than two hours; a live run's are younger) are dropped.
  await dropStaleTestDatabases(120).catch(() => 0); // best effort: needs pg_stat_file (superuser)
}
