import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '@dive/errors/testing';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerRuntime } from './docker-runtime.js';
import type { ServiceHandle } from './types.js';

// A "Docker engine" that accepts connections and never answers: every call must still end, with a typed error.
let server: Server;
let dir = '';
const sockets = new Set<Socket>();
const socketPath = (): string => join(dir, 'docker.sock');
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dive-silent-docker-'));
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume(); // read the request, never write
  });
  await new Promise<void>((resolve) => server.listen(socketPath(), resolve));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const handle: ServiceHandle = {
  runtime: 'docker',
  instance: 'USA',
  service: 'api',
  id: 'c0ffee',
  name: 'dive-usa-api-1',
  deploymentId: 'd',
  configHash: 'h',
  startedAt: new Date(0).toISOString(),
};

/** Wait until the silent engine holds `n` open requests (real I/O, no sleeping). */
async function requestsOpen(n: number): Promise<void> {
  while (sockets.size < n) await new Promise((resolve) => setImmediate(resolve));
}

describe('dockerRuntime against an engine that stops answering', () => {
  it('every call ends with RuntimeUnavailableError (3005) at its deadline, not before; requests are closed', async () => {
    const clock = createFakeClock();
    const runtime = dockerRuntime({ docker: new Docker({ socketPath: socketPath() }), callTimeoutMs: 1_000, clock });
    const calls = {
      ping: runtime.ping(),
      status: runtime.status(handle),
      list: runtime.list('USA'),
      logs: runtime.logs(handle),
      start: runtime.start({
        instance: 'USA',
        service: 'api',
        deploymentId: 'd',
        configHash: 'h',
        kind: 'service',
        env: {},
        container: { image: 'busybox' },
      }),
    };
    await requestsOpen(5);
    clock.advance(999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sockets.size).toBe(5); // nothing gave up early
    clock.advance(1);
    for (const [name, r] of Object.entries(calls)) {
      const e = (await r)._unsafeUnwrapErr();
      expect(e._tag, name).toBe('RuntimeUnavailableError');
      expect(e.code, name).toBe(3005);
      expect(e.context['timeoutMs'], name).toBe(1_000);
    }
    // The single-request calls pass the deadline's signal to dockerode, which closes their requests.
    while (sockets.size > 1) await new Promise((resolve) => setImmediate(resolve));
    expect(sockets.size).toBeLessThanOrEqual(1);
    await runtime[Symbol.asyncDispose]();
  });

  it('a stop gets its grace period on top of the call deadline', async () => {
    const clock = createFakeClock();
    const runtime = dockerRuntime({ docker: new Docker({ socketPath: socketPath() }), callTimeoutMs: 1_000, clock });
    let done = false;
    const stopping = (async () => {
      const r = await runtime.stop(handle, { graceMs: 2_000 });
      done = true;
      return r;
    })();
    await requestsOpen(1);
    clock.advance(2_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false);
    clock.advance(1);
    const e = (await stopping)._unsafeUnwrapErr();
    expect(e._tag).toBe('RuntimeUnavailableError');
    expect(e.context['timeoutMs']).toBe(3_000);
    await runtime[Symbol.asyncDispose]();
  });

  it('rejects a callTimeoutMs that is not positive', () => {
    expect(() => dockerRuntime({ callTimeoutMs: 0 })).toThrow(RangeError);
  });
});
