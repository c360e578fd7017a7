import { connect } from 'node:net';
import type Docker from 'dockerode';
import type { HealthCheckSpec } from '../topology/types.js';

/** One answer of one check. `unknown` lets a layered check fall through to the next layer. */
export interface CheckAnswer {
  readonly status: 'healthy' | 'unhealthy' | 'starting' | 'unknown';
  readonly check: string;
  readonly output: string;
}

const DEFAULT_TIMEOUT_MS = 2_000;

async function http(spec: Extract<HealthCheckSpec, { type: 'http' }>, env: NodeJS.ProcessEnv): Promise<CheckAnswer> {
  const expect =
    spec.expectStatus === undefined
      ? undefined
      : Array.isArray(spec.expectStatus)
        ? spec.expectStatus
        : [spec.expectStatus];
  const headers = Object.fromEntries(
    Object.entries(spec.headers ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : (env[v.secret] ?? '')]),
  );
  try {
    const res = await fetch(spec.url, {
      headers,
      signal: AbortSignal.timeout(spec.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: 'manual',
    });
    await res.body?.cancel();
    const ok = expect === undefined ? res.status >= 200 && res.status < 400 : expect.includes(res.status);
    return { status: ok ? 'healthy' : 'unhealthy', check: `http ${spec.url}`, output: `HTTP ${res.status}` };
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return {
      status: 'unhealthy',
      check: `http ${spec.url}`,
      output: cause?.code ?? cause?.message ?? (e as Error).message,
    };
  }
}

function tcp(spec: Extract<HealthCheckSpec, { type: 'tcp' }>): Promise<CheckAnswer> {
  const host = spec.host ?? '127.0.0.1';
  const check = `tcp ${host}:${spec.port}`;
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port: spec.port,
      timeout: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      autoSelectFamily: true,
    });
    const done = (a: CheckAnswer): void => {
      socket.destroy();
      resolve(a);
    };
    socket.once('connect', () => done({ status: 'healthy', check, output: 'connected' }));
    socket.once('timeout', () => done({ status: 'unhealthy', check, output: 'timed out' }));
    socket.once('error', (e: NodeJS.ErrnoException) =>
      done({ status: 'unhealthy', check, output: e.code ?? e.message }),
    );
  });
}

async function dockerHealth(docker: Docker, id: string): Promise<CheckAnswer> {
  const info = await docker.getContainer(id).inspect();
  const h = info.State.Health;
  if (h === undefined) return { status: 'unknown', check: 'docker', output: 'no HEALTHCHECK' };
  const last = h.Log.at(-1)?.Output.trim() ?? '';
  const status = h.Status === 'healthy' ? 'healthy' : h.Status === 'unhealthy' ? 'unhealthy' : 'starting';
  return { status, check: 'docker', output: last };
}

async function exec(docker: Docker, id: string, cmd: readonly string[], timeoutMs: number): Promise<CheckAnswer> {
  const check = `exec ${cmd.join(' ')}`;
  const e = await docker.getContainer(id).exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true });
  const stream = await e.start({ hijack: true, stdin: false });
  let output = '';
  stream.on('data', (c: Buffer) => {
    // Docker's multiplexed frames carry 8-byte headers; keep printable text only.
    output += Buffer.from(c.filter((b) => b === 9 || b === 10 || b >= 32)).toString('utf8');
  });
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, timeoutMs);
    stream.once('end', () => {
      clearTimeout(t);
      resolve();
    });
  });
  const info = await e.inspect();
  return {
    status: info.ExitCode === 0 ? 'healthy' : info.Running ? 'starting' : 'unhealthy',
    check,
    output: output.trim().slice(-500),
  };
}

/** Run one check once. `running` is answered by the caller (it needs the runtime). Never rejects. */
export async function checkOnce(
  spec: HealthCheckSpec,
  target: { readonly docker?: Docker; readonly containerId?: string },
  env: NodeJS.ProcessEnv,
): Promise<CheckAnswer> {
  try {
    switch (spec.type) {
      case 'http':
        return await http(spec, env);
      case 'tcp':
        return await tcp(spec);
      case 'docker':
        return target.docker === undefined || target.containerId === undefined
          ? { status: 'unknown', check: 'docker', output: 'not a container' }
          : await dockerHealth(target.docker, target.containerId);
      case 'exec':
        return target.docker === undefined || target.containerId === undefined
          ? { status: 'unknown', check: 'exec', output: 'not a container' }
          : await exec(target.docker, target.containerId, spec.cmd, spec.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      case 'running':
        return { status: 'unknown', check: 'running', output: '' };
    }
  } catch (e) {
    return { status: 'unhealthy', check: spec.type, output: (e as Error).message };
  }
}
