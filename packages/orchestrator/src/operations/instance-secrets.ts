import type { StateStore } from '@dive/state-db';
import { mergeEnvFileSecrets, parseEnvFileSecrets, type EnvFileSecret } from '../engine/env-file-secrets.js';
import { findSecrets } from '../topology/secrets.js';

/** How many of an instance's newest checkpoints are read for the names of its secrets. */
const CHECKPOINTS_READ = 5;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What names an instance's secrets when there is no topology file. */
export interface InstanceSecrets {
  /** Environment variables whose values are secrets, sorted and unique. */
  readonly variables: string[];
  /** Compose `env_file`s whose values are secrets (by service and file). */
  readonly envFiles: EnvFileSecret[];
}

/**
 * The secrets of an instance for `down` and `rollback`, which have no topology file: the `secretVariables`,
 * `secretEnvFiles` and `{ secret: NAME }` references of its newest checkpoints. Best effort: a checkpoint that
 * cannot be read adds nothing (the operation itself reports why).
 * @param store - the state store
 * @param instance - the instance code
 * @returns the variable names and env_files
 */
export async function instanceSecrets(store: StateStore, instance: string): Promise<InstanceSecrets> {
  const names = new Set<string>();
  let envFiles: EnvFileSecret[] = [];
  const infos = await store.listCheckpoints(instance);
  if (infos.isErr()) return { variables: [], envFiles };
  for (const info of infos.value.slice(0, CHECKPOINTS_READ)) {
    const cp = await store.getCheckpoint(info.id, { instance });
    if (cp.isErr() || !isRecord(cp.value.payload)) continue;
    const { secretVariables, secretEnvFiles, topology } = cp.value.payload;
    if (Array.isArray(secretVariables)) for (const n of secretVariables) if (typeof n === 'string') names.add(n);
    for (const use of findSecrets(topology)) names.add(use.name);
    envFiles = mergeEnvFileSecrets(envFiles, parseEnvFileSecrets(secretEnvFiles));
  }
  return { variables: [...names].sort(), envFiles };
}
