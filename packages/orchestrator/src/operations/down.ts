import { defineError, type DiveError } from '@dive/errors';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import type { EngineContext } from '../engine/context.js';
import { latestGeneration } from '../engine/generation.js';
import { recover } from '../engine/phases/recover.js';
import { rollbackInstance } from '../engine/rollback.js';
import { stopWaves } from '../engine/stop-order.js';
import { closeUnion, OPERATION_ERROR_TAGS, type DownError } from '../errors.js';
import type { DeploymentStateName } from '../events.js';
import type { RemovedResources, ServiceHandle } from '../runtime/types.js';
import type { Topology } from '../topology/types.js';
import type { CommonOptions } from './options.js';
import { setup } from './setup.js';
import { withInstanceSecrets } from './with-instance-secrets.js';
import { withInstanceLock, type LockedOperation } from './with-instance-lock.js';

/** 6002: the operation is not allowed in the instance's current state. */
export class InvalidTransitionError extends defineError('InvalidTransitionError') {}

/** Options of {@link down}. */
export interface DownOptions extends CommonOptions {
  /** Also remove the instance's volumes (named and per-service): its data is gone. Default false. */
  readonly volumes?: boolean;
}

/** What `down()` did. */
export interface DownReport {
  readonly instance: string;
  readonly stopped: readonly string[];
  /** Networks and volumes removed (Docker names), once every service was stopped; empty for other runtimes. */
  readonly removed: RemovedResources;
  readonly from: DeploymentStateName;
  readonly status: DeploymentStateName;
}

/**
 * Stop every listed service, dependents first by the topology that was deployed last (the latest generation
 * checkpoint); services at the same depth at once. A failed stop ends it after its wave (the others of the wave
 * still stop); only services that stopped get `service-stopped`.
 */
async function stopAll(
  op: LockedOperation,
  instance: string,
  listed: readonly ServiceHandle[],
  stopped: string[],
): Promise<DiveError | undefined> {
  const topology = (await latestGeneration(op.ctx, instance))?.topology as Topology | undefined;
  for (const wave of stopWaves(listed, topology)) {
    const results = await Promise.all(
      wave.map(async (h) => {
        const r = await op.ctx.runtime.stop(h);
        if (r.isOk()) {
          stopped.push(h.service);
          op.emit({ type: 'service-stopped', service: h.service });
        }
        return r;
      }),
    );
    const failed = results.find((r) => r.isErr());
    if (failed !== undefined) return failed.error;
  }
  return undefined;
}

const NOTHING_REMOVED: RemovedResources = { networks: [], volumes: [] };

/** Once every service is stopped: the runtime removes the networks (and with `volumes`, the volumes) it made. */
async function release(
  op: LockedOperation,
  instance: string,
  volumes: boolean,
): Promise<Result<RemovedResources, DiveError>> {
  const runtime = op.ctx.runtime;
  return runtime.removeResources === undefined ? ok(NOTHING_REMOVED) : runtime.removeResources(instance, { volumes });
}

/** Take the instance down under its lock, by the state it is in. */
async function takeDown(
  base: EngineContext,
  instance: string,
  op: LockedOperation,
  volumes: boolean,
): Promise<Result<DownReport, DownError>> {
  const { tx } = op;
  const found = tx.current().state;
  // A deployment interrupted mid-way (its process killed) is closed first (→ FAILED, `interrupted`), then taken down.
  const recovered = await recover({ tx, log: op.ctx.logger.child({ instance, operation: op.operationId }) });
  if (recovered.isErr()) return err(recovered.error);
  const from = tx.current().state;
  const runtimeError = (e: DiveError) => err(closeUnion(OPERATION_ERROR_TAGS.down, e));
  const listed = await op.ctx.runtime.list(instance);
  if (listed.isErr()) return runtimeError(listed.error);
  const stopped: string[] = [];
  if (from === 'UNKNOWN') {
    const e = await stopAll(op, instance, listed.value, stopped);
    if (e !== undefined) return runtimeError(e);
    const removed = await release(op, instance, volumes);
    return removed.isErr()
      ? runtimeError(removed.error)
      : ok({ instance, stopped, removed: removed.value, from: found, status: from });
  }
  if (from === 'FAILED') {
    const r = await rollbackInstance(base, {
      instance,
      deploymentId: op.operationId,
      tx,
      emit: op.emit,
      created: new Map(),
      strategy: 'stop',
      reason: 'down',
      writes: op.writes,
    });
    const removed = await release(op, instance, volumes);
    if (removed.isErr()) return runtimeError(removed.error);
    return ok({ instance, stopped: r.removed, removed: removed.value, from: found, status: r.finalState });
  }
  if (from !== 'COMPLETE') {
    return err(
      new InvalidTransitionError(`cannot take ${instance} down while it is ${from}`, {
        context: { instance, state: from },
      }),
    );
  }
  const cleanup = await tx.to('CLEANUP', 'down');
  if (cleanup.isErr()) return runtimeError(cleanup.error);
  const e = await stopAll(op, instance, listed.value, stopped);
  if (e !== undefined) return runtimeError(e);
  const removed = await release(op, instance, volumes);
  if (removed.isErr()) return runtimeError(removed.error);
  const gone = await tx.to('UNKNOWN', 'torn down');
  if (gone.isErr()) return runtimeError(gone.error);
  return ok({ instance, stopped, removed: removed.value, from: found, status: 'UNKNOWN' as const });
}

/**
 * Stop and remove every service of an instance, under its deployment lock: `COMPLETE → CLEANUP → UNKNOWN`, or
 * from `FAILED` through `ROLLING_BACK`. An instance that is already `UNKNOWN` only loses leftover services. A
 * deployment that was interrupted (its process killed: a non-final state, the lock free) is first closed
 * (`→ FAILED`, reason `interrupted`; `CLEANUP → UNKNOWN`) and then taken down. Then the runtime removes the
 * networks it made for the instance (and, with `volumes: true`, its volumes). Every
 * runtime and store call is bounded (`callTimeoutMs`), and the lock is released on every path.
 * @returns Ok(DownReport); Err {@link DownError}: `LockTimeoutError`, `StateStoreUnavailableError`,
 *   `RuntimeUnavailableError`, `TimeoutError` (a call did not answer), `UnexpectedError` (a runtime broke its
 *   contract), `InvalidTransitionError` (the instance is in a state `down` cannot leave)
 */
export function down(instance: string, options: DownOptions = {}): ResultAsync<DownReport, DownError> {
  const run = async (): Promise<Result<DownReport, DownError>> => {
    const prepared = await withInstanceSecrets(instance, options);
    const s = setup(prepared.options);
    try {
      return await withInstanceLock(s.ctx, instance, (op) => takeDown(s.ctx, instance, op, options.volumes === true));
    } finally {
      await s.dispose();
      await prepared.dispose();
    }
  };
  return new ResultAsync(run());
}
