import { describe, expect, it } from 'vitest';
import { createEventLog } from './event-log.js';

describe('event log', () => {
  it('replays every event after the last id a client saw', () => {
    const log = createEventLog(10, 'b1');
    const ids = [1, 2, 3, 4].map((n) => log.append('step', { n }).id);
    const r = log.since(ids[1]);
    expect(r.kind === 'events' && r.events.map((e) => e.data['n'])).toEqual([3, 4]);
    expect(log.since(ids[3])).toEqual({ kind: 'events', events: [] });
  });

  it('answers reset past the ring buffer, for another process, and for an id from the future', () => {
    const log = createEventLog(3, 'b1');
    const first = log.append('step', { n: 1 }).id;
    for (let n = 2; n <= 5; n++) log.append('step', { n });
    expect(log.size).toBe(3);
    expect(log.since(first)).toEqual({ kind: 'reset' });
    expect(log.since('b0.4')).toEqual({ kind: 'reset' });
    expect(log.since('b1.99')).toEqual({ kind: 'reset' });
    expect(log.since('garbage')).toEqual({ kind: 'reset' });
    // the oldest kept event's predecessor is still a clean resume point
    const r = log.since('b1.2');
    expect(r.kind === 'events' && r.events.map((e) => e.data['n'])).toEqual([3, 4, 5]);
  });

  it('tells listeners of each appended event until they stop', () => {
    const log = createEventLog(3, 'b1');
    const seen: string[] = [];
    const stop = log.onEvent((e) => seen.push(e.id));
    log.append('transition', {});
    stop();
    log.append('transition', {});
    expect(seen).toEqual(['b1.1']);
  });
});
