import { describe, expect, it } from 'vitest';
import { Reservoir } from './reservoir.js';

describe('Reservoir', () => {
  it('keeps the most recent values up to its capacity, oldest first', () => {
    const r = new Reservoir(3);
    for (const v of [1, 2]) r.push(v);
    expect(r.toArray()).toEqual([1, 2]);
    for (const v of [3, 4, 5, 6, 7]) r.push(v);
    expect(r.size).toBe(3);
    expect(r.toArray()).toEqual([5, 6, 7]);
  });
});
