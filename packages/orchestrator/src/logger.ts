import { redact } from '@dive/errors';

/** A pino-compatible logger: `logger.info(obj, msg)`, `child(bindings)`. pino itself satisfies it. */
export interface Logger {
  trace(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** The library default: says nothing. */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/**
 * A small JSON-lines logger (pino's shape: time, level, msg, bindings, fields) for the CLI, writing to a stream.
 * Pass pino instead when you have it.
 */
export function jsonLogger(
  options: {
    readonly stream?: NodeJS.WritableStream;
    readonly level?: LogLevel;
    readonly bindings?: Record<string, unknown>;
    /** Extra key names to redact (the topology's secret variables). */
    readonly secretKeys?: ReadonlySet<string>;
  } = {},
): Logger {
  const secretKeys = options.secretKeys ?? new Set<string>();
  const stream = options.stream ?? process.stderr;
  const min = LEVELS[options.level ?? 'info'];
  const bindings = options.bindings ?? {};
  const write = (level: LogLevel) => (obj: object, msg?: string) => {
    if (LEVELS[level] < min) return;
    const line = redact(
      { level: LEVELS[level], time: Date.now(), ...bindings, ...obj, ...(msg === undefined ? {} : { msg }) },
      secretKeys,
    );
    stream.write(`${JSON.stringify(line)}\n`);
  };
  return {
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => jsonLogger({ ...options, bindings: { ...bindings, ...more } }),
  };
}

/** pino's level names. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };
