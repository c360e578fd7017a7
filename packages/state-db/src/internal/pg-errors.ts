import { StateStoreUnavailableError } from '../errors.js';

const UNAVAILABLE_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
const UNAVAILABLE_SQLSTATE = new Set(['57P01', '57P02', '57P03', '53300', '53400']);

/** Whether a pg error means "the database is not reachable right now" rather than "this query is wrong". */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (
    typeof code === 'string' &&
    (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.has(code) || code.startsWith('08'))
  ) {
    return true;
  }
  const message = e instanceof Error ? e.message : String(e);
  return /timeout|Connection terminated|connection error|Client was closed|not queryable|ended/i.test(message);
}

/**
 * Wrap any pg failure as StateStoreUnavailableError, naming the operation and schema; a statement ended by
 * `statement_timeout` (SQLSTATE 57014) or the client's `query_timeout` says it timed out (`context.pgCode`).
 */
export function unavailable(operation: string, schema: string) {
  return (e: unknown): StateStoreUnavailableError => {
    const why = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: unknown } | null)?.code;
    const prefix =
      code === '57014' || /Query read timeout/i.test(why)
        ? 'PostgreSQL statement timed out'
        : isConnectionError(e)
          ? 'PostgreSQL unreachable'
          : 'PostgreSQL query failed';
    return new StateStoreUnavailableError(`${prefix} during ${operation} (schema ${schema}): ${why}`, {
      context: { operation, schema, ...(typeof code === 'string' ? { pgCode: code } : {}) },
      cause: e,
    });
  };
}
