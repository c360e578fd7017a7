import type { RawProblem } from '../problems.js';

/** A map read from the Compose document. @internal */
export type Obj = Readonly<Record<string, unknown>>;
/** A path into the Compose document (`['services', 'web', 'ports', 0]`). @internal */
export type Path = readonly (string | number)[];

/** @internal */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** @internal */
export const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** A scalar as text (what Compose reads); anything else as JSON (it fails a check later). @internal */
export const text = (v: unknown): string => (isScalar(v) ? String(v) : (JSON.stringify(v) ?? ''));

/** Reads a file next to the Compose file (env_file, extends, include, label_file); `undefined` when unreadable. */
export type ReadText = (absolutePath: string) => string | undefined;

/** What every part of the Compose import shares. @internal */
export interface ComposeContext {
  /** The variables of the project: the process environment over `.env` (or `--env-file`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The directory of the Compose file: relative paths are resolved against it. */
  readonly dir: string;
  readonly readText: ReadText;
  readonly warnings: RawProblem[];
  readonly problems: RawProblem[];
  /** Services waited on with `service_completed_successfully`: they become jobs. */
  readonly jobs: Set<string>;
  /** Variable names whose values came from an `env_file` (treated as secrets unless listed in `x-dive.plain`). */
  readonly secretNames: Set<string>;
  /**
   * Per service and env_file, the variables whose values it gave the service and that are secrets (not plain, not
   * overridden by a later file or by `environment`). Names are taken out as they are overridden.
   */
  readonly envFiles: { readonly service: string; readonly file: string; readonly raw: boolean; names: string[] }[];
  /** Variable names `x-dive.plain` declares not secret. */
  readonly plain: ReadonlySet<string>;
}

/**
 * Push a refusal (an error that stops the load). Returns nothing, typed as the caller's value (`T | undefined`) so
 * that `return parsed ?? refuse(…)` reads as one expression.
 * @internal
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- T is the caller's type, by design
export function refuse<T>(c: ComposeContext, path: Path, message: string): T | undefined {
  c.problems.push({ path, message });
  return undefined;
}

/** Push a warning (the load goes on). @internal */
export function warn(c: ComposeContext, path: Path, message: string): void {
  c.warnings.push({ path, message });
}
