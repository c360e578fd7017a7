import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from './metrics.js';

type Op = { readonly kind: 'inc' | 'observe'; readonly label: 'a' | 'b' | 'c'; readonly value: number };

const op = fc.record({
  kind: fc.constantFrom('inc' as const, 'observe' as const),
  label: fc.constantFrom('a' as const, 'b' as const, 'c' as const),
  value: fc.integer({ min: 0, max: 700 }).map((n) => n / 4),
});

function apply(metrics: Metrics, ops: readonly Op[]): void {
  const c = metrics.counter({ name: 'c_total', help: 'c', labelNames: ['l'] });
  const h = metrics.histogram({ name: 'h_seconds', help: 'h', labelNames: ['l'] });
  for (const o of ops) {
    if (o.kind === 'inc') c.inc({ l: o.label }, o.value);
    else h.observe({ l: o.label }, o.value);
  }
}

describe('merge (property)', () => {
  it('recording in two processes and merging equals recording in one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), fc.nat(60), async (ops, cut) => {
        const single = createMetrics();
        apply(single, ops);
        const first = createMetrics();
        apply(first, ops.slice(0, cut));
        const second = createMetrics();
        expect(second.merge(JSON.stringify(first.snapshot())).isOk()).toBe(true);
        apply(second, ops.slice(cut));
        expect(await second.toPrometheus()).toBe(await single.toPrometheus());
        for (const l of ['a', 'b', 'c']) {
          expect(second.percentile('h_seconds', 95, { l })).toBe(single.percentile('h_seconds', 95, { l }));
        }
      }),
      { numRuns: 200 },
    );
  });
});
