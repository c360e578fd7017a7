import type { DiveError } from '@dive/errors';
import { ResultAsync, type Result } from 'neverthrow';
import type { OwnerOptions, Runtime, StartRequest } from '../runtime/types.js';

/**
 * The runtime as one state store sees it: what it starts carries the store's id (Docker: the `dive.store` label),
 * and `list`, `listRetired` and `removeResources` see only what that store created (plus what carries no store id),
 * so `down` and the orphan sweep never touch what another store deployed on the same engine. The id is read once,
 * on the first call that needs it (a failed read is tried again by the next call). Everything else is the
 * runtime's own.
 *
 * @param runtime - the runtime
 * @param storeId - reads the state store's id (`StateStore.storeId`)
 * @returns the runtime; a failed id read fails the call with the store's error
 */
export function ownedRuntime(runtime: Runtime, storeId: () => ResultAsync<string, DiveError>): Runtime {
  let pending: Promise<Result<string, DiveError>> | undefined;
  const id = (): ResultAsync<string, DiveError> => {
    const p = (pending ??= Promise.resolve(storeId()).then((r) => {
      if (r.isErr()) pending = undefined;
      return r;
    }));
    return new ResultAsync(p);
  };
  const owner = (o: OwnerOptions | undefined): ResultAsync<OwnerOptions, DiveError> =>
    o?.storeId !== undefined ? id().map(() => o) : id().map((storeId) => ({ ...o, storeId }));
  const removeResources = runtime.removeResources?.bind(runtime);
  const listRetired = runtime.listRetired?.bind(runtime);
  return Object.create(runtime, {
    start: {
      value: (r: StartRequest) => id().andThen((storeId) => runtime.start({ ...r, storeId })),
    },
    list: {
      value: (instance: string, o?: OwnerOptions) => owner(o).andThen((x) => runtime.list(instance, x)),
    },
    ...(listRetired === undefined
      ? {}
      : {
          listRetired: {
            value: (instance: string, o?: OwnerOptions) => owner(o).andThen((x) => listRetired(instance, x)),
          },
        }),
    ...(removeResources === undefined
      ? {}
      : {
          removeResources: {
            value: (instance: string, o?: { readonly volumes?: boolean } & OwnerOptions) =>
              owner(o).andThen((x) => removeResources(instance, { ...o, ...x })),
          },
        }),
  }) as Runtime;
}
