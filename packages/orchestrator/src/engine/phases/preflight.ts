import { err, ok, ResultAsync, type Result } from 'neverthrow';
import { closeUnion, OPERATION_ERROR_TAGS, type RuntimeError } from '../../errors.js';
import type { ServiceHandle } from '../../runtime/types.js';
import type { ConfigInvalidError, DiveError } from '@dive/errors';
import type { Deployment } from '../deployment.js';
import { latestGeneration } from '../generation.js';
import type { CheckpointPayload } from '../ports.js';

/** Read-only probes started as soon as the lock is held, taken by the phases that need them. */
export interface Probes {
  /** The runtime's ping and preflight (image inspects) at once. */
  readonly preflight: ResultAsync<unknown, DiveError>;
  /** What runs now. */
  readonly existing: ResultAsync<readonly ServiceHandle[], DiveError>;
  /** The generation that ran last. */
  readonly previous: Promise<CheckpointPayload | undefined>;
}

/**
 * Start the probes: they run alongside the first state writes, under the lock; nothing changes before they passed
 * and the checkpoint is written.
 */
export function startProbes(d: Pick<Deployment, 'ctx' | 'resolved' | 'instance' | 'id' | 'probe'>): Probes {
  const { ctx, instance } = d;
  const requests = [...d.resolved.services.values()].map((s) => ({
    instance,
    service: s.name,
    deploymentId: d.id,
    configHash: s.configHash,
    kind: s.kind,
    env: {},
    ...(s.spec.container === undefined ? {} : { container: s.spec.container }),
    ...(s.spec.process === undefined ? {} : { process: s.spec.process }),
  }));
  return {
    preflight: d.probe(ResultAsync.combine([ctx.runtime.ping(), ctx.runtime.preflight(requests)])),
    existing: d.probe(ctx.runtime.list(instance)),
    previous: d.probe(latestGeneration(ctx, instance)),
  };
}

/**
 * Errors of the preflight phase: the runtime is unreachable or something a service needs is missing, or the
 * runtime's own configuration is invalid (a bad Docker URL or unreadable TLS file: ConfigInvalidError).
 */
export type PreflightError = RuntimeError | ConfigInvalidError;

const PREFLIGHT_TAGS = [...OPERATION_ERROR_TAGS.runtime, 'ConfigInvalidError'] as const;

/**
 * Preflight: the runtime answers and has what every service needs (images, executables). Emits the `preflight`
 * phase's start and, when it passed, its end (a failure's end is emitted by the caller, which closes the
 * deployment).
 * @returns Ok; Err {@link PreflightError}
 */
export async function preflight(d: Pick<Deployment, 'emit'>, probes: Probes): Promise<Result<void, PreflightError>> {
  d.emit({ type: 'phase', phase: 'preflight', status: 'started' });
  const pre = await probes.preflight;
  if (pre.isErr()) return err(closeUnion(PREFLIGHT_TAGS, pre.error));
  d.emit({ type: 'phase', phase: 'preflight', status: 'finished' });
  return ok(undefined);
}
