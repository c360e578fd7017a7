import { defineError } from '@dive/errors';
import { err, errAsync, ResultAsync, type Result } from 'neverthrow';
import { deploy } from '../engine/deploy.js';
import { resolveTopology } from '../engine/resolve.js';
import { closeUnion, OPERATION_ERROR_TAGS, type OrchestrateError } from '../errors.js';
import type { DeploymentReport } from '../report.js';
import { defineTopology } from '../topology/define-topology.js';
import type { Topology } from '../topology/types.js';
import type { OrchestrateOptions } from './options.js';
import { gatherRisk } from './risk-inputs.js';
import { setup, type Setup } from './setup.js';
import { validateOptions } from './validate-options.js';

/** 8003: the estimated failure risk is above `maxRisk`; nothing was changed. */
export class RiskTooHighError extends defineError('RiskTooHighError') {}

/** RiskTooHighError when the estimated risk is above `maxRisk`. */
async function riskCheck(
  s: Setup,
  instance: string,
  services: number,
  maxRisk: number,
): Promise<RiskTooHighError | undefined> {
  const risk = await gatherRisk(s, instance, services);
  if (risk.probability <= maxRisk) return undefined;
  return new RiskTooHighError(
    `estimated failure risk ${risk.probability} for ${instance} is above maxRisk ${maxRisk}`,
    {
      context: { instance, risk },
    },
  );
}

/**
 * Deploy a topology safely: take the instance's deployment lock, record an interrupted predecessor, preflight,
 * checkpoint, start every service as soon as its own dependencies are ready (retries behind circuit breakers,
 * layered health checks), verify, and record every step; on failure roll back (unless `rollback: 'never'`). Every
 * runtime and store call is bounded (`callTimeoutMs`; a start by the service's `startTimeoutMs`), so a runtime that
 * never answers fails its service instead of hanging the deployment.
 *
 * @param topology - the services (validated here: `ConfigInvalidError` lists every problem)
 * @param options - runtime, state, signal, logger, clock, metrics, onEvent, lockTimeoutMs, callTimeoutMs,
 *   rollbackTimeoutMs, keepCheckpoints, concurrency, rollback, schedule, maxRisk
 * @returns Ok with the {@link DeploymentReport} once the deployment ran — `report.success` says whether it
 *   succeeded, `report.rollback` what the rollback did. Err {@link OrchestrateError} when it could not begin:
 *   `ConfigInvalidError`, `GraphValidationError`, `SecretUnavailableError`, `LockTimeoutError` (another operation
 *   holds the instance), `StateStoreUnavailableError`, `LockStoreError`, `RuntimeUnavailableError`,
 *   `ImageMissingError`, `RiskTooHighError`, `TimeoutError`, `UnexpectedError`.
 * @example
 * ```ts
 * const result = await orchestrate(topology, { runtime: processRuntime(), state: fileState('.dive') });
 * if (result.isErr()) console.error(result.error._tag, result.error.message);
 * else console.log(result.value.status, result.value.durationMs, result.value.criticalPath.path);
 * ```
 */
export function orchestrate(
  topology: Topology,
  options: OrchestrateOptions = {},
): ResultAsync<DeploymentReport, OrchestrateError> {
  validateOptions(options);
  const valid = defineTopology(topology);
  if (valid.isErr()) return errAsync(valid.error);
  const resolved = resolveTopology(valid.value, options.env ?? process.env);
  if (resolved.isErr()) return errAsync(closeUnion(OPERATION_ERROR_TAGS.orchestrate, resolved.error));
  const s = setup(options, valid.value);
  const run = async (): Promise<Result<DeploymentReport, OrchestrateError>> => {
    try {
      const migrated = await s.backend.store.migrate();
      if (migrated.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.orchestrate, migrated.error));
      if (options.maxRisk !== undefined) {
        const tooHigh = await riskCheck(s, valid.value.instance, resolved.value.services.size, options.maxRisk);
        if (tooHigh !== undefined) return err(tooHigh);
      }
      const result = await deploy(s.ctx, valid.value, resolved.value, {
        rollback: options.rollback ?? 'auto',
        schedule: options.schedule ?? 'ready',
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.shouldStartNext === undefined ? {} : { shouldStartNext: options.shouldStartNext }),
      });
      if (result.isErr())
        s.tracing.end(false, s.redaction.values.redactString(`${result.error._tag}: ${result.error.message}`));
      else s.tracing.end(result.value.success, result.value.error?.message);
      // The report leaves the process (`--json`): its secrets are replaced by value; log tails stay in it.
      return result.map((report) => s.redaction.json(report));
    } finally {
      await s.dispose();
    }
  };
  return new ResultAsync(run());
}
