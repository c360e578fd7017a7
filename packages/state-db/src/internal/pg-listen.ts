import type pg from 'pg';
import type { Clock } from '@dive/errors';
import type { StateChange, StateWatch } from '../types.js';

/** The NOTIFY channel of a schema's changes (an identifier: at most 63 bytes). */
export const changeChannel = (schema: string): string => `dive_${schema}`.slice(0, 63);

/** A notification payload as a {@link StateChange}; anything unexpected is `other`. */
export function parseChange(payload: string | undefined): StateChange {
  try {
    const v = JSON.parse(payload ?? '') as Record<string, unknown>;
    const kind = v['kind'] === 'transition' || v['kind'] === 'step' ? v['kind'] : 'other';
    return {
      kind,
      ...(typeof v['instance'] === 'string' ? { instance: v['instance'] } : {}),
      ...(typeof v['deploymentId'] === 'string' ? { deploymentId: v['deploymentId'] } : {}),
    };
  } catch {
    return { kind: 'other' };
  }
}

const RECONNECT_MS = 1_000;

/**
 * LISTEN on `channel` with a client of the pool held for the subscription. A lost connection is reported as an
 * `other` change (something may have been missed: read again) and re-established after a second.
 */
export function listenForChanges(
  pool: pg.Pool,
  channel: string,
  listener: (change: StateChange) => void,
  clock: Clock,
): StateWatch {
  let closed = false;
  let dropCurrent: (() => void) | undefined;
  let timer: unknown;
  const deliver = (c: StateChange): void => {
    try {
      listener(c);
    } catch {
      // the listener's own failure
    }
  };
  const retry = (): void => {
    if (closed) return;
    timer = clock.setTimeout(() => void connect(), RECONNECT_MS);
  };
  const connect = async (): Promise<void> => {
    let c: pg.PoolClient | undefined;
    let released = false;
    const drop = (): void => {
      if (released || c === undefined) return;
      released = true;
      c.release(true);
    };
    try {
      c = await pool.connect();
      c.on('notification', (m) => {
        if (m.channel === channel) deliver(parseChange(m.payload));
      });
      c.on('error', () => {
        if (released) return;
        drop();
        deliver({ kind: 'other' });
        retry();
      });
      await c.query(`LISTEN "${channel}"`);
      if (closed) {
        drop();
        return;
      }
      dropCurrent = drop;
    } catch {
      drop();
      retry();
    }
  };
  const ready = connect();
  const close = async (): Promise<void> => {
    closed = true;
    clock.clearTimeout(timer);
    await ready;
    dropCurrent?.();
  };
  return { ready, close, [Symbol.asyncDispose]: close };
}
