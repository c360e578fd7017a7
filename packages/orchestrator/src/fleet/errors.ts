import { defineError } from '@dive/errors';
import type { BoundErrorTag, DiveErrorOf, LockErrorTag, StateErrorTag } from '../errors.js';

/** 4005: a fleet gate did not pass (a check failed, or an approval was not given). */
export class GateFailedError extends defineError('GateFailedError') {}

/**
 * Errors of `orchestrateFleet()`: the fleet could not begin or its record could not be kept — an invalid fleet
 * (`ConfigInvalidError`), the fleet lock (`LockTimeoutError`: another process orchestrates it, …), the store
 * (`StateStoreUnavailableError`, …), and the bounds (`TimeoutError`, `CancelledError`, `UnexpectedError`). Failed
 * instances and gates are in the Ok report.
 */
export type FleetError = DiveErrorOf<'ConfigInvalidError' | LockErrorTag | StateErrorTag | BoundErrorTag>;
