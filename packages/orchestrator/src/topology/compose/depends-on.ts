import { isObj, refuse } from './context.js';
import type { KeyHandler } from './handler.js';
import { bool } from './values.js';

const CONDITIONS: Readonly<Record<string, string>> = {
  service_started: 'started',
  service_healthy: 'healthy',
  service_completed_successfully: 'completed',
};

/**
 * `depends_on`: a list means `started` (Compose's default); a map gives each a condition, `required` (false: the
 * dependent starts even when the dependency is not deployed) and `restart` (dive restarts nothing on its own: a
 * redeploy of the dependency redeploys its dependents, so `restart: true` is what it does anyway). Services waited
 * on with `service_completed_successfully` become jobs.
 * @internal
 */
export const dependsOnHandlers = {
  depends_on: (v, at, d, c) => {
    if (Array.isArray(v)) {
      d.service['dependsOn'] = Object.fromEntries(v.map((dep: unknown) => [String(dep), 'started']));
      return undefined;
    }
    if (!isObj(v)) return refuse(c, at, 'must be a list or a map of conditions');
    const out: Record<string, unknown> = {};
    for (const [dep, spec] of Object.entries(v)) {
      const raw = isObj(spec) ? (spec['condition'] ?? 'service_started') : spec;
      const condition = typeof raw === 'string' ? CONDITIONS[raw] : undefined;
      if (condition === undefined) {
        refuse(c, [...at, dep], `condition must be ${Object.keys(CONDITIONS).join(', ')}`);
        continue;
      }
      if (condition === 'completed') c.jobs.add(dep);
      const required =
        isObj(spec) && spec['required'] !== undefined ? bool(spec['required'], [...at, dep, 'required'], c) : true;
      out[dep] = required === false ? { condition, required: false } : condition;
    }
    d.service['dependsOn'] = out;
    return undefined;
  },
} satisfies Readonly<Record<string, KeyHandler>>;
