import type { DiveError } from '@dive/errors';
import { okAsync, ResultAsync } from 'neverthrow';
import type { Runtime, ServiceHandle } from '../runtime/types.js';
import type { EngineEvent } from './context.js';

/**
 * The retired services an earlier deployment left behind (its process was killed before it finished, or it ran
 * with `rollback: 'never'`), one per service (the newest), for a manual rollback to restore as they were. A runtime
 * without `listRetired` has none; a failed listing is told as a warning and the rollback starts fresh services.
 */
export async function leftoverRetired(
  runtime: Runtime,
  instance: string,
  emit: (e: EngineEvent) => void,
): Promise<ReadonlyMap<string, ServiceHandle>> {
  const byService = new Map<string, ServiceHandle>();
  const listed = await (runtime.listRetired?.(instance) ?? okAsync([]));
  if (listed.isErr()) {
    emit({
      type: 'warning',
      message: `the retired services of ${instance} could not be listed (${listed.error._tag}); starting new ones`,
    });
    return byService;
  }
  for (const h of listed.value) if (!byService.has(h.service)) byService.set(h.service, h);
  return byService;
}

/**
 * Remove the retired services an earlier deployment left behind, once a later one is verified (they can no longer be
 * rolled back to: the new generation's checkpoint supersedes theirs). `keep` holds this deployment's own retired
 * services, which the finish phase discards itself.
 * @returns Ok(the names removed); Err the runtime's error
 */
export function discardLeftovers(
  runtime: Runtime,
  instance: string,
  keep: ReadonlyMap<string, ServiceHandle>,
): ResultAsync<readonly string[], DiveError> {
  if (runtime.listRetired === undefined || runtime.discard === undefined) return okAsync([]);
  const discard = runtime.discard.bind(runtime);
  const own = new Set([...keep.values()].map((h) => h.id));
  return runtime.listRetired(instance).andThen((found) => {
    const stale = found.filter((h) => !own.has(h.id));
    return ResultAsync.combine(stale.map((h) => discard(h).map(() => h.name)));
  });
}
