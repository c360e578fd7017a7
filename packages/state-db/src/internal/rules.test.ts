import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TRANSITIONS } from '../state-machine.js';
import type { TransitionRecord } from '../types.js';
import { nextRecord, unknownState, verifyChain } from './rules.js';

function chain(length: number): TransitionRecord[] {
  const rows: TransitionRecord[] = [];
  let state = unknownState('USA');
  let head = '';
  for (let n = 0; n < length; n++) {
    const edge = TRANSITIONS.find((t) => t.from === state.state && t.to !== 'UNKNOWN');
    if (edge === undefined) throw new Error('no edge');
    const r = nextRecord(
      state,
      head,
      edge.to,
      { fencingToken: n, reason: `r${n}`, actor: 'a', metadata: { n } },
      1_000 + n,
    );
    rows.push(r);
    head = r.hash;
    state = { instance: 'USA', state: r.to, version: r.version, fencingToken: n, updatedAt: r.at };
  }
  return rows;
}

describe('audit hash chain', () => {
  it('verifies an untouched chain', () => {
    const rows = chain(12);
    expect(verifyChain('USA', rows, 12)).toMatchObject({ rows: 12, head: rows[11]?.hash });
  });

  it('any edited field, deleted row or truncated tail is detected at the right version (property)', () => {
    const fields = ['reason', 'actor', 'at', 'fencingToken', 'metadata', 'deploymentId'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 15 }),
        fc.nat(),
        fc.constantFrom(...fields, 'delete' as const),
        (len, pick, how) => {
          const rows = chain(len);
          const at = pick % len;
          const target = rows[at];
          if (target === undefined) return;
          if (how === 'delete') rows.splice(at, 1);
          else {
            const edited: Record<string, unknown> = { ...target };
            edited[how] = how === 'metadata' ? { n: -1 } : how === 'at' || how === 'fencingToken' ? 999_999 : 'forged';
            rows[at] = edited as unknown as TransitionRecord;
          }
          const result = verifyChain('USA', rows, len);
          expect('_tag' in result && result._tag).toBe('AuditLogTamperedError');
          if ('_tag' in result && !(how === 'delete' && at === len - 1)) expect(result.context['version']).toBe(at + 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
