import type { ContainerHealthState, DockerHealthWatcher } from '@dive/health';
import type { Disposable, ServiceStatus } from './types.js';

type Exited = Extract<ServiceStatus, { state: 'exited' }>;

/**
 * `onExit` of the Docker runtime on @dive/health's watcher (the one events stream the health waits use too): the
 * listener is called once, when the container stops running with an exit code (from the `die` event at once). A
 * container that is removed without exiting is not an exit. If the engine cannot be watched, the health wait's
 * "running" layer still notices the exit by polling.
 * @param watcher - the runtime's watcher
 * @param id - container id
 * @param listener - gets the exit once
 * @returns a disposable that stops listening
 */
export function watchExit(watcher: DockerHealthWatcher, id: string, listener: (status: Exited) => void): Disposable {
  let active = true;
  let unwatch: (() => void) | undefined;
  const onState = (s: ContainerHealthState): void => {
    if (!active || s.running || s.missing || s.exitCode === undefined) return;
    active = false;
    unwatch?.();
    listener({ state: 'exited', exitCode: s.exitCode, ...(s.oomKilled ? { oomKilled: true } : {}) });
  };
  watcher.watch(id, onState).then(
    (stop) => {
      if (active) unwatch = stop;
      else stop();
    },
    () => undefined, // engine unreachable: nothing to watch; the health wait polls the status
  );
  return {
    [Symbol.dispose]: () => {
      active = false;
      unwatch?.();
    },
  };
}
