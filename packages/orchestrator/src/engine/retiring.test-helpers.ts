// A memory runtime that can retire, restore and discard (as the Docker runtime does), for the engine's unit tests.
import { okAsync, errAsync } from 'neverthrow';
import { ContainerStartFailedError } from '../runtime/errors.js';
import type { Runtime, ServiceHandle } from '../runtime/types.js';
import type { MemoryRuntime } from '../testing/memory-runtime.js';

/** A {@link MemoryRuntime} with `retire`/`restore`/`discard`/`listRetired`; `calls` records them, `retired` holds the set-aside ids. */
export interface RetiringRuntime extends Runtime {
  readonly calls: string[];
  readonly retired: ReadonlySet<string>;
}

/** `inner`, plus retire (stopped, hidden from `list`), restore (running again, same id) and discard (removed). */
export function retiringRuntime(inner: MemoryRuntime, o: { readonly restoreFails?: boolean } = {}): RetiringRuntime {
  const retired = new Set<string>();
  const calls: string[] = [];
  const extra: Partial<RetiringRuntime> = {
    calls,
    retired,
    list: (instance) => inner.list(instance).map((hs) => hs.filter((h) => !retired.has(h.id))),
    listRetired: (instance: string) =>
      inner
        .list(instance)
        .map((hs) => hs.filter((h) => retired.has(h.id)).map((h) => ({ ...h, name: `${h.name}.retired` }))),
    retire: (h: ServiceHandle) => {
      calls.push(`retire ${h.service}`);
      const svc = inner.services.get(h.id);
      if (svc !== undefined) svc.status = { state: 'exited', exitCode: 143 };
      retired.add(h.id);
      return okAsync({ ...h, name: `${h.name}.retired` });
    },
    restore: (h: ServiceHandle) => {
      calls.push(`restore ${h.service}`);
      const svc = inner.services.get(h.id);
      if (svc === undefined || o.restoreFails === true) {
        return errAsync(new ContainerStartFailedError(`retired ${h.name} cannot be restored`));
      }
      svc.status = { state: 'running' };
      retired.delete(h.id);
      return okAsync({ ...h, name: h.name.replace(/\.retired$/, '') });
    },
    discard: (h: ServiceHandle) => {
      calls.push(`discard ${h.service}`);
      retired.delete(h.id);
      return inner.stop(h);
    },
  };
  return new Proxy(inner, {
    get: (target, key, receiver): unknown =>
      key in extra ? extra[key as keyof RetiringRuntime] : Reflect.get(target, key, receiver),
  }) as unknown as RetiringRuntime;
}
