import { DiveError, toDiveError, type ValueRedactor } from '@dive/errors';
import { exitCodeFor, type ExitCode } from './exit-codes.js';

/** Where the CLI writes: data to stdout, messages to stderr (injectable for tests and embedding). */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Global flags every command has. */
export interface GlobalFlags {
  readonly state?: string;
  readonly json?: boolean;
  readonly progress?: 'auto' | 'tty' | 'plain' | 'json' | 'quiet';
  readonly color?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly lockTimeout?: string;
}

/** Whether to color messages: not with `--no-color`, `NO_COLOR`, or a non-terminal. */
export function useColor(flags: GlobalFlags, io: CliIO): boolean {
  if (flags.color === false) return false;
  if (io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '') return false;
  return io.stderr.isTTY === true;
}

/** Print data: JSON with `--json`, else the text. */
export function printData(io: CliIO, flags: GlobalFlags, json: unknown, text: () => string): void {
  if (flags.json === true) io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else io.stdout.write(`${text()}\n`);
}

/** Print a message to stderr (unless `--quiet`). */
export function say(io: CliIO, flags: GlobalFlags, line: string): void {
  if (flags.quiet !== true) io.stderr.write(`${line}\n`);
}

/**
 * Report an error the way every command does: one clear message and the remediation on stderr (with
 * `--json`, the error's JSON on stdout too); the cause chain and stack only with `--verbose`. With `values`,
 * everything printed is redacted by value first.
 * @returns the exit code for it
 */
export function reportError(io: CliIO, flags: GlobalFlags, error: unknown, values?: ValueRedactor): ExitCode {
  const e = DiveError.is(error) ? error : toDiveError(error);
  const color = useColor(flags, io);
  const red = (s: string): string => (color ? `\u001b[31m${s}\u001b[0m` : s);
  // Secrets by value (when the command knows them): every line printed, the JSON and the stack alike.
  const text = (s: string): string => values?.redactString(s) ?? s;
  const json = (): unknown => values?.redact(e.toJSON()) ?? e.toJSON();
  io.stderr.write(text(`${red('error')} ${e.code} ${e._tag}: ${e.message}\n`));
  if (e.remediation !== '') io.stderr.write(text(`  what to do: ${e.remediation}\n`));
  if (flags.verbose === true) {
    io.stderr.write(`${JSON.stringify(json(), null, 2)}\n`);
    if (e.stack !== undefined) io.stderr.write(text(`${e.stack}\n`));
  }
  if (flags.json === true) io.stdout.write(`${JSON.stringify({ ok: false, error: json() }, null, 2)}\n`);
  return exitCodeFor(e);
}
