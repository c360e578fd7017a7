import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerClientOptions } from './docker-client.js';
import { parseDockerEndpoint, type DockerEndpoint } from './docker-endpoint.js';
import { dockerRuntime } from './docker-runtime.js';

const tls = { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem' };
const parsed = (docker: string | undefined, env: NodeJS.ProcessEnv = {}, t?: typeof tls): DockerEndpoint =>
  parseDockerEndpoint(
    { ...(docker === undefined ? {} : { docker }), ...(t === undefined ? {} : { tls: t }) },
    env,
  )._unsafeUnwrap();
const failure = (docker: string | undefined, env: NodeJS.ProcessEnv = {}, t?: object) =>
  parseDockerEndpoint(
    {
      ...(docker === undefined ? {} : { docker }),
      ...(t === undefined ? {} : { tls: t }),
      where: 'instances.EST.docker',
    },
    env,
  )._unsafeUnwrapErr();

describe('parseDockerEndpoint', () => {
  it('reads unix, tcp (plain and TLS) and ssh URLs', () => {
    expect(parsed('unix:///var/run/docker.sock')).toEqual({
      kind: 'unix',
      url: 'unix:///var/run/docker.sock',
      socketPath: '/var/run/docker.sock',
    });
    expect(parsed('tcp://127.0.0.2:2375')).toEqual({
      kind: 'tcp',
      url: 'tcp://127.0.0.2:2375',
      host: '127.0.0.2',
      port: 2375,
    });
    expect(parsed('tcp://est.example', {}, tls)).toEqual({
      kind: 'tcp',
      url: 'tcp://est.example',
      host: 'est.example',
      port: 2376,
      tls,
    });
    expect(parsed('tcp://[::1]:2380', {}, tls)).toMatchObject({ host: '::1', port: 2380 });
    expect(parsed('ssh://deploy@nzl.example')).toEqual({
      kind: 'ssh',
      url: 'ssh://deploy@nzl.example',
      host: 'nzl.example',
      port: 22,
      username: 'deploy',
    });
    expect(parsed('ssh://nzl.example:2222')).toEqual({
      kind: 'ssh',
      url: 'ssh://nzl.example:2222',
      host: 'nzl.example',
      port: 2222,
    });
  });

  it('reads the environment as the docker CLI does when nothing is given', () => {
    expect(parsed(undefined)).toMatchObject({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(parsed(undefined, { DOCKER_HOST: 'unix:///tmp/d.sock' })).toMatchObject({ socketPath: '/tmp/d.sock' });
    // host:port without a scheme is tcp; DOCKER_TLS_VERIFY turns TLS on with DOCKER_CERT_PATH's files
    expect(parsed(undefined, { DOCKER_HOST: '127.0.0.2:2375' })).toEqual({
      kind: 'tcp',
      url: 'tcp://127.0.0.2:2375',
      host: '127.0.0.2',
      port: 2375,
    });
    expect(parsed(undefined, { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/c' })).toEqual({
      kind: 'tcp',
      url: 'tcp://h',
      host: 'h',
      port: 2376,
      tls: { ca: '/c/ca.pem', cert: '/c/cert.pem', key: '/c/key.pem' },
    });
    const home = join(homedir(), '.docker');
    expect(parsed(undefined, { DOCKER_HOST: 'tcp://h:1', DOCKER_TLS_VERIFY: '1' })).toMatchObject({
      tls: { ca: join(home, 'ca.pem') },
    });
    // a URL given wins over the environment, whose TLS settings are then not applied
    expect(parsed('tcp://g:2375', { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1' })).not.toHaveProperty('tls');
  });

  it('names a bad URL and where it came from', () => {
    const bad = failure('est.example:99999');
    expect(bad._tag).toBe('ConfigInvalidError');
    expect(bad.message).toContain('instances.EST.docker');
    expect(bad.message).toContain('tcp://est.example:99999');
    expect(failure('http//nope').message).toContain('without a path');
    expect(failure('est.example:99999').message).toContain('not a valid Docker URL');
    expect(failure('ftp://h').message).toContain('unsupported scheme ftp:');
    expect(failure('unix://relative/sock').message).toContain('absolute socket path');
    expect(failure('unix:///s.sock', {}, { ca: '/ca.pem' }).message).toContain('TLS files are for a tcp://');
    expect(failure('ssh://h', {}, { ca: '/ca.pem' }).message).toContain('ssh:// uses SSH keys');
    expect(failure('  ').message).toContain('empty');
    expect(failure(undefined, { DOCKER_HOST: 'tcp://:12' }).message).toMatch(/^DOCKER_HOST: /);
  });
});

describe('dockerClientOptions', () => {
  const files: Record<string, string> = { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' };
  const read = (path: string): Buffer => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return Buffer.from(text);
  };

  it("gives dockerode's socketPath, host/port/https with the files read, or ssh", () => {
    expect(dockerClientOptions(parsed('unix:///d.sock'), read)._unsafeUnwrap()).toMatchObject({
      socketPath: '/d.sock',
      host: undefined,
    });
    const secure = dockerClientOptions(parsed('tcp://127.0.0.2:4000', {}, tls), read)._unsafeUnwrap();
    expect(secure).toMatchObject({ host: '127.0.0.2', port: 4000, protocol: 'https', socketPath: undefined });
    expect([secure.ca, secure.cert, secure.key].map(String)).toEqual(['CA', 'CERT', 'KEY']);
    expect(dockerClientOptions(parsed('tcp://h:2375'), read)._unsafeUnwrap()).toMatchObject({ protocol: 'http' });
    expect(dockerClientOptions(parsed('ssh://u@h'), read, { SSH_AUTH_SOCK: '/agent' })._unsafeUnwrap()).toMatchObject({
      host: 'h',
      port: 22,
      protocol: 'ssh',
      username: 'u',
      sshOptions: { agent: '/agent' },
    });
  });

  it('names a TLS file that cannot be read, and a cert without its key', () => {
    const missing = dockerClientOptions(parsed('tcp://h', {}, { ...tls, key: '/certs/nope.pem' }), read);
    expect(missing._unsafeUnwrapErr()._tag).toBe('ConfigInvalidError');
    expect(missing._unsafeUnwrapErr().message).toBe('tls.key of tcp://h: cannot read /certs/nope.pem (ENOENT)');
    const half = dockerClientOptions(parsed('tcp://h', {}, { ca: tls.ca, cert: tls.cert } as typeof tls), read);
    expect(half._unsafeUnwrapErr().message).toContain('needs both cert and key');
  });
});

describe('dockerRuntime with a bad docker option', () => {
  it('fails every call with ConfigInvalidError naming it (no throw, no engine reached)', async () => {
    const runtime = dockerRuntime({ docker: 'tcp://h:2376', tls: { ca: '/nonexistent/dive-ca.pem' } });
    const ping = await runtime.ping();
    expect(ping._unsafeUnwrapErr()._tag).toBe('ConfigInvalidError');
    expect(ping._unsafeUnwrapErr().message).toContain('/nonexistent/dive-ca.pem');
    const list = await runtime.list('EST');
    expect(list._unsafeUnwrapErr()._tag).toBe('ConfigInvalidError');
    expect((await dockerRuntime({ docker: 'gopher://x' }).preflight([]))._unsafeUnwrapErr().message).toContain(
      'unsupported scheme',
    );
  });
});
