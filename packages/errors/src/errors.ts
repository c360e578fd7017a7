import { defineError } from './define-error.js';

/** 1001: a required configuration file or value is missing. */
export class ConfigMissingError extends defineError('ConfigMissingError') {}
/** 1002: configuration is present but invalid. */
export class ConfigInvalidError extends defineError('ConfigInvalidError') {}
/** 1003: a secret the topology needs is not available. */
export class SecretUnavailableError extends defineError('SecretUnavailableError') {}
/** 1007: invalid arguments to a command or function. */
export class UsageError extends defineError('UsageError') {}
/** 2001: an operation did not finish in time. */
export class TimeoutError extends defineError('TimeoutError') {}
/** 2002: an endpoint refused the connection or could not be reached. */
export class NetworkUnreachableError extends defineError('NetworkUnreachableError') {}
/** 2003: a host name could not be resolved. */
export class DnsFailureError extends defineError('DnsFailureError') {}
/** 2004: the peer closed the connection. */
export class ConnectionResetError extends defineError('ConnectionResetError') {}
/** 8001: something was thrown that no one expected; the original is the `cause`. */
export class UnexpectedError extends defineError('UnexpectedError') {}
/** 8002: the operation was cancelled through its AbortSignal. */
export class CancelledError extends defineError('CancelledError') {}

/** The errors {@link toDiveError} can produce from a foreign value. */
export type ForeignError =
  TimeoutError | NetworkUnreachableError | DnsFailureError | ConnectionResetError | CancelledError | UnexpectedError;
