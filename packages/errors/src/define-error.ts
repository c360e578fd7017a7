import { DiveError, type DiveErrorOptions } from './dive-error.js';
import { lookupTag, type ErrorTag } from './taxonomy.js';

/** A DiveError whose `_tag` is the literal `Tag`. */
export type TaggedDiveError<Tag extends string> = DiveError & { readonly _tag: Tag };

/** The class {@link defineError} returns: construct it with a message and options. */
export interface DiveErrorClass<Tag extends ErrorTag> {
  new (message: string, options?: DiveErrorOptions): TaggedDiveError<Tag>;
  /** The tag every instance carries. */
  readonly tag: Tag;
  /** The code every instance carries. */
  readonly code: number;
}

/**
 * Make the base class of one taxonomy error: `_tag`, `code`, default severity and remediation come from the
 * taxonomy, so codes stay unique and stable across every package.
 *
 * @param tag - a tag from {@link TAXONOMY}
 * @returns a class to extend (`class LockTimeoutError extends defineError('LockTimeoutError') {}`) or use as is
 * @example
 * ```ts
 * export class LockTimeoutError extends defineError('LockTimeoutError') {}
 * const e = new LockTimeoutError('deployment lock on USA not acquired in 5000 ms', { context: { resource: 'USA' } });
 * e._tag; // 'LockTimeoutError'
 * e.code; // 5001
 * ```
 */
export function defineError<const Tag extends ErrorTag>(tag: Tag): DiveErrorClass<Tag> {
  const found = lookupTag(tag);
  if (found === undefined) throw new TypeError(`defineError: '${tag}' is not in the @dive/errors taxonomy`);
  const entry = found;
  class Defined extends DiveError {
    static readonly tag = tag;
    static readonly code = entry.code;
    override readonly _tag: Tag = tag;
    override readonly code: number = entry.code;
    constructor(message: string, options?: DiveErrorOptions) {
      super(message, entry.severity, entry.remediation, options);
    }
  }
  return Defined;
}
