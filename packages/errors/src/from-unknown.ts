import { ResultAsync, err, ok, type Result } from 'neverthrow';
import { DiveError } from './dive-error.js';
import {
  CancelledError,
  ConnectionResetError,
  DnsFailureError,
  NetworkUnreachableError,
  TimeoutError,
  UnexpectedError,
  type ForeignError,
} from './errors.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const TIMEOUT = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);

function errnoCode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // fetch() wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
  const cause = (value as { cause?: unknown }).cause;
  return cause === value ? undefined : errnoCode(cause);
}

function describe(value: unknown): string {
  if (value instanceof Error) {
    // fetch() says only 'fetch failed'; the socket error underneath says what and where.
    return value.cause instanceof Error && value.cause.message !== '' && value.cause.message !== value.message
      ? `${value.message}: ${value.cause.message}`
      : value.message;
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Turn anything thrown or rejected into a DiveError. A DiveError passes through unchanged; Node's socket errors
 * get their network code (`ECONNREFUSED` → 2002 NetworkUnreachableError, `ETIMEDOUT` → 2001 TimeoutError,
 * `ENOTFOUND` → 2003 DnsFailureError, `ECONNRESET` → 2004 ConnectionResetError); an `AbortError` becomes 8002
 * CancelledError; anything else 8001 UnexpectedError. The original is always the `cause`.
 *
 * @param value - the thrown value
 * @param context - facts to attach (what was being done, to what)
 * @returns a DiveError; never throws
 */
export function toDiveError(value: unknown, context: Readonly<Record<string, unknown>> = {}): DiveError | ForeignError {
  if (DiveError.is(value)) return value;
  const code = errnoCode(value);
  const message = describe(value);
  const options = { cause: value, context: code === undefined ? context : { ...context, errno: code } };
  if (code !== undefined) {
    if (UNREACHABLE.has(code)) return new NetworkUnreachableError(message, options);
    if (TIMEOUT.has(code)) return new TimeoutError(message, options);
    if (DNS.has(code)) return new DnsFailureError(message, options);
    if (RESET.has(code)) return new ConnectionResetError(message, options);
  }
  if (value instanceof Error && (value.name === 'AbortError' || code === 'ABORT_ERR')) {
    return new CancelledError(message, options);
  }
  if (value instanceof Error && value.name === 'TimeoutError') return new TimeoutError(message, options);
  return new UnexpectedError(message, options);
}

/**
 * Wrap a foreign promise: its rejection becomes a DiveError through {@link toDiveError}.
 * @param promise - a promise from code that throws
 * @param context - facts to attach to the error
 * @returns a ResultAsync that never rejects
 */
export function fromPromise<T>(
  promise: PromiseLike<T>,
  context?: Readonly<Record<string, unknown>>,
): ResultAsync<T, DiveError> {
  return ResultAsync.fromPromise(promise, (e) => toDiveError(e, context));
}

/**
 * Run an async function that may throw, synchronously or not, as a ResultAsync.
 * @param fn - the function
 * @param context - facts to attach to the error
 */
export function tryAsync<T>(
  fn: () => PromiseLike<T>,
  context?: Readonly<Record<string, unknown>>,
): ResultAsync<T, DiveError> {
  try {
    return fromPromise(fn(), context);
  } catch (e) {
    return new ResultAsync(Promise.resolve(err(toDiveError(e, context))));
  }
}

/**
 * Run a synchronous function that may throw as a Result.
 * @param fn - the function
 * @param context - facts to attach to the error
 */
export function trySync<T>(fn: () => T, context?: Readonly<Record<string, unknown>>): Result<T, DiveError> {
  try {
    return ok(fn());
  } catch (e) {
    return err(toDiveError(e, context));
  }
}
