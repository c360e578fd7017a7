import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigInvalidError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';

/** Files of a TLS connection to a Docker engine (PEM paths), as `docker --tlscacert/--tlscert/--tlskey` take. */
export interface DockerTlsFiles {
  /** The CA certificate the engine's certificate is checked against. */
  readonly ca?: string;
  /** The client certificate (with `key`): the engine's `--tlsverify` asks for one. */
  readonly cert?: string;
  /** The client certificate's private key. */
  readonly key?: string;
}

/** Where a Docker engine answers: a parsed `unix://`, `tcp://` or `ssh://` URL. */
export type DockerEndpoint =
  | { readonly kind: 'unix'; readonly url: string; readonly socketPath: string }
  | {
      readonly kind: 'tcp';
      readonly url: string;
      readonly host: string;
      readonly port: number;
      /** TLS files when the connection is `https` (a `tls` option, `DOCKER_TLS_VERIFY`); absent: plain `http`. */
      readonly tls?: DockerTlsFiles;
    }
  | {
      readonly kind: 'ssh';
      readonly url: string;
      readonly host: string;
      readonly port: number;
      readonly username?: string;
    };

/** What {@link parseDockerEndpoint} reads: a URL and TLS files given, else the docker CLI's environment. */
export interface DockerEndpointInput {
  /** `unix:///var/run/docker.sock`, `tcp://host:2376` or `ssh://user@host[:port]`. Default: `DOCKER_HOST`. */
  readonly docker?: string;
  /** TLS files for a `tcp://` URL; any of them turns TLS on. Default: `DOCKER_TLS_VERIFY` + `DOCKER_CERT_PATH`. */
  readonly tls?: DockerTlsFiles;
  /** Where a bad value came from, for messages (e.g. `instances.EST.docker`). Default `docker`. */
  readonly where?: string;
}

/** The engine the docker CLI uses when `DOCKER_HOST` is not set. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

const invalid = (where: string, value: string, why: string): ConfigInvalidError =>
  new ConfigInvalidError(`${where}: ${why}: ${value}`, {
    context: { field: where, value },
    remediation: 'Use unix:///path/to/docker.sock, tcp://host:port (with tls: { ca, cert, key }) or ssh://user@host.',
  });

/** The TLS files the environment asks for, as the docker CLI reads them (`DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH`). */
function tlsFromEnv(env: NodeJS.ProcessEnv): DockerTlsFiles | undefined {
  const verify = env['DOCKER_TLS_VERIFY'] ?? '';
  if (verify === '' || verify === '0') return undefined;
  const dir = env['DOCKER_CERT_PATH'] ?? join(homedir(), '.docker');
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
}

const hasTls = (tls: DockerTlsFiles | undefined): tls is DockerTlsFiles =>
  tls !== undefined && (tls.ca !== undefined || tls.cert !== undefined || tls.key !== undefined);

function parsePort(url: URL, fallback: number, where: string, raw: string): Result<number, ConfigInvalidError> {
  if (url.port === '') return ok(fallback);
  const port = Number(url.port);
  return port >= 1 && port <= 65535 ? ok(port) : err(invalid(where, raw, 'the port must be 1–65535'));
}

/**
 * Parse where a Docker engine answers, as the docker CLI does: the URL given, else `DOCKER_HOST`, else
 * `unix:///var/run/docker.sock`. A `tcp://` URL is TLS (`https`) when TLS files are given, or — with no URL and no
 * files given — when `DOCKER_TLS_VERIFY` is set (files `ca.pem`, `cert.pem`, `key.pem` in `DOCKER_CERT_PATH`, default
 * `~/.docker`); its port defaults to 2376 with TLS, else 2375. `ssh://user@host[:port]` runs the engine's API over
 * SSH (port 22 by default; the agent at `SSH_AUTH_SOCK` authenticates). Nothing is read or connected here.
 * @param input - the URL and TLS files (paths), and where they came from for messages
 * @param env - the environment (default `process.env`)
 * @returns the {@link DockerEndpoint}, or ConfigInvalidError (1002) naming the bad URL and where it came from
 */
export function parseDockerEndpoint(
  input: DockerEndpointInput = {},
  env: NodeJS.ProcessEnv = process.env,
): Result<DockerEndpoint, ConfigInvalidError> {
  const fromEnv = input.docker === undefined;
  const where = fromEnv ? 'DOCKER_HOST' : (input.where ?? 'docker');
  let raw = (input.docker ?? env['DOCKER_HOST'] ?? '').trim();
  if (raw === '') {
    if (!fromEnv) return err(invalid(where, '""', 'the Docker URL is empty'));
    return ok({ kind: 'unix', url: `unix://${DEFAULT_DOCKER_SOCKET}`, socketPath: DEFAULT_DOCKER_SOCKET });
  }
  // The docker CLI takes `host:port` in DOCKER_HOST as tcp.
  if (!raw.includes('://')) raw = `tcp://${raw}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return err(invalid(where, raw, 'not a valid Docker URL'));
  }
  const tls = hasTls(input.tls) ? input.tls : fromEnv ? tlsFromEnv(env) : undefined;
  switch (url.protocol) {
    case 'unix:': {
      const socketPath = decodeURIComponent(url.host + url.pathname);
      if (!socketPath.startsWith('/')) return err(invalid(where, raw, 'a unix:// URL needs an absolute socket path'));
      if (hasTls(input.tls)) return err(invalid(where, raw, 'TLS files are for a tcp:// URL, not a unix socket'));
      return ok({ kind: 'unix', url: raw, socketPath });
    }
    case 'tcp:':
    case 'http:':
    case 'https:': {
      if (url.hostname === '') return err(invalid(where, raw, 'a tcp:// URL needs a host'));
      if (!['', '/'].includes(url.pathname))
        return err(invalid(where, raw, 'a tcp:// URL is host:port, without a path'));
      const secure = tls !== undefined || url.protocol === 'https:';
      return parsePort(url, secure ? 2376 : 2375, where, raw).map((port) => ({
        kind: 'tcp' as const,
        url: raw,
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port,
        ...(secure ? { tls: tls ?? {} } : {}),
      }));
    }
    case 'ssh:': {
      if (url.hostname === '') return err(invalid(where, raw, 'an ssh:// URL needs a host'));
      if (hasTls(input.tls)) return err(invalid(where, raw, 'TLS files are for a tcp:// URL; ssh:// uses SSH keys'));
      return parsePort(url, 22, where, raw).map((port) => ({
        kind: 'ssh' as const,
        url: raw,
        host: url.hostname,
        port,
        ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
      }));
    }
    default:
      return err(invalid(where, raw, `unsupported scheme ${url.protocol}// (use unix://, tcp:// or ssh://)`));
  }
}
