// down() and rollback() called without secretVariables take the instance's secrets from its checkpoints: a process
// a rollback restarts is recorded with `${NAME}`, never with the value the checkpoint re-resolved.
import { createMemoryLockManager } from '@dive/locks/testing';
import { createMemoryStateStore } from '@dive/state-db/testing';
import { describe, expect, it } from 'vitest';
import type { Runtime, StartRequest } from '../runtime/types.js';
import type { StateBackend } from '../state.js';
import { memoryRuntime } from '../testing/memory-runtime.js';
import type { Topology } from '../topology/types.js';
import { orchestrate } from './orchestrate.js';
import { rollback } from './rollback.js';

const TOKEN = 'tok-4e1f9a7c20d3';
const env = { API_TOKEN: TOKEN };

/** The topology as the loader gives it: `${API_TOKEN}` already interpolated into the service's arguments. */
const topology = (generation: string): Topology => ({
  instance: 'SEC',
  defaults: { retry: { policy: 'none', attempts: 1 } },
  services: {
    api: { container: { image: 'api', command: ['--token', TOKEN], environment: { GENERATION: generation } } },
  },
});

/** A memory runtime that keeps every start request it is given. */
function recording(): { runtime: Runtime; starts: StartRequest[] } {
  const inner = memoryRuntime();
  const starts: StartRequest[] = [];
  const runtime = new Proxy(inner, {
    get: (target, key, receiver): unknown =>
      key === 'start'
        ? (r: StartRequest) => {
            starts.push(r);
            return inner.start(r);
          }
        : Reflect.get(target, key, receiver),
  });
  return { runtime, starts };
}

describe('rollback() without secretVariables', () => {
  it("names the checkpoint's secrets itself: the restarted service's command line is recorded as ${API_TOKEN}", async () => {
    const state: StateBackend = {
      kind: 'file',
      store: createMemoryStateStore(),
      locks: createMemoryLockManager(),
      location: process.cwd(),
      [Symbol.asyncDispose]: async () => undefined,
    };
    const { runtime, starts } = recording();
    const deployOptions = { runtime, state, env, secretVariables: ['API_TOKEN'] };
    expect((await orchestrate(topology('one'), deployOptions))._unsafeUnwrap().status).toBe('COMPLETE');
    expect((await orchestrate(topology('two'), deployOptions))._unsafeUnwrap().status).toBe('COMPLETE');
    starts.length = 0;

    const back = (await rollback('SEC', {}, { runtime, state, env }))._unsafeUnwrap();
    expect(back.finalState).toBe('COMPLETE');
    const restarted = starts.find((r) => r.service === 'api');
    expect(restarted?.container?.command).toEqual(['--token', TOKEN]); // the service itself gets the value
    expect(restarted?.withoutSecrets?.(`api --token ${TOKEN}`)).toBe('api --token ${API_TOKEN}');
  });
});
