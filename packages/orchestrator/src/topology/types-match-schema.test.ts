// The hand-written topology types (types.ts, with their TSDoc) and the zod schema (schema.ts) describe one shape.
// This file fails the typecheck (`tsc`, run by CI) when they drift apart in either direction; the test below names
// the check in the test report. Why the types are not derived from the schema: docs/engine.md.
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { topologySchema } from './schema.js';
import type { Topology } from './types.js';

/**
 * A type as the comparison sees it: every level readonly, and an optional property's `| undefined` dropped (zod's
 * output has `key?: T | undefined`, the hand-written types `key?: T` under `exactOptionalPropertyTypes`).
 */
type Normal<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer U)[]
    ? readonly Normal<U>[]
    : { readonly [K in keyof T]: Normal<Exclude<T[K], undefined>> };

type FromSchema = Normal<z.output<typeof topologySchema>>;
type HandWritten = Normal<Topology>;

describe('the topology type and its schema', () => {
  it('are the same type (checked by the typecheck): a field on one side only, optional on one side only, or typed otherwise fails', () => {
    expectTypeOf<FromSchema>().toEqualTypeOf<HandWritten>();
  });
});
