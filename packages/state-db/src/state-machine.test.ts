import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canTransition, DEPLOYMENT_STATES, TRANSITIONS, type DeploymentState } from './state-machine.js';
import { createMemoryStateStore } from './testing/index.js';

describe('state machine', () => {
  it('has nine states and eighteen distinct edges between them', () => {
    expect(DEPLOYMENT_STATES).toHaveLength(9);
    expect(TRANSITIONS).toHaveLength(18);
    expect(new Set(TRANSITIONS.map((t) => `${t.from}>${t.to}`)).size).toBe(18);
    for (const t of TRANSITIONS) expect(DEPLOYMENT_STATES).toContain(t.from);
  });

  it('canTransition matches the edge list', () => {
    expect(canTransition('CLEANUP', 'UNKNOWN')).toBe(true);
    expect(canTransition('UNKNOWN', 'COMPLETE')).toBe(false);
    expect(canTransition('COMPLETE', 'COMPLETE')).toBe(false);
  });

  it('the store accepts exactly the legal edges along any random walk (property)', async () => {
    const state = fc.constantFrom(...DEPLOYMENT_STATES);
    await fc.assert(
      fc.asyncProperty(fc.array(state, { maxLength: 30 }), async (wanted: DeploymentState[]) => {
        const store = createMemoryStateStore();
        let current: DeploymentState = 'UNKNOWN';
        let version = 0;
        for (const to of wanted) {
          const r = await store.transition('i', to, { fencingToken: 1, reason: 'p', actor: 'p' });
          if (canTransition(current, to)) {
            expect(r.isOk()).toBe(true);
            current = to;
            version++;
          } else {
            expect(r._unsafeUnwrapErr()._tag).toBe('InvalidTransitionError');
          }
        }
        const s = (await store.getState('i'))._unsafeUnwrap();
        expect([s.state, s.version]).toEqual([current, version]);
        expect((await store.verifyAuditLog('i'))._unsafeUnwrap().rows).toBe(version);
      }),
      { numRuns: 200 },
    );
  });
});
