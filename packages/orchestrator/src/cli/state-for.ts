import { isAbsolute, resolve } from 'node:path';
import type { DiveError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { fileState } from '../file-state.js';
import type { StateBackend } from '../state.js';
import type { CliIO, GlobalFlags } from './io.js';
import { parseStateUrl } from './state-url.js';

/** The state backend named by `--state` / `DIVE_STATE_URL` (default `file:.dive`, relative to the cwd). */
export async function stateFor(io: CliIO, flags: GlobalFlags): Promise<Result<StateBackend, DiveError>> {
  const location = parseStateUrl(flags.state ?? io.env['DIVE_STATE_URL']);
  if (location.isErr()) return err(location.error);
  const l = location.value;
  if (l.kind === 'file') return ok(fileState(isAbsolute(l.dir) ? l.dir : resolve(io.cwd, l.dir)));
  // pg is loaded only for PostgreSQL state.
  const { postgresState } = await import('../postgres-state.js');
  return ok(postgresState(l.url, { applicationName: 'dive-cli' }));
}
