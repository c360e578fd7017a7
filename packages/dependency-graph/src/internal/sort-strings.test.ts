import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortStrings } from './sort-strings.js';

describe('sortStrings', () => {
  it('sorts exactly like Array.prototype.sort, shared prefixes and all', () => {
    const word = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }));
    const names = fc.array(fc.tuple(fc.constantFrom('', 'svc-', 'svc-0', 'a'), word), { maxLength: 200 });
    fc.assert(
      fc.property(names, (pairs) => {
        const a = [...new Set(pairs.map(([p, w]) => p + w))];
        const expected = [...a].sort();
        sortStrings(a);
        expect(a).toEqual(expected);
      }),
    );
  });

  it('handles duplicates and a string as long as 200,000 characters without recursion', () => {
    const long = 'x'.repeat(200_000);
    const a = [long + 'b', 'b', long + 'a', 'a', 'a', long, ...Array.from({ length: 20 }, (_, i) => `${long}${i}`)];
    const expected = [...a].sort();
    sortStrings(a);
    expect(a).toEqual(expected);
  });
});
