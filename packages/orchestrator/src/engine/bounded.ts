import { CancelledError, DiveError, TimeoutError, UnexpectedError, type Clock } from '@dive/errors';
import { err, ResultAsync, type Result } from 'neverthrow';

/** Where a bounded call goes: for messages and error context. */
export interface CallSite {
  /** `runtime docker`, `state store`, `lock manager`, … */
  readonly target: string;
  /** The method called: `start`, `transition`, … */
  readonly call: string;
  /** What it was about (a service, an instance), when there is one. */
  readonly subject?: string;
}

/** How a call is bounded. */
export interface Bound {
  readonly clock: Clock;
  /** The deadline of the call, in ms (> 0). */
  readonly ms: number;
  /** Aborting it ends the call at once with `CancelledError`. */
  readonly signal?: AbortSignal;
  /** Told of a value that arrived after the call had already ended (a handle to stop, say). */
  readonly onLate?: (value: unknown) => void;
}

const isResult = (value: unknown): value is Result<unknown, DiveError> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { isOk?: unknown }).isOk === 'function' &&
  typeof (value as { isErr?: unknown }).isErr === 'function';

const where = (site: CallSite): string =>
  `${site.target}: ${site.call}${site.subject === undefined ? '' : `(${site.subject})`}`;

const contextOf = (site: CallSite, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  target: site.target,
  call: site.call,
  ...(site.subject === undefined ? {} : { subject: site.subject }),
  ...extra,
});

/** A call that broke the port's contract (threw, rejected, returned something that is not a Result). */
export function contractBroken(site: CallSite, how: string, cause?: unknown): UnexpectedError {
  return new UnexpectedError(
    `${where(site)} ${how}; a port's methods must return a ResultAsync that never throws or rejects`,
    {
      ...(cause === undefined ? {} : { cause }),
      context: contextOf(site, { contract: how }),
      remediation: `Fix ${site.target} so that ${site.call} returns an Err instead of throwing or rejecting.`,
    },
  );
}

const timedOut = (site: CallSite, ms: number): TimeoutError =>
  new TimeoutError(`${where(site)} did not answer within ${ms} ms`, {
    context: contextOf(site, { timeoutMs: ms }),
    remediation: `Check why ${site.target} does not answer; the call was abandoned after ${ms} ms.`,
  });

/** Why a call was abandoned: the signal's reason when it is a DiveError (a deadline, a lost lock), else a cancel. */
const cancelled = (site: CallSite, reason: unknown): DiveError =>
  DiveError.is(reason)
    ? reason
    : new CancelledError(`${where(site)} abandoned: the operation was cancelled`, {
        ...(reason === undefined ? {} : { cause: reason }),
        context: contextOf(site),
      });

/**
 * Call `fn` and race it against a deadline and a signal: the answer is always a Result, within `bound.ms`. A
 * synchronous throw, a rejection or a non-Result answer become `UnexpectedError` naming the call; a late answer
 * becomes `TimeoutError` (and, when Ok, is handed to `onLate`); an abort `CancelledError`. Never rejects.
 */
export function bounded<T>(
  site: CallSite,
  bound: Bound,
  fn: () => PromiseLike<Result<T, DiveError>>,
): ResultAsync<T, DiveError> {
  const { clock, ms, signal } = bound;
  if (signal?.aborted === true) return new ResultAsync(Promise.resolve(err(cancelled(site, signal.reason))));
  return new ResultAsync(
    new Promise<Result<T, DiveError>>((resolve) => {
      let done = false;
      const finish = (r: Result<T, DiveError>): void => {
        if (done) return;
        done = true;
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const onAbort = (): void => {
        finish(err(cancelled(site, signal?.reason)));
      };
      const timer = clock.setTimeout(() => {
        finish(err(timedOut(site, ms)));
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      const answered = (value: unknown): void => {
        if (!isResult(value)) {
          finish(err(contractBroken(site, 'answered with something that is not a Result')));
          return;
        }
        if (done) {
          if (value.isOk()) bound.onLate?.(value.value);
          return;
        }
        finish(value as Result<T, DiveError>);
      };
      try {
        const out = fn() as unknown;
        if (typeof (out as PromiseLike<unknown> | null)?.then !== 'function') {
          finish(err(contractBroken(site, 'returned something that is not a ResultAsync')));
          return;
        }
        (out as PromiseLike<unknown>).then(answered, (e: unknown) => {
          finish(err(contractBroken(site, 'rejected', e)));
        });
      } catch (e) {
        finish(err(contractBroken(site, 'threw', e)));
      }
    }),
  );
}
