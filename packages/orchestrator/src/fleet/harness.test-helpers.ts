import { createFakeClock, driveUntilSettled, type FakeClock } from '@dive/errors/testing';
import type { StateBackend } from '../state.js';
import { runtimes } from './fleet.test-helpers.js';
import { memoryState } from './memory-state.js';
import { orchestrateFleet } from './orchestrate-fleet.js';
import type { OrchestrateFleetOptions } from './options.js';
import type { FleetEvent } from './report.js';
import type { Fleet } from './types.js';

/** A fleet under test: fake clock, memory state, memory runtimes, every event kept. */
export interface Harness {
  readonly clock: FakeClock;
  readonly state: StateBackend;
  readonly events: FleetEvent[];
  readonly rt: ReturnType<typeof runtimes>;
  run(fleet: Fleet, more?: OrchestrateFleetOptions): ReturnType<typeof orchestrateFleet>;
}

export function harness(unreachable: readonly string[] = []): Harness {
  const clock = createFakeClock();
  const state = memoryState({ clock });
  const events: FleetEvent[] = [];
  const rt = runtimes(unreachable);
  return {
    clock,
    state,
    events,
    rt,
    run: (fleet, more = {}) =>
      driveUntilSettled(
        clock,
        orchestrateFleet(fleet, {
          state,
          clock,
          runtimeFor: rt.runtimeFor,
          onEvent: (e) => {
            events.push(e);
            more.onEvent?.(e);
          },
          lockTimeoutMs: 1_000,
          ...Object.fromEntries(Object.entries(more).filter(([k]) => k !== 'onEvent')),
        }),
      ),
  };
}
