import { useColor, type CliIO, type GlobalFlags } from './io.js';
import { createProgressRenderer, type ProgressRenderer } from './progress.js';

/** The progress renderer on stderr that the global flags ask for (`--progress`, `--quiet`, `--no-color`). */
export function progressFor(io: CliIO, flags: GlobalFlags): ProgressRenderer {
  return createProgressRenderer({
    mode: flags.quiet === true ? 'quiet' : (flags.progress ?? 'auto'),
    stream: io.stderr,
    color: useColor(flags, io),
  });
}
