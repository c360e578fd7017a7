import { randomBytes } from 'node:crypto';
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

/**
 * A random three-letter instance code (the topology schema wants them) that `used` does not hold yet; it is added
 * to `used`, so a test file can remove every instance it made afterwards. Random, as other test files run beside.
 */
export function instanceCode(used: string[]): string {
  for (;;) {
    const letters = [...randomBytes(3)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
    if (!used.includes(letters)) {
      used.push(letters);
      return letters;
    }
  }
}
