import { readFileSync } from 'node:fs';
import { ConfigInvalidError } from '@dive/errors';
import type Docker from 'dockerode';
import { err, ok, type Result } from 'neverthrow';
import type { DockerEndpoint, DockerTlsFiles } from './docker-endpoint.js';

/** Reads one file (a TLS certificate or key); default `fs.readFileSync`. */
export type ReadTlsFile = (path: string) => Buffer;

/** dockerode's constructor options, with every connection field set (so docker-modem's own env defaults lose). */
export type DockerClientOptions = Docker.DockerOptions & { readonly sshOptions?: Record<string, unknown> };

function readTls(
  endpoint: DockerEndpoint,
  tls: DockerTlsFiles,
  readFile: ReadTlsFile,
): Result<{ ca?: Buffer; cert?: Buffer; key?: Buffer }, ConfigInvalidError> {
  const out: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {};
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    return err(
      new ConfigInvalidError(`tls of ${endpoint.url}: a client certificate needs both cert and key`, {
        context: { engine: endpoint.url, ...tls },
      }),
    );
  }
  for (const field of ['ca', 'cert', 'key'] as const) {
    const path = tls[field];
    if (path === undefined) continue;
    try {
      out[field] = readFile(path);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      return err(
        new ConfigInvalidError(
          `tls.${field} of ${endpoint.url}: cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}`,
          { cause: e, context: { engine: endpoint.url, field: `tls.${field}`, path } },
        ),
      );
    }
  }
  return ok(out);
}

/**
 * dockerode's options for an endpoint: `socketPath` for `unix://`; `host`, `port` and `protocol` (`https` with the
 * TLS files read, else `http`) for `tcp://`; `protocol: 'ssh'` with the user and the SSH agent at `SSH_AUTH_SOCK`
 * for `ssh://`. Every connection field is set, so a `DOCKER_HOST` in the environment cannot redirect it.
 * @param endpoint - where the engine answers ({@link parseDockerEndpoint})
 * @param readFile - reads the TLS files (default `fs.readFileSync`)
 * @param env - for `SSH_AUTH_SOCK` (default `process.env`)
 * @returns the options, or ConfigInvalidError (1002) naming a TLS file that cannot be read
 */
export function dockerClientOptions(
  endpoint: DockerEndpoint,
  readFile: ReadTlsFile = readFileSync,
  env: NodeJS.ProcessEnv = process.env,
): Result<DockerClientOptions, ConfigInvalidError> {
  // undefined fields are set on purpose: docker-modem merges its DOCKER_HOST defaults under the options given.
  const none = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined } as const;
  switch (endpoint.kind) {
    case 'unix':
      return ok({ ...none, socketPath: endpoint.socketPath } as DockerClientOptions);
    case 'tcp':
      if (endpoint.tls === undefined) {
        return ok({ ...none, host: endpoint.host, port: endpoint.port, protocol: 'http' } as DockerClientOptions);
      }
      return readTls(endpoint, endpoint.tls, readFile).map((files) => ({
        ...none,
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'https',
        ...files,
      }));
    case 'ssh': {
      const agent = env['SSH_AUTH_SOCK'];
      return ok({
        ...none,
        host: endpoint.host,
        port: endpoint.port,
        protocol: 'ssh',
        ...(endpoint.username === undefined ? {} : { username: endpoint.username }),
        sshOptions: agent === undefined ? {} : { agent },
      } as DockerClientOptions);
    }
  }
}
