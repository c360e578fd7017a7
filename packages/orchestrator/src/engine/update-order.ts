import type { ServiceSpec } from '../topology/types.js';

/** How a changed service's predecessor is replaced. */
export type UpdateOrder = 'start-first' | 'stop-first';

/**
 * The update order of a changed service: its `container.update.order`, else `stop-first` for a container with a
 * named volume or bind mount, a fixed published port or a `containerName` (two containers cannot share them) and
 * for processes, else `start-first`.
 * @param spec - the service's resolved spec
 * @returns `start-first` or `stop-first`
 */
export function updateOrder(spec: ServiceSpec): UpdateOrder {
  const c = spec.container;
  if (c === undefined) return 'stop-first';
  if (c.update !== undefined) return c.update.order;
  const sharesVolume = (c.volumes ?? []).some((v) => v.type !== 'tmpfs');
  const fixedPort = (c.ports ?? []).some((p) => p.published !== undefined);
  return sharesVolume || fixedPort || c.containerName !== undefined ? 'stop-first' : 'start-first';
}
