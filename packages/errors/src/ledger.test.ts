import { describe, expect, it } from 'vitest';
import { defineError } from './define-error.js';
import { createErrorLedger } from './ledger.js';
import { TimeoutError } from './errors.js';

class HealthCheckFailedError extends defineError('HealthCheckFailedError') {}
class StateStoreUnavailableError extends defineError('StateStoreUnavailableError') {}

const high = () => new HealthCheckFailedError('unhealthy');
const medium = () => new TimeoutError('slow', { severity: 'MEDIUM' });
const low = () => new TimeoutError('meh', { severity: 'LOW' });

describe('error ledger', () => {
  it('continues with no errors and with LOW errors only', () => {
    const ledger = createErrorLedger();
    expect(ledger.shouldContinue()).toMatchObject({ continue: true, action: 'continue' });
    expect(ledger.record(low())).toMatchObject({ continue: true, action: 'continue' });
  });

  it('continues degraded after a MEDIUM', () => {
    const ledger = createErrorLedger();
    expect(ledger.record(medium())).toMatchObject({ continue: true, action: 'degraded' });
  });

  it('stops at once on a CRITICAL', () => {
    const ledger = createErrorLedger();
    const d = ledger.record(new StateStoreUnavailableError('db gone'), { key: 'state' });
    expect(d).toMatchObject({ continue: false, action: 'stop' });
    expect(d.decidedBy?.error._tag).toBe('StateStoreUnavailableError');
  });

  it('gives a HIGH one recovery attempt, then stops when the same key fails again', () => {
    const ledger = createErrorLedger();
    expect(ledger.record(high(), { key: 'keycloak' })).toMatchObject({ continue: true, action: 'recover' });
    expect(ledger.record(low(), { key: 'other' })).toMatchObject({ action: 'degraded' });
    const d = ledger.record(high(), { key: 'keycloak' });
    expect(d).toMatchObject({ continue: false, action: 'stop' });
    expect(d.reason).toContain('keycloak');
  });

  it('stops after three HIGHs on different keys', () => {
    const ledger = createErrorLedger();
    expect(ledger.record(high(), { key: 'a' }).continue).toBe(true);
    expect(ledger.record(high(), { key: 'b' }).continue).toBe(true);
    expect(ledger.record(high(), { key: 'c' })).toMatchObject({ continue: false, action: 'stop' });
    expect(ledger.counts()).toEqual({ CRITICAL: 0, HIGH: 3, MEDIUM: 0, LOW: 0 });
  });

  it('honours a custom maxHigh and rejects nonsense', () => {
    const ledger = createErrorLedger({ maxHigh: 1 });
    expect(ledger.record(high(), { key: 'a' }).action).toBe('stop');
    expect(() => createErrorLedger({ maxHigh: 0 })).toThrow(RangeError);
    expect(() => createErrorLedger({ maxHigh: 1.5 })).toThrow(RangeError);
  });

  it('escalates an entry one level at a time and changes the decision', () => {
    const ledger = createErrorLedger();
    ledger.record(medium(), { key: 'redis' });
    const id = ledger.entries()[0]!.id;
    expect(ledger.escalate(id)?.severity).toBe('HIGH');
    expect(ledger.shouldContinue().action).toBe('recover');
    expect(ledger.escalate(id)?.severity).toBe('CRITICAL');
    expect(ledger.shouldContinue().action).toBe('stop');
    expect(ledger.escalate(id)?.severity).toBe('CRITICAL');
    expect(ledger.escalate(999)).toBeUndefined();
  });

  it('clears, and summarises as text and redacted JSON', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const ledger = createErrorLedger({ now: () => at });
    ledger.record(new TimeoutError('slow', { context: { password: 'p' } }), { key: 'backend' });
    expect(ledger.summary()).toContain('1 HIGH');
    expect(ledger.summary()).toContain('2001 TimeoutError on backend');
    const json = ledger.toJSON();
    expect(json.entries[0]).toMatchObject({ at: '2026-01-01T00:00:00.000Z', key: 'backend', severity: 'HIGH' });
    expect(JSON.stringify(json)).not.toContain('"p"');
    ledger.clear();
    expect(ledger.entries()).toEqual([]);
    expect(ledger.shouldContinue().action).toBe('continue');
  });
});
