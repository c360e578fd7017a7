import type { DiveError } from '@dive/errors';
import type { Result } from 'neverthrow';

/** One case: run it with your test framework (`for (const c of cases) it(c.name, c.run)`). */
export interface ContractCase {
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** A contract case failed: the store broke a promise of the interface. */
export class ContractViolation extends Error {
  override readonly name = 'StateStoreContractViolation';
}

/** Throw a {@link ContractViolation} with `message` unless `condition`. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ContractViolation(message);
}

/** The Ok value, or a {@link ContractViolation} naming `what` and the error. */
export function unwrap<T>(result: Result<T, DiveError>, what: string): T {
  if (result.isErr()) throw new ContractViolation(`${what} failed: ${result.error._tag} ${result.error.message}`);
  return result.value;
}

/** Check `result` is an Err with the `_tag` `tag`. */
export function failsWith(result: Result<unknown, DiveError>, tag: string, what: string): void {
  check(result.isErr(), `${what}: expected ${tag}, got Ok`);
  if (result.isErr())
    check(result.error._tag === tag, `${what}: expected ${tag}, got ${result.error._tag}: ${result.error.message}`);
}
