import { buildHandlers } from './build.js';
import { refuse, warn, type ComposeContext, type Obj } from './context.js';
import { dependsOnHandlers } from './depends-on.js';
import { environmentHandlers } from './environment.js';
import { fileSourceHandlers } from './file-sources.js';
import type { KeyHandler, ServiceDraft } from './handler.js';
import { healthcheckHandlers } from './healthcheck.js';
import { SERVICE_KEYS } from './key-table.js';
import { networkHandlers } from './networks.js';
import { passThroughHandlers } from './passthrough.js';
import { portHandlers } from './ports.js';
import { resourceHandlers } from './resources.js';
import { basicHandlers } from './service-basics.js';
import { volumeHandlers } from './volumes.js';

/** Every honoured and passed-through service key, and what maps it. @internal */
export const SERVICE_HANDLERS: Readonly<Record<string, KeyHandler>> = {
  ...basicHandlers,
  ...environmentHandlers,
  ...networkHandlers,
  ...volumeHandlers,
  ...portHandlers,
  ...buildHandlers,
  ...resourceHandlers,
  ...healthcheckHandlers,
  ...dependsOnHandlers,
  ...fileSourceHandlers,
  ...passThroughHandlers,
};

/**
 * Map one Compose service (its `extends` already merged) onto a topology service, key by key per the key table.
 * @internal
 */
export function mapService(name: string, spec: Obj, c: ComposeContext): Record<string, unknown> {
  const draft: ServiceDraft = { name, service: {}, container: {}, config: {}, hostConfig: {} };
  for (const [key, value] of Object.entries(spec)) {
    const at = ['services', name, key];
    if (key.startsWith('x-')) continue;
    const rule = SERVICE_KEYS[key];
    const handler = SERVICE_HANDLERS[key];
    if (rule?.handling === 'refused') refuse(c, at, `'${key}' is not supported: ${rule.note}`);
    else if (rule?.handling === 'warned') warn(c, at, `service '${name}': '${key}' is ignored (${rule.note})`);
    else if (handler !== undefined) handler(value, at, draft, c);
    else refuse(c, at, `unknown key '${key}'`); // the schema check reports it first; kept for safety
  }
  if (spec['image'] === undefined && spec['build'] === undefined)
    refuse(c, ['services', name], `service '${name}' needs an image or a build`);
  const docker = {
    ...(Object.keys(draft.config).length > 0 ? { config: draft.config } : {}),
    ...(Object.keys(draft.hostConfig).length > 0 ? { hostConfig: draft.hostConfig } : {}),
  };
  const container = Object.keys(docker).length > 0 ? { ...draft.container, docker } : draft.container;
  return { ...draft.service, container };
}
