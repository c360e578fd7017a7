import { UsageError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';

/** Where state lives: a PostgreSQL URL or a directory. */
export type StateLocation =
  { readonly kind: 'postgres'; readonly url: string } | { readonly kind: 'file'; readonly dir: string };

/**
 * Parse `--state` / `DIVE_STATE_URL`: `postgres://…` or `postgresql://…`, `file:PATH`, or a bare path.
 * Default `file:.dive`.
 */
export function parseStateUrl(value: string | undefined): Result<StateLocation, UsageError> {
  const v = (value ?? '').trim();
  if (v === '') return ok({ kind: 'file', dir: '.dive' });
  if (/^postgres(ql)?:\/\//i.test(v)) {
    try {
      new URL(v);
    } catch {
      return err(
        new UsageError(`--state: not a valid PostgreSQL URL: ${v.replace(/:[^:@/]+@/, ':***@')}`, {
          context: { flag: '--state' },
        }),
      );
    }
    return ok({ kind: 'postgres', url: v });
  }
  if (v.startsWith('file:')) {
    const dir = v.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (dir === '')
      return err(new UsageError('--state: file: needs a directory, e.g. file:.dive', { context: { flag: '--state' } }));
    return ok({ kind: 'file', dir });
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    return err(
      new UsageError(`--state: unsupported scheme in ${v.split('://')[0] ?? v}://… (use postgres://… or file:PATH)`, {
        context: { flag: '--state' },
      }),
    );
  }
  return ok({ kind: 'file', dir: v });
}
