import { describe, expect, it } from 'vitest';
import type { ContainerSpec, ServiceSpec } from '../topology/types.js';
import { updateOrder } from './update-order.js';

const container = (c: Partial<ContainerSpec> = {}): ServiceSpec => ({ container: { image: 'app:1', ...c } });

describe('updateOrder', () => {
  it('is start-first for a stateless container and stop-first for a process', () => {
    expect(updateOrder(container())).toBe('start-first');
    expect(updateOrder(container({ volumes: [{ type: 'tmpfs', target: '/tmp' }] }))).toBe('start-first');
    expect(updateOrder(container({ ports: [{ target: 80 }] }))).toBe('start-first');
    expect(updateOrder({ process: { command: 'node', args: ['app.js'] } })).toBe('stop-first');
  });

  it('is stop-first for what two containers cannot share: volumes, fixed ports, a containerName', () => {
    expect(updateOrder(container({ volumes: [{ type: 'volume', source: 'data', target: '/data' }] }))).toBe(
      'stop-first',
    );
    expect(updateOrder(container({ volumes: [{ type: 'bind', source: '/srv', target: '/srv' }] }))).toBe('stop-first');
    expect(updateOrder(container({ ports: [{ target: 80, published: 8080 }] }))).toBe('stop-first');
    expect(updateOrder(container({ containerName: 'web' }))).toBe('stop-first');
  });

  it('follows update.order when it is given', () => {
    const volumes = [{ type: 'volume' as const, source: 'data', target: '/data' }];
    expect(updateOrder(container({ volumes, update: { order: 'start-first' } }))).toBe('start-first');
    expect(updateOrder(container({ update: { order: 'stop-first' } }))).toBe('stop-first');
  });
});
