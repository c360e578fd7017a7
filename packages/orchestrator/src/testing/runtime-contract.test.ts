import { okAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import type { Runtime, StartRequest } from '../runtime/types.js';
import { memoryRuntime } from './memory-runtime.js';
import { runtimeContract, type RuntimeContractFixture } from './runtime-contract.js';

const fixture = (runtime: Runtime): RuntimeContractFixture => ({
  runtime,
  instance: 'BRK',
  logLine: 'started',
  exitWithinMs: 100,
  request: (kind, service): StartRequest => ({
    instance: 'BRK',
    service,
    deploymentId: 'd',
    configHash: 'h',
    kind: kind === 'exits' ? 'job' : 'service',
    env: {},
    ...(kind === 'fails' ? { container: { image: 'gone:1' } } : {}),
  }),
});

const caseNamed = (runtime: Runtime, prefix: string) => {
  const found = runtimeContract(fixture(runtime)).find((c) => c.name.startsWith(prefix));
  if (found === undefined) throw new Error(`no case ${prefix}`);
  return found;
};

describe('runtimeContract catches broken runtimes', () => {
  it('a stop that does not remove fails "stop removes the service"', async () => {
    const base = memoryRuntime({ missingImages: ['gone:1'] });
    const broken: Runtime = { ...base, stop: () => okAsync(undefined) };
    await expect(caseNamed(broken, 'stop removes').run()).rejects.toThrow(/status after stop is running/);
  });

  it('an onExit that never fires fails within exitWithinMs', async () => {
    const base = memoryRuntime({ missingImages: ['gone:1'] });
    const broken: Runtime = { ...base, onExit: () => ({ [Symbol.dispose]: () => undefined }) };
    await expect(caseNamed(broken, 'onExit fires').run()).rejects.toThrow(/did not fire within 100 ms/);
  });

  it('an untyped start failure fails the typed-error case', async () => {
    const base = memoryRuntime();
    await expect(caseNamed(base, 'a start failure').run()).rejects.toThrow(/succeeded/);
  });

  it('a runtime that lists every instance fails the list case', async () => {
    const base = memoryRuntime();
    const broken: Runtime = { ...base, list: () => base.list('BRK') };
    await expect(caseNamed(broken, 'list(instance)').run()).rejects.toThrow(/another instance/);
  });
});
