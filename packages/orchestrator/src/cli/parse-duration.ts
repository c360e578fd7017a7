import { UsageError, type DiveError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';

/** `--lock-timeout` in ms (accepts `30s`, `500ms`, `2m`, or a plain number of ms). */
export function parseDuration(value: string | undefined, flag: string): Result<number | undefined, DiveError> {
  if (value === undefined) return ok(undefined);
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (m === null)
    return err(
      new UsageError(`${flag} must be a duration like 30s, 500ms or 2m, got '${value}'`, { context: { flag } }),
    );
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return ok(Math.round(unit === 'ms' ? n : unit === 's' ? n * 1000 : n * 60_000));
}
