import { jsonLogger, silentLogger, type Logger } from '../logger.js';
import type { CliIO, GlobalFlags } from './io.js';

/** The logger: JSON lines on stderr with `--verbose`, silent otherwise (progress covers people). */
export function loggerFor(io: CliIO, flags: GlobalFlags, secrets: readonly string[] = []): Logger {
  return flags.verbose === true
    ? jsonLogger({ stream: io.stderr, level: 'debug', bindings: { module: 'dive' }, secretKeys: new Set(secrets) })
    : silentLogger;
}
