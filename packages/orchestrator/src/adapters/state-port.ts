import type { DiveError } from '@dive/errors';
import type { StateStore } from '@dive/state-db';
import { okAsync, ResultAsync } from 'neverthrow';
import type { DeploymentStateName } from '../events.js';
import { parseCheckpointPayload } from '../engine/checkpoint-payload.js';
import { reresolveCheckpoint, unresolveCheckpoint } from '../engine/checkpoint-secrets.js';
import type { EnvFileSecret } from '../engine/env-file-secrets.js';
import type { CheckpointPayload, EngineState, InstanceState } from '../engine/ports.js';
import { createRedaction, type Redaction } from '../engine/redaction.js';

/** What checkpoints need to keep secret variables out: the environment and the operation's secret variables. */
export interface CheckpointSecrets {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Interpolated variables that are secrets (`secretVariables`). */
  readonly variables: readonly string[];
  /** Compose `env_file` values that are secrets (`secretEnvFiles`). */
  readonly envFiles?: readonly EnvFileSecret[];
}

interface CheckpointSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly state: DeploymentStateName;
}

const isPayload = (value: unknown): value is CheckpointPayload =>
  typeof value === 'object' && value !== null && 'services' in value && 'state' in value && 'deploymentId' in value;

/**
 * The engine's view of a @dive/state-db store. What it writes besides checkpoints (transition reasons and
 * metadata, step details, error records) goes through `redaction.persisted`: log tails removed, error contexts
 * capped, the operation's secrets replaced by value. Checkpoints are stored with their secret variables as
 * `${NAME}` (see `unresolveCheckpoint`) and read back with the values of the environment now.
 */
export function statePort(
  store: StateStore,
  redaction: Redaction = createRedaction([]),
  secrets: CheckpointSecrets = { env: {}, variables: [] },
): EngineState {
  const text = (s: string): string => redaction.values.redactString(s);
  return {
    getState: (instance): ResultAsync<InstanceState, DiveError> =>
      store.getState(instance).andThen((s) => {
        const base = {
          state: s.state,
          version: s.version,
          ...(s.updatedAt === null ? {} : { updatedAt: new Date(s.updatedAt).toISOString() }),
        };
        if (s.version === 0) return okAsync(base);
        // The deployment that wrote the last transition (to name an interrupted one).
        return store
          .history(instance, { limit: 1 })
          .map((rows) => ({
            ...base,
            ...(rows[0]?.deploymentId == null ? {} : { deploymentId: rows[0].deploymentId }),
          }))
          .orElse(() => okAsync(base));
      }),
    transition: (instance, to, options) =>
      store
        .transition(instance, to, {
          fencingToken: options.fencingToken,
          reason: text(options.reason),
          actor: options.actor,
          deploymentId: options.deploymentId,
          ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
          ...(options.metadata === undefined ? {} : { metadata: redaction.persisted(options.metadata) }),
        })
        .map((r) => ({
          state: r.to,
          version: r.version,
          deploymentId: options.deploymentId,
          updatedAt: new Date(r.at).toISOString(),
        })),
    createCheckpoint: (instance, payload) =>
      store
        .createCheckpoint(instance, unresolveCheckpoint(payload, secrets.env, secrets.variables, secrets.envFiles))
        .map((c) => c.id),
    // A checkpoint is validated before the engine uses it: a bad one is a CheckpointCorruptError, never a guess.
    getCheckpoint: (id) =>
      store
        .getCheckpoint(id)
        .andThen((c) => reresolveCheckpoint(c.payload, secrets.env, id))
        .andThen((payload) => parseCheckpointPayload(payload, id)),
    pruneCheckpoints: (instance, keep) => store.pruneCheckpoints(instance, keep),
    listCheckpoints: (instance) =>
      store.listCheckpoints(instance).andThen((infos) => {
        // The engine needs each checkpoint's recorded state: read them newest first (there are few; old ones are pruned).
        const newestFirst = [...infos].sort((a, b) => b.createdAt - a.createdAt);
        return ResultAsync.combine(
          newestFirst.map((info): ResultAsync<CheckpointSummary, never> =>
            store
              .getCheckpoint(info.id)
              .map((c): CheckpointSummary => ({
                id: info.id,
                createdAt: new Date(info.createdAt).toISOString(),
                state: isPayload(c.payload) ? c.payload.state : 'UNKNOWN',
              }))
              .orElse(() =>
                okAsync<CheckpointSummary>({
                  id: info.id,
                  createdAt: new Date(info.createdAt).toISOString(),
                  state: 'UNKNOWN',
                }),
              ),
          ),
        );
      }),
    recordStep: (step) =>
      store
        .recordStep({
          deploymentId: step.deploymentId,
          instance: step.instance,
          step: step.name,
          status: step.status === 'started' ? 'running' : step.status,
          startedAt: Date.parse(step.startedAt),
          ...(step.endedAt === undefined ? {} : { endedAt: Date.parse(step.endedAt) }),
          ...(step.detail === undefined ? {} : { detail: redaction.persisted(step.detail) }),
        })
        .map(() => undefined),
    verifyAuditLog: (instance) => store.verifyAuditLog(instance).map((v) => ({ head: v.head, rows: v.rows })),
    recordError: (error, context) =>
      store
        .recordError(
          {
            _tag: error._tag,
            code: error.code,
            severity: error.severity,
            message: redaction.persisted(error.toJSON()).message,
          },
          { instance: context.instance, deploymentId: context.deploymentId },
        )
        .map(() => undefined),
  };
}
