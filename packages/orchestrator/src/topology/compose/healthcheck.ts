import { isObj, isScalar, refuse, warn } from './context.js';
import type { KeyHandler } from './handler.js';
import { duration, integer } from './values.js';

const DURATIONS: Readonly<Record<string, string>> = {
  interval: 'intervalMs',
  timeout: 'timeoutMs',
  start_period: 'startPeriodMs',
};

/** `healthcheck` → the container's HEALTHCHECK and a `docker` health check; `disable: true` turns the image's off. */
export const healthcheckHandlers = {
  healthcheck: (v, at, d, c) => {
    if (!isObj(v)) return refuse(c, at, 'must be a map');
    const disabled = v['disable'] === true || v['disable'] === 'true';
    const test = v['test'];
    const none = Array.isArray(test) && test[0] === 'NONE';
    if (disabled || none) {
      d.container['healthcheck'] = { disable: true };
      return undefined;
    }
    const out: Record<string, unknown> = {};
    if (typeof test === 'string') out['test'] = ['CMD-SHELL', test];
    else if (Array.isArray(test) && test.every(isScalar)) out['test'] = test.map(String);
    else if (test === undefined) refuse(c, at, "needs a 'test' (or 'disable: true')");
    for (const [key, value] of Object.entries(v)) {
      const field = DURATIONS[key];
      if (field !== undefined) out[field] = duration(value, [...at, key], c);
      else if (key === 'retries') out['retries'] = integer(value, [...at, key], c);
      else if (key === 'start_interval')
        warn(c, [...at, key], `service '${d.name}': healthcheck start_interval is ignored (Docker ≥ 25 only)`);
    }
    d.container['healthcheck'] = out;
    d.service['health'] = [{ type: 'docker' }];
    return undefined;
  },
} satisfies Readonly<Record<string, KeyHandler>>;
