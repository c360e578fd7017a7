import { describe, expect, it } from 'vitest';
import { levelByLevel } from './internal/level-estimate.js';

describe('the level-by-level estimate of the timeline', () => {
  // db (700 ms) and cache (300 ms) at level 0; api (700 ms) once db was ready; web (500 ms) and worker (300 ms) on api.
  const services = [
    { name: 'db', level: 0, startedAt: 1_000, endedAt: 1_700 },
    { name: 'cache', level: 0, startedAt: 1_000, endedAt: 1_300 },
    { name: 'api', level: 1, startedAt: 1_700, endedAt: 2_400 },
    { name: 'web', level: 2, startedAt: 2_400, endedAt: 2_900 },
    { name: 'worker', level: 2, startedAt: 2_400, endedAt: 2_700 },
  ];

  it('starts each level when the slowest of the level before is ready, with the measured durations', () => {
    const e = levelByLevel(services, 10_000);
    expect(e.t0).toBe(1_000);
    expect(Object.fromEntries(e.windows)).toEqual({
      db: { startAt: 1_000, endAt: 1_700 },
      cache: { startAt: 1_000, endAt: 1_300 },
      api: { startAt: 1_700, endAt: 2_400 },
      web: { startAt: 2_400, endAt: 2_900 },
      worker: { startAt: 2_400, endAt: 2_700 },
    });
    expect(e.estimateMs).toBe(700 + 700 + 500);
    expect(e.actualMs).toBe(1_900);
    expect(e.savedMs).toBe(0); // this run was level by level already
  });

  it('shows the time saved when a service started as soon as its own dependencies were ready', () => {
    // api depends on cache only: it started at 1 300, not when db (level 0's slowest) was ready at 1 700
    const ready = services.map((s) =>
      s.level === 0 ? s : { ...s, startedAt: s.startedAt - 400, endedAt: s.endedAt - 400 },
    );
    const e = levelByLevel(ready, 10_000);
    expect(e.estimateMs).toBe(1_900);
    expect(e.actualMs).toBe(1_500);
    expect(e.savedMs).toBe(400);
    expect(e.windows.get('api')).toEqual({ startAt: 1_700, endAt: 2_400 });
  });

  it('measures a running service up to now, and skips levels with no started service', () => {
    const e = levelByLevel(
      [
        { name: 'db', level: 0, startedAt: 0, endedAt: 200 },
        { name: 'web', level: 2, startedAt: 200, endedAt: null },
      ],
      500,
    );
    expect(e.windows.get('web')).toEqual({ startAt: 200, endAt: 500 });
    expect(e.estimateMs).toBe(500);
    expect(e.actualMs).toBe(500);
  });

  it('is empty for no service, and never negative for an end before the start (clock skew between writers)', () => {
    expect(levelByLevel([], 5)).toEqual({ t0: 5, windows: new Map(), estimateMs: 0, actualMs: 0, savedMs: 0 });
    const e = levelByLevel([{ name: 'a', level: 0, startedAt: 100, endedAt: 90 }], 1_000);
    expect(e.windows.get('a')).toEqual({ startAt: 100, endAt: 100 });
    expect(e.estimateMs).toBe(0);
  });
});
