import { DiveError } from '@dive/errors';
import type { Result } from 'neverthrow';
import type { Runtime, ServiceHandle, ServiceStatus, StartRequest } from '../runtime/types.js';

/** What the contract needs to exercise one runtime. */
export interface RuntimeContractFixture {
  /** The runtime under test (the suite does not dispose it). */
  readonly runtime: Runtime;
  /** A unique instance code for this run, so suites can run side by side. */
  readonly instance: string;
  /**
   * A start request for `service` of one of three kinds: `long` runs until stopped and prints `logLine`; `exits`
   * exits on its own soon after starting with exit code 3; `fails` cannot be started at all (missing image or
   * executable).
   */
  request(kind: 'long' | 'exits' | 'fails', service: string): StartRequest;
  /** A line the `long` service prints at start. */
  readonly logLine: string;
  /** How long `exits` may take to exit and be reported (default 10_000 ms). */
  readonly exitWithinMs?: number;
}

/** One case of the contract: run it with your test framework (`for (const c of cases) it(c.name, c.run)`). */
export interface RuntimeContractCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

class ContractViolation extends Error {
  override readonly name = 'RuntimeContractViolation';
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ContractViolation(message);
}

function unwrap<T>(result: Result<T, DiveError>, what: string): T {
  if (result.isErr()) throw new ContractViolation(`${what} failed: ${result.error._tag} ${result.error.message}`);
  return result.value;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(probe: () => Promise<T | undefined>, withinMs: number, what: string): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new ContractViolation(`${what} not within ${withinMs} ms`);
    await sleep(20);
  }
}

/**
 * The behaviour every {@link Runtime} must have, as framework-neutral test cases: start → running, status, logs,
 * stop → missing, list by instance, onExit fires at once with the exit code, a start failure is a typed error,
 * stopping something missing succeeds. `dockerRuntime()`, `processRuntime()` and `memoryRuntime()` all pass it;
 * run it against your own runtime too. Every case stops what it started.
 *
 * @param fixture - the runtime and how to ask it for the three kinds of service
 * @returns the cases; each `run` rejects with a `RuntimeContractViolation` error naming what did not hold
 * @example
 * ```ts
 * import { runtimeContract } from '@dive/orchestrator/testing';
 * describe('my runtime', () => {
 *   for (const c of runtimeContract(fixture)) it(c.name, c.run);
 * });
 * ```
 */
