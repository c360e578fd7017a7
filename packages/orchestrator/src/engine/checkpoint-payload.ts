import { CheckpointCorruptError, DEPLOYMENT_STATES } from '@dive/state-db';
import { err, ok, type Result } from 'neverthrow';
import { defineTopology } from '../topology/define-topology.js';
import type { CheckpointPayload } from './ports.js';

const STATES: ReadonlySet<string> = new Set(DEPLOYMENT_STATES);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** The first problem of a stored service entry, or undefined when it has the shape the engine needs. */
function serviceProblem(name: string, entry: unknown): string | undefined {
  if (!isRecord(entry)) return `services.${name} is not an object`;
  if (!isString(entry['configHash'])) return `services.${name}.configHash is not a string`;
  const handle = entry['handle'];
  if (!isRecord(handle)) return `services.${name}.handle is not an object`;
  for (const key of ['runtime', 'instance', 'service', 'id', 'name', 'deploymentId', 'configHash', 'startedAt']) {
    if (!isString(handle[key])) return `services.${name}.handle.${key} is not a string`;
  }
  return undefined;
}

/** The first problem of a stored payload, or undefined when it is a checkpoint the engine can use. */
function payloadProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the payload is not an object';
  if (!isString(value['deploymentId'])) return 'deploymentId is not a string';
  if (!isString(value['takenAt'])) return 'takenAt is not a string';
  if (!isString(value['state']) || !STATES.has(value['state'])) return 'state is not a deployment state';
  const services = value['services'];
  if (!isRecord(services)) return 'services is not an object';
  for (const [name, entry] of Object.entries(services)) {
    const problem = serviceProblem(name, entry);
    if (problem !== undefined) return problem;
  }
  if (value['topology'] !== undefined) {
    const topology = defineTopology(value['topology'] as Parameters<typeof defineTopology>[0]);
    if (topology.isErr()) return `topology is not a valid topology: ${topology.error.message}`;
  }
  return undefined;
}

/**
 * Check a checkpoint read back from the store before the engine uses it: its shape (deployment id, time, state,
 * services with their handles) and its topology (validated like a new one).
 * @param value - the stored payload
 * @param id - the checkpoint's id, for the error
 * @returns Ok the payload; Err `CheckpointCorruptError` (7002) naming the checkpoint and the first problem
 */
export function parseCheckpointPayload(value: unknown, id: string): Result<CheckpointPayload, CheckpointCorruptError> {
  const problem = payloadProblem(value);
  if (problem === undefined) return ok(value as CheckpointPayload);
  return err(
    new CheckpointCorruptError(`checkpoint ${id} cannot be used: ${problem}`, {
      context: { checkpointId: id, problem },
      remediation: 'Choose an older checkpoint (`dive checkpoint list INSTANCE`); a corrupt one is never used.',
    }),
  );
}
