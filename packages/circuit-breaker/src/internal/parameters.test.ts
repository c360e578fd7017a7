import { describe, expect, it } from 'vitest';
import { declaresNoParameters, takesNoArguments } from './parameters.js';

const defaulted = (a = 1): number => a;
const defaultedObject = ({ a } = { a: 1 }): number => a;
const obj = {
  plain(this: void) {
    return 1;
  },
  rest(this: void, ...args: unknown[]) {
    return args;
  },
};

describe('takesNoArguments: true only when the function certainly cannot read an argument', () => {
  it.each([
    ['arrow', () => 1, true],
    ['async arrow', async () => Promise.resolve(1), true],
    [
      'function expression',
      function named() {
        return 1;
      },
      true,
    ],
    ['method shorthand', obj.plain, true],
    ['one parameter', (s: AbortSignal) => s, false],
    ['rest parameter (length 0)', (...a: unknown[]) => a, false],
    ['defaulted parameter (length 0)', defaulted, false],
    ['defaulted destructuring (length 0)', defaultedObject, false],
    ['rest method', obj.rest, false],
    ['bound function', ((...a: unknown[]) => a).bind(null), false],
    ['native function', Math.random, false],
    [
      'reads `arguments`',
      function reads() {
        // eslint-disable-next-line prefer-rest-params
        return arguments[0] as unknown;
      },
      false,
    ],
  ] as const)('%s → %s', (_name, fn, expected) => {
    const f: (...args: never[]) => unknown = fn;
    expect(takesNoArguments(f)).toBe(expected);
    expect(takesNoArguments(f)).toBe(expected); // the cached verdict agrees
  });

  it('unsure sources (a comment in the list, a generator, async generator) are judged from the text', () => {
    expect(declaresNoParameters('(/* signal */) => 1')).toBe(false);
    expect(declaresNoParameters('function* gen() { yield 1 }')).toBe(true);
    expect(declaresNoParameters('async function* gen( ) { yield 1 }')).toBe(true);
    expect(declaresNoParameters('function () { [native code] }')).toBe(false);
  });
});
