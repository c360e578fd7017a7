import type { StateStore } from '@dive/state-db';
import { findSecrets } from '../topology/secrets.js';

/** How many of an instance's newest checkpoints are read for the names of its secrets. */
const CHECKPOINTS_READ = 5;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The names of the environment variables whose values are an instance's secrets, for `down` and `rollback`, which
 * have no topology file: the `secretVariables` and `{ secret: NAME }` references of its newest checkpoints. Best
 * effort: a checkpoint that cannot be read adds nothing (the operation itself reports why).
 * @param store - the state store
 * @param instance - the instance code
 * @returns the names, sorted and unique
 */
export async function instanceSecretNames(store: StateStore, instance: string): Promise<string[]> {
  const names = new Set<string>();
  const infos = await store.listCheckpoints(instance);
  if (infos.isErr()) return [];
  for (const info of infos.value.slice(0, CHECKPOINTS_READ)) {
    const cp = await store.getCheckpoint(info.id, { instance });
    if (cp.isErr() || !isRecord(cp.value.payload)) continue;
    const { secretVariables, topology } = cp.value.payload;
    if (Array.isArray(secretVariables)) for (const n of secretVariables) if (typeof n === 'string') names.add(n);
    for (const use of findSecrets(topology)) names.add(use.name);
  }
  return [...names].sort();
}
