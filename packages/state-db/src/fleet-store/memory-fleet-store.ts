import { okAsync } from 'neverthrow';
import { newestFirst, newRunDocument, withApproval, withGate, withInstance, withRunState } from './run-document.js';
import type { FleetPause, FleetRun, FleetStore } from './types.js';

/**
 * An in-memory {@link FleetStore} (it passes the same contract suite as the file and PostgreSQL ones), for tests
 * and single-process tools. Nothing survives the process.
 * @returns a {@link FleetStore} whose calls never fail
 * @example
 * ```ts
 * const fleets = createMemoryFleetStore();
 * await fleets.setPaused('coalition', true, { by: 'ops', at: Date.now() });
 * ```
 */
export function createMemoryFleetStore(): FleetStore {
  const runs = new Map<string, { run: FleetRun; seq: number }>();
  const pauses = new Map<string, FleetPause>();
  let seq = 0;
  const update = (id: string, f: (r: FleetRun) => FleetRun) => {
    const found = runs.get(id);
    if (found === undefined) return okAsync(false);
    runs.set(id, { run: f(found.run), seq: found.seq });
    return okAsync(true);
  };
  const ofFleet = (fleet: string) => [...runs.values()].filter((x) => x.run.fleet === fleet).sort(newestFirst);
  return {
    createRun: (input) => {
      const run = newRunDocument(input);
      runs.set(run.id, { run, seq: seq++ });
      return okAsync(run);
    },
    getRun: (id) => okAsync(runs.get(id)?.run),
    latestRun: (fleet) => okAsync(ofFleet(fleet)[0]?.run),
    listRuns: (fleet, options) =>
      okAsync(
        ofFleet(fleet)
          .slice(0, options?.limit ?? 20)
          .map((x) => x.run),
      ),
    setRunState: (id, state, options) => update(id, (r) => withRunState(r, state, options)),
    setInstance: (id, instance, u) => update(id, (r) => withInstance(r, instance, u)),
    setGate: (id, gate, u) => update(id, (r) => withGate(r, gate, u)),
    approve: (id, gate, a) => update(id, (r) => withApproval(r, gate, a)),
    setPaused: (fleet, paused, o) => {
      const p: FleetPause = { fleet, paused, by: o.by, at: o.at };
      pauses.set(fleet, p);
      return okAsync(p);
    },
    getPause: (fleet) => okAsync(pauses.get(fleet) ?? { fleet, paused: false }),
  };
}
