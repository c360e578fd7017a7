import { defineError, type DiveError } from '@dive/errors';
import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { latestGeneration } from '../engine/generation.js';
import { rollbackInstance } from '../engine/rollback.js';
import { stopWaves } from '../engine/stop-order.js';
import type { RemovedResources } from '../runtime/types.js';
import type { Topology } from '../topology/types.js';
import type { DeploymentStateName } from '../events.js';
import type { CommonOptions } from './options.js';
import { setup } from './setup.js';
import { withInstanceLock } from './with-instance-lock.js';

const NOTHING_REMOVED: RemovedResources = { networks: [], volumes: [] };

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
 * Stop and remove every service of an instance, under its deployment lock: `COMPLETE → CLEANUP → UNKNOWN`, or
 * from `FAILED` through `ROLLING_BACK`. An instance that is already `UNKNOWN` only loses leftover services. Then the
 * runtime removes the networks it made for the instance (and, with `volumes: true`, its volumes).
 * @returns Ok(DownReport); Err `LockTimeoutError`, `StateStoreUnavailableError`, `RuntimeUnavailableError`,
 *   `InvalidTransitionError` (a deployment is in progress and holds no lock: run `dive deploy` to close it first)
 */
export function down(instance: string, options: DownOptions = {}): ResultAsync<DownReport, DiveError> {
  const s = setup(options);
  const release = async (): Promise<Result<RemovedResources, DiveError>> =>
    s.runtime.removeResources === undefined
      ? ok(NOTHING_REMOVED)
      : await s.runtime.removeResources(instance, { volumes: options.volumes === true });
  const run = () =>
    withInstanceLock<DownReport>(s.ctx, instance, async ({ tx, emit, operationId }) => {
      const from = tx.current().state;
      const listed = await s.runtime.list(instance);
      if (listed.isErr()) return err(listed.error);
      const stopped: string[] = [];
      const stopAll = async (): Promise<DiveError | undefined> => {
        // Dependents first, by the topology that was deployed last (the latest generation checkpoint); services
        // at the same depth at once. A failed stop ends it after its wave (the others of the wave still stop).
        const topology = (await latestGeneration(s.ctx, instance))?.topology as Topology | undefined;
        for (const wave of stopWaves(listed.value, topology)) {
          const results = await Promise.all(
            wave.map(async (h) => {
              const r = await s.runtime.stop(h);
              if (r.isOk()) {
                stopped.push(h.service);
                emit({ type: 'service-stopped', service: h.service });
              }
              return r;
            }),
          );
          const failed = results.find((r) => r.isErr());
          if (failed !== undefined) return failed.error;
        }
        return undefined;
      };
      if (from === 'UNKNOWN') {
        const e = await stopAll();
        if (e !== undefined) return err(e);
        const removed = await release();
        return removed.map((r) => ({ instance, stopped, removed: r, from, status: from }));
      }
      if (from === 'FAILED') {
        const r = await rollbackInstance(s.ctx, {
          instance,
          deploymentId: operationId,
          tx,
          emit,
          created: new Map(),
          strategy: 'stop',
          reason: 'down',
        });
        const removed = await release();
        return removed.map((rr) => ({ instance, stopped: r.removed, removed: rr, from, status: r.finalState }));
      }
      if (from !== 'COMPLETE') {
        return err(
          new InvalidTransitionError(
            `cannot take ${instance} down while it is ${from}; a deployment that was interrupted is closed by the next \`dive deploy\``,
            {
              context: { instance, state: from },
            },
          ),
        );
      }
      const cleanup = await tx.to('CLEANUP', 'down');
      if (cleanup.isErr()) return err(cleanup.error);
      const e = await stopAll();
      if (e !== undefined) return err(e);
      const removed = await release();
      if (removed.isErr()) return err(removed.error);
      const gone = await tx.to('UNKNOWN', 'torn down');
      if (gone.isErr()) return err(gone.error);
      return ok({ instance, stopped, removed: removed.value, from, status: 'UNKNOWN' as const });
    }).finally(() => s.dispose());
  return new ResultAsync(run());
}
