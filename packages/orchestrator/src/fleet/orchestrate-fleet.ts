import { UnexpectedError } from '@dive/errors';
import { err, type Result } from 'neverthrow';
import type { FleetError } from './errors.js';
import type { OrchestrateFleetOptions } from './options.js';
import type { FleetReport } from './report.js';
import type { Fleet } from './types.js';

/**
 * Deploy a fleet: its waves in order, the instances of a wave at once (at most `maxParallel`), each with
 * `orchestrate()` under its own instance lock on its own runtime, then the wave's gate.
 * @returns Ok the {@link FleetReport}; Err {@link FleetError}
 */
export function orchestrateFleet(
  fleet: Fleet,
  _options: OrchestrateFleetOptions = {},
): Promise<Result<FleetReport, FleetError>> {
  return Promise.resolve(
    err(
      new UnexpectedError(`orchestrateFleet(${fleet.name}) is not implemented yet`, { context: { fleet: fleet.name } }),
    ),
  );
}
