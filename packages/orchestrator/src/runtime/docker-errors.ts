import { toDiveError, type DiveError } from '@dive/errors';
import type Docker from 'dockerode';
import { RuntimeUnavailableError } from './errors.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EPERM', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT']);

/** The HTTP status of a Docker engine answer carried by a dockerode error, if any. */
export function statusCode(e: unknown): number | undefined {
  const code = (e as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own message of a dockerode error (`json.message`), else the error's message. */
export function engineMessage(e: unknown): string {
  const json = (e as { json?: { message?: unknown } } | null)?.json;
  if (typeof json?.message === 'string') return json.message;
  return e instanceof Error ? e.message : String(e);
}

/** Where the Docker client connects, for messages: the socket path or `host:port`. */
export function engineAddress(docker: Docker): string {
  const modem = docker.modem as { socketPath?: unknown; host?: unknown; port?: unknown };
  if (typeof modem.socketPath === 'string') return modem.socketPath;
  if (typeof modem.host === 'string') {
    const port = typeof modem.port === 'string' || typeof modem.port === 'number' ? `:${modem.port}` : '';
    return `${modem.host}${port}`;
  }
  return process.env['DOCKER_HOST'] ?? 'the default Docker socket';
}

/**
 * Classify a dockerode failure: a connection failure (no HTTP status, socket error, an SSH failure) is RuntimeUnavailableError
 * (3005) naming the engine's address; anything else goes through `toDiveError`.
 */
export function engineError(
  docker: Docker,
  e: unknown,
  what: string,
  context: Readonly<Record<string, unknown>>,
): DiveError {
  const errno = (e as { code?: unknown } | null)?.code;
  // ssh2 (an ssh:// engine) marks its connection and authentication failures with a `level`
  const sshLevel = (e as { level?: unknown } | null)?.level;
  if (
    statusCode(e) === undefined &&
    ((typeof errno === 'string' && UNREACHABLE.has(errno)) || typeof sshLevel === 'string')
  ) {
    return new RuntimeUnavailableError(
      `Docker engine at ${engineAddress(docker)} cannot be reached while ${what}: ${engineMessage(e)}`,
      { cause: e, context: { ...context, errno: errno ?? sshLevel, engine: engineAddress(docker) } },
    );
  }
  return toDiveError(e, { ...context, what });
}
