import { describe, expect, it } from 'vitest';
import { parseStateUrl } from './state-url.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { CancelledError, ConfigInvalidError, TimeoutError, defineError } from '@dive/errors';

describe('parseStateUrl', () => {
  it('defaults to file:.dive and accepts file:, bare paths and postgres URLs', () => {
    expect(parseStateUrl(undefined)._unsafeUnwrap()).toEqual({ kind: 'file', dir: '.dive' });
    expect(parseStateUrl('file:/var/lib/dive')._unsafeUnwrap()).toEqual({ kind: 'file', dir: '/var/lib/dive' });
    expect(parseStateUrl('file:///var/lib/dive')._unsafeUnwrap()).toEqual({ kind: 'file', dir: '/var/lib/dive' });
    expect(parseStateUrl('./state')._unsafeUnwrap()).toEqual({ kind: 'file', dir: './state' });
    expect(parseStateUrl('postgres://u:p@127.0.0.1/db')._unsafeUnwrap()).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@127.0.0.1/db',
    });
  });

  it('refuses other schemes and empty file paths with a UsageError that hides passwords', () => {
    expect(parseStateUrl('mysql://x')._unsafeUnwrapErr()._tag).toBe('UsageError');
    expect(parseStateUrl('file:')._unsafeUnwrapErr()._tag).toBe('UsageError');
    const bad = parseStateUrl('postgres://u:secret@[bad');
    expect(bad._unsafeUnwrapErr().message).not.toContain('secret');
  });
});

describe('exitCodeFor', () => {
  class LockTimeoutError extends defineError('LockTimeoutError') {}
  class StateStoreUnavailableError extends defineError('StateStoreUnavailableError') {}
  it('maps the taxonomy to SPEC §4 exit codes', () => {
    expect(exitCodeFor(new ConfigInvalidError('x'))).toBe(EXIT.usage);
    expect(exitCodeFor(new LockTimeoutError('x'))).toBe(EXIT.locked);
    expect(exitCodeFor(new StateStoreUnavailableError('x'))).toBe(EXIT.unreachable);
    expect(exitCodeFor(new CancelledError('x'))).toBe(EXIT.interrupted);
    expect(exitCodeFor(new TimeoutError('x'))).toBe(EXIT.failed);
  });
});
