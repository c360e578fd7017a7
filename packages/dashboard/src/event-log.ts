/** One event of the dashboard's feed. */
export interface FeedEvent {
  /** `<boot>.<sequence>`: unique per dashboard process, in order. */
  readonly id: string;
  readonly type: 'transition' | 'step' | 'reset';
  readonly data: Readonly<Record<string, unknown>>;
}

/** What a reconnecting client gets: the events it missed, or `reset` when they are no longer kept. */
export type Replay = { readonly kind: 'events'; readonly events: readonly FeedEvent[] } | { readonly kind: 'reset' };

/** A bounded, ordered log of events with replay from an id. */
export interface EventLog {
  append(type: FeedEvent['type'], data: Readonly<Record<string, unknown>>): FeedEvent;
  /** Events after `lastId`; `reset` when `lastId` is of another process or older than the oldest kept. */
  since(lastId: string | undefined): Replay;
  onEvent(listener: (e: FeedEvent) => void): () => void;
  readonly size: number;
}

/**
 * A ring buffer of the last `capacity` events. Ids are `<boot>.<n>` with `boot` unique to this process, so an id
 * from before a restart is recognised and answered with `reset` (reload everything) instead of a wrong replay.
 */
export function createEventLog(capacity: number, boot: string): EventLog {
  const ring: FeedEvent[] = [];
  let next = 1;
  const listeners = new Set<(e: FeedEvent) => void>();
  return {
    append: (type, data) => {
      const e: FeedEvent = { id: `${boot}.${next++}`, type, data };
      ring.push(e);
      if (ring.length > capacity) ring.shift();
      for (const l of [...listeners]) l(e);
      return e;
    },
    since: (lastId) => {
      if (lastId === undefined) return { kind: 'events', events: [] };
      const [b, n] = lastId.split('.');
      const seq = Number(n);
      if (b !== boot || !Number.isSafeInteger(seq) || seq >= next) return { kind: 'reset' };
      const oldest = next - ring.length;
      if (seq < oldest - 1) return { kind: 'reset' };
      return { kind: 'events', events: ring.slice(seq - oldest + 1) };
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get size() {
      return ring.length;
    },
  };
}
