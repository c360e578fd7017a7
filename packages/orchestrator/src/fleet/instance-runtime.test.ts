import { describe, expect, it } from 'vitest';
import { topology } from './fleet.test-helpers.js';
import { deployedInstanceRuntime, instanceRuntimeKind } from './instance-runtime.js';
import { memoryState } from './memory-state.js';
import type { FleetInstance } from './types.js';

/** An instance whose state says it was deployed by `runtime` (as every transition records it). */
async function deployedWith(runtime: string) {
  const state = memoryState();
  const r = await state.store.transition('USA', 'INITIALIZING', {
    fencingToken: 1,
    reason: 'deploy',
    actor: 'test',
    metadata: { runtime },
  });
  expect(r.isOk()).toBe(true);
  return state;
}

// process services, but the fleet file now names a Docker host (nothing is dialled: the runtime connects lazily)
const onDocker: FleetInstance = { topology: topology('USA'), docker: 'unix:///nonexistent/docker.sock' };

describe('the runtime dive fleet down acts with', () => {
  it('is the one recorded in the instance state, not the fleet file’s', async () => {
    expect(instanceRuntimeKind(onDocker)).toBe('docker');
    const got = (await deployedInstanceRuntime(await deployedWith('process'), 'USA', onDocker))._unsafeUnwrap();
    await using runtime = got.runtime;
    expect({ name: runtime.name, kind: got.kind, recorded: got.recorded }).toEqual({
      name: 'process',
      kind: 'process',
      recorded: true,
    });
    const onProcess: FleetInstance = { topology: topology('USA'), runtime: 'process' };
    const docker = (await deployedInstanceRuntime(await deployedWith('docker'), 'USA', onProcess))._unsafeUnwrap();
    await using dockerRt = docker.runtime;
    expect(dockerRt.name).toBe('docker');
  });

  it('is the fleet file’s when nothing is recorded', async () => {
    const got = (await deployedInstanceRuntime(memoryState(), 'USA', onDocker))._unsafeUnwrap();
    await using runtime = got.runtime;
    expect({ name: runtime.name, recorded: got.recorded }).toEqual({ name: 'docker', recorded: false });
  });

  it('is a RuntimeMismatchError (1008) for a runtime the CLI cannot make', async () => {
    const got = await deployedInstanceRuntime(await deployedWith('k8s'), 'USA', onDocker);
    expect(got._unsafeUnwrapErr()).toMatchObject({ _tag: 'RuntimeMismatchError', code: 1008 });
    expect(got._unsafeUnwrapErr().message).toMatch(/USA was deployed with the k8s runtime/);
  });
});
