import Docker from 'dockerode';

/** The PostgreSQL the integration tests use: `DATABASE_URL`, or the one `scripts/test-services.sh` starts. */
export function databaseUrl(): string {
  return process.env['DATABASE_URL'] ?? 'postgres://dive:dive@127.0.0.1:5432/dive';
}

/** A Docker client for the tests: honours `DOCKER_HOST`, else the local socket. */
export function dockerClient(): Docker {
  return new Docker();
}

/** A short random suffix for unique names, so test files can run side by side. */
export function uniqueSuffix(): string {
  return `${process.pid.toString(36)}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
