import { redact, redactString } from './redact.js';
import type { Severity } from './severity.js';
import { categoryOfCode, type ErrorCategory } from './taxonomy.js';

const BRAND = Symbol.for('@dive/errors.DiveError');

/** What every DiveError constructor takes besides its message. */
export interface DiveErrorOptions {
  /** Structured facts about where it happened (instance, service, file, field…). Secrets are redacted in `toJSON`. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The underlying error or value. */
  readonly cause?: unknown;
  /** Overrides the taxonomy's default severity. */
  readonly severity?: Severity;
  /** Overrides the taxonomy's remediation hint. */
  readonly remediation?: string;
}

/** The JSON form of a DiveError, safe to log and to store. */
export interface DiveErrorJSON {
  readonly _tag: string;
  readonly code: number;
  readonly category: ErrorCategory;
  readonly severity: Severity;
  readonly message: string;
  readonly remediation: string;
  readonly context: Record<string, unknown>;
  readonly cause?: unknown;
}

/**
 * The base of every error the SDK returns. Callers switch on `_tag` (or `code`), never on `instanceof`,
 * because two installed copies of a package have two classes; {@link DiveError.is} works across copies.
 *
 * Subclasses are made with {@link defineError}, which fills `_tag`, `code`, severity and remediation from the
 * taxonomy.
 */
export abstract class DiveError extends Error {
  /** The discriminant: the error's class name, e.g. `'LockTimeoutError'`. */
  declare readonly _tag: string;
  /** The stable numeric code from the taxonomy, e.g. `5001`. */
  declare readonly code: number;
  /** How bad it is; decides whether a deployment goes on. */
  readonly severity: Severity;
  /** What a person can do about it. */
  readonly remediation: string;
  /** Structured facts about where it happened. */
  readonly context: Readonly<Record<string, unknown>>;

  protected constructor(message: string, severity: Severity, remediation: string, options: DiveErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.severity = options.severity ?? severity;
    this.remediation = options.remediation ?? remediation;
    this.context = Object.freeze({ ...(options.context ?? {}) });
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  override get name(): string {
    return this._tag;
  }

  /** The category of this error's code (`'lock'` for 5xxx, …). */
  get category(): ErrorCategory {
    return categoryOfCode(this.code);
  }

  /**
   * Whether `value` is a DiveError — from this copy of the package or any other installed copy.
   * @param value - anything caught or received
   */
  static is(value: unknown): value is DiveError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** A form safe to log: secret-looking context keys and URL passwords redacted; causes included, redacted too. */
  toJSON(): DiveErrorJSON {
    const cause = serializeCause(this.cause, 0);
    return {
      _tag: this._tag,
      code: this.code,
      category: this.category,
      severity: this.severity,
      message: redactString(this.message),
      remediation: this.remediation,
      context: redact(this.context) as Record<string, unknown>,
      ...(cause === undefined ? {} : { cause }),
    };
  }
}

function serializeCause(cause: unknown, depth: number): unknown {
  if (cause === undefined) return undefined;
  if (DiveError.is(cause)) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const inner = depth < 4 ? serializeCause(cause.cause, depth + 1) : undefined;
    return {
      name: cause.name,
      message: redactString(cause.message),
      ...(code === undefined ? {} : { code }),
      ...(inner === undefined ? {} : { cause: inner }),
    };
  }
  return redact(cause);
}
