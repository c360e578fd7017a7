import type { OrchestrateOptions } from './options.js';

/** Nonsense options are programmer errors: they throw at the call, like every factory in the SDK. */
export function validateOptions(options: OrchestrateOptions): void {
  const { lockTimeoutMs, concurrency, maxRisk, rollback, schedule } = options;
  for (const key of ['callTimeoutMs', 'rollbackTimeoutMs'] as const) {
    const ms = options[key];
    if (ms !== undefined && !(Number.isFinite(ms) && ms > 0)) {
      throw new RangeError(`${key} must be a finite number > 0, got ${String(ms)}`);
    }
  }
  const keep = options.keepCheckpoints;
  if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1)) {
    throw new RangeError(`keepCheckpoints must be an integer ≥ 1, got ${String(keep)}`);
  }
  if (lockTimeoutMs !== undefined && !(Number.isFinite(lockTimeoutMs) && lockTimeoutMs >= 0)) {
    throw new RangeError(`lockTimeoutMs must be a finite number ≥ 0, got ${String(lockTimeoutMs)}`);
  }
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError(`concurrency must be an integer ≥ 1, got ${String(concurrency)}`);
  }
  if (maxRisk !== undefined && !(maxRisk >= 0 && maxRisk <= 1)) {
    throw new RangeError(`maxRisk must be between 0 and 1, got ${String(maxRisk)}`);
  }
  if (rollback !== undefined && rollback !== 'auto' && rollback !== 'never') {
    throw new TypeError(`rollback must be 'auto' or 'never', got ${String(rollback)}`);
  }
  if (schedule !== undefined && schedule !== 'ready' && schedule !== 'levels') {
    throw new TypeError(`schedule must be 'ready' or 'levels', got ${String(schedule)}`);
  }
}
