import { createValueRedactor, type ValueRedactor } from '@dive/errors';
import type { Logger } from '../logger.js';
import type { NamedSecret } from './checkpoint-secrets.js';
import { findSecrets } from '../topology/secrets.js';
import type { Topology } from '../topology/types.js';

/**
 * Persisted error context is capped: an error's `context` whose JSON is longer than this many characters is
 * replaced by `{ truncated: true, chars }`, and a message longer than {@link PERSISTED_MESSAGE_MAX_CHARS} is cut.
 */
export const PERSISTED_CONTEXT_MAX_CHARS = 4096;
/** Persisted error messages are cut to this many characters (with `…`). */
export const PERSISTED_MESSAGE_MAX_CHARS = 1024;

/** How one operation keeps its secrets in: by value on everything that leaves, and log tails out of the store. */
export interface Redaction {
  /** The value redactor (its `size` is the number of secrets it knows). */
  readonly values: ValueRedactor;
  /** A copy of a JSON value (event, report) with every secret value replaced; nothing else changed. */
  json<T>(value: T): T;
  /**
   * A copy of a value bound for the store (transition metadata, step detail): `logs` (log tails) removed wherever
   * they are, error contexts and messages capped, secrets replaced by value.
   */
  persisted<T>(value: T): T;
}

/**
 * The secrets of an operation with their names: every `{ secret: NAME }` reference in the topology, and every
 * variable named in `variables` (the CLI passes those `${VAR}` interpolation put into the topology), read from
 * `env`; unset and empty ones are left out.
 */
export function namedSecretsOf(
  topology: Topology | undefined,
  env: NodeJS.ProcessEnv,
  variables: readonly string[] = [],
): NamedSecret[] {
  const names = new Set([...(topology === undefined ? [] : findSecrets(topology).map((u) => u.name)), ...variables]);
  return [...names]
    .map((name) => ({ name, value: env[name] }))
    .filter((s): s is NamedSecret => typeof s.value === 'string' && s.value !== '');
}

/** The secret values of an operation (see {@link namedSecretsOf}). */
export function secretValuesOf(
  topology: Topology | undefined,
  env: NodeJS.ProcessEnv,
  variables: readonly string[] = [],
): string[] {
  return namedSecretsOf(topology, env, variables).map((s) => s.value);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const cap = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Remove log tails, and cap the context and message of anything shaped like an error (`_tag` + `message`). */
function forStore(value: unknown, depth = 0): unknown {
  if (depth > 32) return '[Truncated]';
  if (Array.isArray(value)) return value.map((v) => forStore(v, depth + 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'logs') continue;
    out[k] = forStore(v, depth + 1);
  }
  const { _tag: tag, message, context } = out;
  if (typeof tag === 'string' && typeof message === 'string') {
    out['message'] = cap(message, PERSISTED_MESSAGE_MAX_CHARS);
    const chars = context === undefined ? 0 : JSON.stringify(context).length;
    if (chars > PERSISTED_CONTEXT_MAX_CHARS) out['context'] = { truncated: true, chars };
  }
  return out;
}

/**
 * The redaction of one operation.
 * @param secrets - the resolved secret values (see {@link secretValuesOf})
 * @returns a {@link Redaction}
 */
export function createRedaction(secrets: Iterable<string>): Redaction {
  const values = createValueRedactor(secrets);
  const json = <T>(value: T): T => {
    if (values.size === 0 || value === undefined) return value;
    return JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
      typeof v === 'string' ? values.redactString(v) : v,
    ) as T;
  };
  return { values, json, persisted: <T>(value: T): T => json(forStore(value) as T) };
}

/** A logger that redacts every object (by key and by value) and message before `inner` sees it. */
export function redactingLogger(inner: Logger, values: ValueRedactor): Logger {
  if (values.size === 0) return inner;
  const wrap =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') =>
    (obj: object, msg?: string): void => {
      const safe = values.redact(obj) as object;
      if (msg === undefined) inner[level](safe);
      else inner[level](safe, values.redactString(msg));
    };
  return {
    trace: wrap('trace'),
    debug: wrap('debug'),
    info: wrap('info'),
    warn: wrap('warn'),
    error: wrap('error'),
    child: (bindings) => redactingLogger(inner.child(values.redact(bindings) as Record<string, unknown>), values),
  };
}
