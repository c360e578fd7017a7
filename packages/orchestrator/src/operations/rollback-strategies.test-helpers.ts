// What each rollback strategy must leave, shared by the process and Docker end-to-end tests (docs/concepts.md's
// rollback table describes the same): v1 then v2 (api changed) deployed, then a rollback to v1's checkpoint.
import { expect } from 'vitest';
import type { RollbackReport, RollbackStrategy } from '../report.js';

/** The four strategies, in the order of the docs' table. */
export const STRATEGIES: readonly RollbackStrategy[] = ['stop', 'config', 'containers', 'complete'];

/**
 * Check a rollback's report and what runs after it (`service:hash`, sorted) against the strategy's contract.
 * @param v1 - what ran after v1; @param v2 - what ran after v2
 */
export function expectStrategyOutcome(
  strategy: RollbackStrategy,
  report: RollbackReport,
  now: readonly string[],
  v1: readonly string[],
  v2: readonly string[],
): void {
  expect(report.error).toBeUndefined();
  switch (strategy) {
    case 'stop':
      expect(report.finalState).toBe('UNKNOWN');
      expect(now).toEqual([]);
      expect([...report.removed].sort()).toEqual(['api', 'db']);
      break;
    case 'config':
      expect(report.finalState).toBe('COMPLETE');
      expect(now).toEqual(v2); // services left alone
      expect(report.removed).toEqual([]);
      expect(report.restored).toEqual([]);
      break;
    case 'containers':
    case 'complete':
      expect(report.finalState).toBe('COMPLETE');
      expect(now).toEqual(v1); // api back to v1; db, the same in both, untouched
      expect(report.removed).toEqual(['api']);
      expect(report.restored).toEqual(['api']);
      break;
  }
}
