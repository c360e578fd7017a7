import type { RawProblem } from './problems.js';

/** A `{ secret: NAME }` reference found in a raw value, with where it is. @internal */
export interface SecretUse {
  readonly name: string;
  readonly path: readonly (string | number)[];
}

const isSecretRef = (v: unknown): v is { secret: string } =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).length === 1 &&
  typeof (v as { secret?: unknown }).secret === 'string';

/**
 * Every `{ secret: NAME }` in a value (wherever it sits: `env`, `environment`, http check `headers`).
 * @internal
 */
export function findSecrets(value: unknown, path: (string | number)[] = []): SecretUse[] {
  if (isSecretRef(value)) return [{ name: value.secret, path }];
  if (Array.isArray(value)) return value.flatMap((v: unknown, i) => findSecrets(v, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => findSecrets(v, [...path, k]));
  }
  return [];
}

/**
 * The secret uses whose variable is not set in `env`, as problems naming the variable (never a value).
 * @internal
 */
export function missingSecrets(
  uses: readonly SecretUse[],
  env: Readonly<Record<string, string | undefined>>,
): RawProblem[] {
  return uses
    .filter((use) => env[use.name] === undefined)
    .map((use) => ({ path: use.path, message: `secret environment variable ${use.name} is not set` }));
}