export function runtimeContract(fixture: RuntimeContractFixture): readonly RuntimeContractCase[] {
  const { runtime, instance } = fixture;
  const exitWithinMs = fixture.exitWithinMs ?? 10_000;

  const withService = async (
    kind: 'long' | 'exits',
    service: string,
    body: (handle: ServiceHandle, request: StartRequest) => Promise<void>,
  ): Promise<void> => {
    const request = fixture.request(kind, service);
    const handle = unwrap(await runtime.start(request), `start of ${service}`);
    try {
      await body(handle, request);
    } finally {
      await runtime.stop(handle, { graceMs: 1000 });
    }
  };

  return [
    {
      name: 'start gives a handle of a running service',
      run: () =>
        withService('long', 'c-start', async (handle, request) => {
          check(handle.runtime === runtime.name, `handle.runtime is ${handle.runtime}, expected ${runtime.name}`);
          check(handle.instance === instance && handle.service === 'c-start', 'handle names the instance and service');
          check(handle.deploymentId === request.deploymentId, 'handle carries the deployment id');
          check(handle.configHash === request.configHash, 'handle carries the config hash');
          check(handle.id !== '' && !Number.isNaN(Date.parse(handle.startedAt)), 'handle has an id and a start time');
          const status = unwrap(await runtime.status(handle), 'status');
          check(status.state === 'running', `status is ${status.state}, expected running`);
        }),
    },
    {
      name: 'logs return the last lines the service printed',
      run: () =>
        withService('long', 'c-logs', async (handle) => {
          const lines = await eventually(
            async () => {
              const got = unwrap(await runtime.logs(handle, { tail: 50 }), 'logs');
              return got.some((l) => l.includes(fixture.logLine)) ? got : undefined;
            },
            exitWithinMs,
            `log line '${fixture.logLine}'`,
          );
          check(lines.length <= 50, 'logs honour tail');
          const one = unwrap(await runtime.logs(handle, { tail: 1 }), 'logs tail 1');
          check(one.length <= 1, `tail 1 gave ${one.length} lines`);
        }),
    },
    {
      name: 'list(instance) finds the services of that instance only',
      run: () =>
        withService('long', 'c-list', async (handle) => {
          const mine = unwrap(await runtime.list(instance), 'list');
          const found = mine.find((h) => h.id === handle.id);
          check(found !== undefined, 'list contains the started service');
          check(found.service === 'c-list' && found.deploymentId === handle.deploymentId, 'listed handle matches');
          check(found.configHash === handle.configHash, 'listed handle keeps the config hash');
          const other = unwrap(await runtime.list(`${instance}X`), 'list of another instance');
          check(!other.some((h) => h.id === handle.id), 'another instance does not list it');
        }),
    },
    {
      name: 'stop removes the service: status missing, not listed, stopping again succeeds',
      run: async () => {
        const handle = unwrap(await runtime.start(fixture.request('long', 'c-stop')), 'start');
        unwrap(await runtime.stop(handle, { graceMs: 1000 }), 'stop');
        const status = unwrap(await runtime.status(handle), 'status after stop');
        check(status.state === 'missing', `status after stop is ${status.state}, expected missing`);
        const listed = unwrap(await runtime.list(instance), 'list after stop');
        check(!listed.some((h) => h.id === handle.id), 'a stopped service is not listed');
        unwrap(await runtime.stop(handle), 'stopping a stopped service');
      },
    },
    {
      name: 'stopping a service that never existed succeeds',
      run: async () => {
        const ghost: ServiceHandle = {
          runtime: runtime.name,
          instance,
          service: 'c-ghost',
          id: runtime.name === 'process' ? '2147483646' : 'ffffffffffffdeadbeef',
          name: `dive-${instance}-c-ghost-00000000`.toLowerCase(),
          deploymentId: 'ghost',
          configHash: 'ghost',
          startedAt: new Date().toISOString(),
        };
        unwrap(await runtime.stop(ghost), 'stop of a missing service');
        const status = unwrap(await runtime.status(ghost), 'status of a missing service');
        check(status.state === 'missing', `status of a missing service is ${status.state}`);
      },
    },
    {
      name: 'onExit fires once, at once, with the exit code; status is exited',
      run: () =>
        withService('exits', 'c-exit', async (handle) => {
          let calls = 0;
          const exited = await new Promise<Extract<ServiceStatus, { state: 'exited' }>>((resolve, reject) => {
            const timer = setTimeout(() => {
              reject(new ContractViolation(`onExit did not fire within ${exitWithinMs} ms`));
            }, exitWithinMs);
            runtime.onExit(handle, (s) => {
              calls += 1;
              clearTimeout(timer);
              resolve(s);
            });
          });
          check(exited.exitCode === 3, `onExit reported exit code ${exited.exitCode}, expected 3`);
          const status = unwrap(await runtime.status(handle), 'status after exit');
          check(status.state === 'exited' && status.exitCode === 3, `status after exit is ${JSON.stringify(status)}`);
          // A listener registered after the exit still hears about it.
          const late = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => {
              reject(new ContractViolation('late onExit did not fire'));
            }, exitWithinMs);
            runtime.onExit(handle, (s) => {
              clearTimeout(timer);
              resolve(s.exitCode);
            });
          });
          check(late === 3, `late onExit reported ${late}`);
          check(calls === 1, `the first listener was called ${calls} times`);
        }),
    },
    {
      name: 'a disposed onExit listener is not called',
      run: () =>
        withService('exits', 'c-dispose', async (handle) => {
          let called = false;
          const d = runtime.onExit(handle, () => {
            called = true;
          });
          d[Symbol.dispose]();
          await eventually(
            async () => {
              const s = unwrap(await runtime.status(handle), 'status');
              return s.state === 'exited' ? s : undefined;
            },
            exitWithinMs,
            'the service exiting',
          );
          await sleep(0);
          check(!called, 'a disposed listener was called');
        }),
    },
    {
      name: 'a start failure is a typed error (3001 or 3004), and nothing is left behind',
      run: async () => {
        const result = await runtime.start(fixture.request('fails', 'c-fail'));
        check(result.isErr(), 'start of an unstartable service succeeded');
        const e = result.error;
        check(DiveError.is(e), 'the error is a DiveError');
        check(e.code === 3001 || e.code === 3004, `error code is ${e.code} (${e._tag}), expected 3001 or 3004`);
        check(e.message.includes('c-fail'), `the message names the service: ${e.message}`);
        const listed = unwrap(await runtime.list(instance), 'list after a failed start');
        check(!listed.some((h) => h.service === 'c-fail'), 'a failed start left a service behind');
      },
    },
  ];
}
