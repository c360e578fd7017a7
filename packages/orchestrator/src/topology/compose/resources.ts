import { isObj, isScalar, refuse, warn, type ComposeContext, type Obj, type Path } from './context.js';
import type { KeyHandler, ServiceDraft } from './handler.js';
import { bytes, decimal, integer } from './values.js';

function limits(spec: Obj, at: Path, d: ServiceDraft, c: ComposeContext): void {
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'memory') d.container['memoryBytes'] = bytes(value, [...at, key], c);
    else if (key === 'cpus') d.container['cpus'] = decimal(value, [...at, key], c);
    else if (key === 'pids') d.hostConfig['PidsLimit'] = integer(value, [...at, key], c);
    else warn(c, [...at, key], `service '${d.name}': deploy.resources.limits.${key} is ignored`);
  }
}

function deployKey(key: string, value: unknown, at: Path, d: ServiceDraft, c: ComposeContext): void {
  if (key === 'resources' && isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'limits' && isObj(v)) limits(v, [...at, k], d, c);
      else if (k === 'reservations' && isObj(v) && isScalar(v['memory']))
        d.hostConfig['MemoryReservation'] = bytes(v['memory'], [...at, k, 'memory'], c);
      else warn(c, [...at, k], `service '${d.name}': deploy.resources.${k} is ignored`);
    }
  } else if (key === 'update_config' && isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'order' && (v === 'start-first' || v === 'stop-first')) d.container['update'] = { order: v };
      else if (k === 'order') refuse(c, [...at, k], 'must be start-first or stop-first');
      else warn(c, [...at, k], `service '${d.name}': deploy.update_config.${k} is ignored`);
    }
  } else if (key === 'replicas') {
    const n = integer(value, at, c);
    if (n !== undefined && n > 1) refuse(c, at, 'dive runs one container per service (replicas must be 1)');
  } else if (key === 'restart_policy' && isObj(value)) {
    const condition = value['condition'];
    const policy = condition === 'any' ? 'always' : condition === 'on-failure' ? 'on-failure' : 'no';
    if (d.container['restart'] === undefined) d.container['restart'] = policy;
    for (const k of Object.keys(value).filter((x) => x !== 'condition'))
      warn(c, [...at, k], `service '${d.name}': deploy.restart_policy.${k} is ignored`);
  } else if (key === 'labels') {
    warn(c, at, `service '${d.name}': deploy.labels (Swarm service labels) are ignored; use labels`);
  } else warn(c, at, `service '${d.name}': deploy.${key} is ignored (Swarm only)`);
}

/** `mem_limit`, `cpus`, `ulimits` and `deploy` (resources, update order, replicas, restart policy). @internal */
export const resourceHandlers = {
  mem_limit: (v, at, d, c) => {
    d.container['memoryBytes'] ??= bytes(v, at, c);
  },
  cpus: (v, at, d, c) => {
    d.container['cpus'] ??= decimal(v, at, c);
  },
  ulimits: (v, at, d, c) => {
    const out: Record<string, { soft: number; hard: number }> = {};
    for (const [name, spec] of Object.entries(isObj(v) ? v : {})) {
      const soft = integer(isObj(spec) ? spec['soft'] : spec, [...at, name], c);
      const hard = integer(isObj(spec) ? spec['hard'] : spec, [...at, name], c);
      if (soft !== undefined && hard !== undefined) out[name] = { soft, hard };
    }
    d.container['ulimits'] = out;
  },
  deploy: (v, at, d, c) => {
    if (!isObj(v)) return refuse(c, at, 'must be a map');
    for (const [key, value] of Object.entries(v)) if (!key.startsWith('x-')) deployKey(key, value, [...at, key], d, c);
    return undefined;
  },
} satisfies Readonly<Record<string, KeyHandler>>;
