/**
 * The inherited variables a process service gets by default: what programs need to find executables, locate the
 * home directory and speak the user's language. A name ending in `*` is a prefix (`LC_*`).
 */
export const DEFAULT_ENV_ALLOWLIST: readonly string[] = Object.freeze([
  'PATH',
  'HOME',
  'LANG',
  'LC_*',
  'TZ',
  'TMPDIR',
  'USER',
  'SHELL',
  'TERM',
]);

/**
 * DIVE's own variables, never inherited by a child, even with `inheritEnv: true`: everything `DIVE_*` (the
 * checkpoint and audit keys, the state URL), `DATABASE_URL` and `PGPASSWORD` (the state store's connection).
 */
export const DENIED_ENV: readonly string[] = Object.freeze(['DIVE_*', 'DATABASE_URL', 'PGPASSWORD']);

/** How a child's environment is built (the env part of `ProcessRuntimeOptions`). */
export interface ChildEnvOptions {
  /** Inherit every variable of this process except {@link DENIED_ENV} and `deniedEnv`. Default `false`. */
  readonly inheritEnv?: boolean;
  /** The variables inherited when `inheritEnv` is off; replaces {@link DEFAULT_ENV_ALLOWLIST}. `*` suffix: prefix. */
  readonly envAllowlist?: readonly string[];
  /** Further names never inherited (added to {@link DENIED_ENV}). `*` suffix: prefix. */
  readonly deniedEnv?: readonly string[];
}

type Matcher = (name: string) => boolean;

function matcher(patterns: readonly string[], option: string): Matcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (typeof p !== 'string' || p === '' || p === '*' || p.slice(0, -1).includes('*'))
      throw new TypeError(`processRuntime: ${option} entries are names or NAME_* prefixes, got ${JSON.stringify(p)}`);
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}

/**
 * Build the function that gives a child its environment: the inherited part (allowlisted, or everything with
 * `inheritEnv`, never DIVE's own variables) overlaid with the service's own resolved environment, which is passed
 * as declared (a service that declares `DATABASE_URL` gets it).
 * @param options - `inheritEnv`, `envAllowlist`, `deniedEnv`
 * @returns `(parent, own) => env`
 * @throws TypeError for an empty name, a bare `*` or a `*` that is not the last character
 */
export function childEnvBuilder(
  options: ChildEnvOptions = {},
): (parent: NodeJS.ProcessEnv, own: Readonly<Record<string, string>>) => Record<string, string> {
  const allowed = matcher(options.envAllowlist ?? DEFAULT_ENV_ALLOWLIST, 'envAllowlist');
  const denied = matcher([...DENIED_ENV, ...(options.deniedEnv ?? [])], 'deniedEnv');
  const inherit = options.inheritEnv === true;
  return (parent, own) => {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(parent)) {
      if (value === undefined || denied(name)) continue;
      if (inherit || allowed(name)) env[name] = value;
    }
    return { ...env, ...own };
  };
}
