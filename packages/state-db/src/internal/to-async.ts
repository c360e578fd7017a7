import { errAsync, okAsync, type Result, type ResultAsync } from 'neverthrow';

/** Lift a sync Result into a ResultAsync. */
export function toAsync<T, E>(r: Result<T, E>): ResultAsync<T, E> {
  return r.isOk() ? okAsync(r.value) : errAsync(r.error);
}
