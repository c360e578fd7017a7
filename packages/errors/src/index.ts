export { DiveError, type DiveErrorJSON, type DiveErrorOptions } from './dive-error.js';
export { defineError, type DiveErrorClass, type TaggedDiveError } from './define-error.js';
export {
  CancelledError,
  ConfigInvalidError,
  ConfigMissingError,
  ConnectionResetError,
  DnsFailureError,
  NetworkUnreachableError,
  SecretUnavailableError,
  TimeoutError,
  UnexpectedError,
  UsageError,
  type ForeignError,
} from './errors.js';
export { fromPromise, toDiveError, tryAsync, trySync } from './from-unknown.js';
export {
  createErrorLedger,
  type ErrorLedger,
  type ErrorLedgerOptions,
  type LedgerAction,
  type LedgerDecision,
  type LedgerEntry,
  type LedgerSummaryJSON,
} from './ledger.js';
export { isSecretKey, redact, redactString, REDACTED } from './redact.js';
export { createValueRedactor, type ValueRedactor, type ValueRedactorOptions } from './redact-values.js';
export { escalateSeverity, isSeverity, SEVERITIES, severityRank, type Severity } from './severity.js';
export {
  categoryOfCode,
  lookupCode,
  lookupTag,
  TAXONOMY,
  type ErrorCategory,
  type ErrorCode,
  type ErrorTag,
  type TaxonomyEntry,
} from './taxonomy.js';
export { systemClock, type Clock } from './clock.js';
