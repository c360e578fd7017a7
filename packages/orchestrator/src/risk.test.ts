import { describe, expect, it } from 'vitest';
import { estimateRisk, type RiskInputs } from './risk.js';

const calm: RiskInputs = {
  recentErrors: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 },
  openBreakers: 0,
  totalBreakers: 9,
  degradedServices: 0,
  totalServices: 9,
  freeMemoryRatio: 0.6,
  freeDiskRatio: 0.5,
  sinceLastSuccessMs: 3_600_000,
};

describe('estimateRisk', () => {
  it('is zero for a calm instance that deployed an hour ago, and shows all five factors', () => {
    const r = estimateRisk(calm);
    expect(r.probability).toBe(0);
    expect(r.level).toBe('low');
    expect(r.factors.map((f) => f.name)).toEqual([
      'recent-errors',
      'open-breakers',
      'degraded-services',
      'host-resources',
      'since-last-success',
    ]);
  });

  it('rises with each factor and saturates below 1', () => {
    const worst = estimateRisk({
      recentErrors: { CRITICAL: 5, HIGH: 0, MEDIUM: 0, LOW: 0 },
      openBreakers: 9,
      totalBreakers: 9,
      degradedServices: 9,
      totalServices: 9,
      freeMemoryRatio: 0.01,
      freeDiskRatio: 0.5,
      sinceLastSuccessMs: undefined,
    });
    expect(worst.level).toBe('high');
    expect(worst.probability).toBeGreaterThan(0.7);
    expect(worst.probability).toBeLessThan(1);
    const errorsOnly = estimateRisk({ ...calm, recentErrors: { CRITICAL: 0, HIGH: 2, MEDIUM: 1, LOW: 0 } });
    expect(errorsOnly.probability).toBeCloseTo(0.35 * 0.5, 3);
  });

  it('counts a first deployment as a mild risk and tolerates empty inputs', () => {
    expect(estimateRisk({ ...calm, sinceLastSuccessMs: undefined }).probability).toBeCloseTo(0.05, 3);
    expect(estimateRisk({ ...calm, totalBreakers: 0, totalServices: 0 }).probability).toBe(0);
  });
});
