import { isObj, refuse, type ComposeContext, type Obj } from './context.js';

/** The active profiles: the given ones and `COMPOSE_PROFILES` (comma-separated), as Compose takes them. @internal */
export function activeProfiles(
  given: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Set<string> {
  const fromEnv = (env['COMPOSE_PROFILES'] ?? '').split(',').map((p) => p.trim());
  return new Set([...(given ?? []), ...fromEnv].filter((p) => p !== ''));
}

const profilesOf = (spec: unknown): string[] =>
  isObj(spec) && Array.isArray(spec['profiles']) ? spec['profiles'].map(String) : [];

/**
 * The services to deploy: those without `profiles`, and those with an active profile (`*` activates every one).
 * A deployed service that depends on a left-out one is refused, naming the profiles that would bring it in.
 * @returns the selected services (same objects), in file order
 * @internal
 */
export function selectByProfile(
  services: Obj,
  active: ReadonlySet<string>,
  c: ComposeContext,
): Record<string, unknown> {
  const enabled = (spec: unknown): boolean => {
    const profiles = profilesOf(spec);
    return profiles.length === 0 || active.has('*') || profiles.some((p) => active.has(p));
  };
  const selected = Object.fromEntries(Object.entries(services).filter(([, spec]) => enabled(spec)));
  for (const [name, spec] of Object.entries(selected)) {
    const deps = isObj(spec) ? spec['depends_on'] : undefined;
    const entries: [string, unknown][] = Array.isArray(deps)
      ? deps.map((d: unknown) => [String(d), undefined])
      : isObj(deps)
        ? Object.entries(deps)
        : [];
    for (const [dep, how] of entries) {
      const optional = isObj(how) && (how['required'] === false || how['required'] === 'false');
      if (Object.hasOwn(services, dep) && !Object.hasOwn(selected, dep) && !optional) {
        const profiles = profilesOf(services[dep]).join(', ');
        refuse(
          c,
          ['services', name, 'depends_on', ...(Array.isArray(deps) ? [deps.indexOf(dep)] : [dep])],
          `service '${name}' depends on '${dep}', which is only in profile(s) ${profiles}: pass --profile to deploy it`,
        );
      }
    }
  }
  return selected;
}
