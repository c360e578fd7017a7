import { isObj, refuse, type ComposeContext } from './context.js';

/** The names a mapped service depends on (list or map form). */
const dependenciesOf = (service: Readonly<Record<string, unknown>>): string[] => {
  const deps = service['dependsOn'];
  return Array.isArray(deps) ? deps.map(String) : isObj(deps) ? Object.keys(deps) : [];
};

/**
 * Refuse `depends_on` cycles as Compose does, each once, at the `depends_on` entry that closes it, naming the
 * whole cycle (`a → b → a`).
 * @internal
 */
export function checkDependencyCycles(
  services: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  c: ComposeContext,
): void {
  const done = new Set<string>();
  const reported = new Set<string>();
  const visit = (name: string, stack: string[]): void => {
    if (done.has(name)) return;
    const at = stack.indexOf(name);
    if (at >= 0) {
      const cycle = [...stack.slice(at), name];
      const key = [...cycle.slice(0, -1)].sort().join('\u0000');
      const from = stack.at(-1) ?? name;
      if (!reported.has(key))
        refuse(c, ['services', from, 'depends_on', name], `dependency cycle: ${cycle.join(' → ')}`);
      reported.add(key);
      return;
    }
    const service = services[name];
    if (service === undefined) return;
    for (const dep of dependenciesOf(service)) visit(dep, [...stack, name]);
    done.add(name);
  };
  for (const name of Object.keys(services)) visit(name, []);
}
