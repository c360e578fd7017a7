import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeployEvent } from '../events.js';
import { memoryRuntime } from '../testing/memory-runtime.js';
import { fileState } from '../state.js';
import type { Topology } from '../topology/types.js';
import { down } from './down.js';
import { orchestrate } from './orchestrate.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-orchestrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hub = (instance: string): Topology => {
  const svc = (dependsOn: string[] = []) => ({ process: { command: 'noop' }, dependsOn });
  return {
    instance,
    services: {
      postgres: svc(),
      mongodb: svc(),
      keycloak: svc(['postgres']),
      backend: svc(['keycloak', 'mongodb']),
      frontend: svc(['backend']),
    },
  };
};

describe('orchestrate() on the embedded file state', () => {
  it('a hub and five spokes deploy at the same time; each gets its own lock and state', async () => {
    const runtime = memoryRuntime({ startDelayMs: 20 });
    const state = fileState(join(dir, 'many'));
    const codes = ['USA', 'EST', 'NZL', 'GBR', 'FRA', 'DEU'];
    const events: DeployEvent[] = [];
    const results = await Promise.all(
      codes.map((c) => orchestrate(hub(c), { runtime, state, onEvent: (e) => events.push(e) })),
    );
    expect(results.map((r) => r._unsafeUnwrap().status)).toEqual(codes.map(() => 'COMPLETE'));
    expect(results.map((r) => r._unsafeUnwrap().fencingToken)).toEqual(codes.map(() => 1));
    // Concurrent, not one after another: every instance held its lock before the first one completed.
    const firstComplete = events.findIndex((e) => e.type === 'state' && e.to === 'COMPLETE');
    const acquired = events.flatMap((e, i) => (e.type === 'lock-acquired' ? [i] : []));
    expect(acquired).toHaveLength(codes.length);
    expect(Math.max(...acquired)).toBeLessThan(firstComplete);
    expect(runtime.services.size).toBe(codes.length * 5);
    await state[Symbol.asyncDispose]();
  });

  it('the same instance twice at once: one deploys, the other gets LockTimeoutError after lockTimeoutMs', async () => {
    const runtime = memoryRuntime({ startDelayMs: 200 });
    const state = fileState(join(dir, 'same'));
    const [a, b] = await Promise.all([
      orchestrate(hub('USA'), { runtime, state, lockTimeoutMs: 100 }),
      orchestrate(hub('USA'), { runtime, state, lockTimeoutMs: 100 }),
    ]);
    const errors = [a, b].filter((r) => r.isErr()).map((r) => r._unsafeUnwrapErr()._tag);
    expect(errors).toEqual(['LockTimeoutError']);
    expect([a, b].filter((r) => r.isOk())).toHaveLength(1);
    await state[Symbol.asyncDispose]();
  });

  it('down() stops dependents before their dependencies (frontend … postgres), by the deployed topology', async () => {
    const runtime = memoryRuntime({ startDelayMs: 5 });
    const state = fileState(join(dir, 'down-order'));
    (await orchestrate(hub('USA'), { runtime, state }))._unsafeUnwrap();
    // postgres alone changes and is recreated: now it is the most recently started service
    const changed = hub('USA');
    const next = {
      ...changed,
      services: { ...changed.services, postgres: { process: { command: 'noop', args: ['v2'] } } },
    };
    (await orchestrate(next, { runtime, state }))._unsafeUnwrap();
    const stopped: string[] = [];
    const r = await down('USA', {
      runtime,
      state,
      onEvent: (e) => {
        if (e.type === 'service-stopped') stopped.push(e.service);
      },
    });
    expect(r._unsafeUnwrap().status).toBe('UNKNOWN');
    const before = (a: string, b: string) => stopped.indexOf(a) < stopped.indexOf(b);
    expect(stopped).toHaveLength(5);
    expect(before('frontend', 'backend') && before('backend', 'keycloak') && before('backend', 'mongodb')).toBe(true);
    expect(before('keycloak', 'postgres')).toBe(true);
    await state[Symbol.asyncDispose]();
  });

  it('nonsense options throw at the call; an invalid topology is a ConfigInvalidError listing every problem', async () => {
    expect(() => orchestrate(hub('USA'), { lockTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => orchestrate(hub('USA'), { concurrency: 0 })).toThrow(RangeError);
    const bad = await orchestrate({ instance: 'usa', services: { a: { dependsOn: ['nope'] } } });
    const e = bad._unsafeUnwrapErr();
    expect(e._tag).toBe('ConfigInvalidError');
    expect((e.context['problems'] as unknown[]).length).toBeGreaterThanOrEqual(3);
  });

  it('a cycle is a GraphValidationError with its path', async () => {
    const t: Topology = {
      instance: 'USA',
      services: {
        a: { process: { command: 'x' }, dependsOn: ['b'] },
        b: { process: { command: 'x' }, dependsOn: ['a'] },
      },
    };
    const r = await orchestrate(t, { runtime: memoryRuntime(), state: fileState(join(dir, 'cycle')) });
    expect(r._unsafeUnwrapErr()._tag).toBe('GraphValidationError');
    expect(r._unsafeUnwrapErr().message).toMatch(/a.*b.*a|b.*a.*b/);
  });
});
