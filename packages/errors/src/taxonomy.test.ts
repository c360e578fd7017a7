import { describe, expect, it } from 'vitest';
import { categoryOfCode, lookupCode, lookupTag, TAXONOMY } from './taxonomy.js';
import { isSeverity } from './severity.js';

/** Codes are public contract: scripts switch on them. This pins every code that has shipped. */
const PINNED: Record<number, string> = {
  1001: 'ConfigMissingError',
  1002: 'ConfigInvalidError',
  1003: 'SecretUnavailableError',
  1004: 'DependencyCycleError',
  1005: 'UnknownDependencyError',
  1006: 'GraphValidationError',
  1007: 'UsageError',
  1008: 'RuntimeMismatchError',
  2001: 'TimeoutError',
  2002: 'NetworkUnreachableError',
  2003: 'DnsFailureError',
  2004: 'ConnectionResetError',
  3001: 'ContainerStartFailedError',
  3002: 'ContainerExitedError',
  3003: 'ContainerOomError',
  3004: 'ImageMissingError',
  3005: 'RuntimeUnavailableError',
  3006: 'ImageBuildFailedError',
  4001: 'HealthCheckFailedError',
  4002: 'DependencyUnhealthyError',
  4003: 'HealthTimeoutError',
  4004: 'CircuitOpenError',
  4005: 'GateFailedError',
  5001: 'LockTimeoutError',
  5002: 'LockLostError',
  5003: 'StaleFencingTokenError',
  5004: 'LockStoreError',
  5005: 'LockCorruptError',
  5006: 'LockReleaseForbiddenError',
  6001: 'StateStoreUnavailableError',
  6002: 'InvalidTransitionError',
  6003: 'StateCorruptError',
  6004: 'ConcurrentModificationError',
  6005: 'AuditLogTamperedError',
  6006: 'MigrationError',
  6007: 'MetricsSnapshotInvalidError',
  7001: 'CheckpointNotFoundError',
  7002: 'CheckpointCorruptError',
  7003: 'RollbackFailedError',
  7004: 'CheckpointKeyError',
  8001: 'UnexpectedError',
  8002: 'CancelledError',
};

describe('taxonomy', () => {
  it('keeps every shipped code with its tag', () => {
    for (const [code, tag] of Object.entries(PINNED)) {
      expect(lookupCode(Number(code))?.tag, `code ${code}`).toBe(tag);
    }
  });

  it('has unique codes and unique tags', () => {
    expect(new Set(TAXONOMY.map((e) => e.code)).size).toBe(TAXONOMY.length);
    expect(new Set(TAXONOMY.map((e) => e.tag)).size).toBe(TAXONOMY.length);
  });

  it('gives every entry a valid severity, a category matching its range, and text', () => {
    for (const e of TAXONOMY) {
      expect(isSeverity(e.severity)).toBe(true);
      expect(e.code).toBeGreaterThanOrEqual(1000);
      expect(e.code).toBeLessThan(9000);
      expect(e.category).toBe(categoryOfCode(e.code));
      expect(e.tag).toMatch(/^[A-Z][A-Za-z]+Error$/);
      expect(e.summary.length).toBeGreaterThan(10);
      expect(e.remediation.length).toBeGreaterThan(10);
    }
  });

  it('looks up by tag and reports unknown codes and tags as undefined', () => {
    expect(lookupTag('LockTimeoutError')?.code).toBe(5001);
    expect(lookupCode(9999)).toBeUndefined();
    expect(lookupTag('NoSuchError')).toBeUndefined();
  });

  it('maps ranges to categories', () => {
    expect([1001, 2001, 3001, 4001, 5001, 6001, 7001, 8001].map(categoryOfCode)).toEqual([
      'configuration',
      'network',
      'container',
      'health',
      'lock',
      'state',
      'checkpoint',
      'operation',
    ]);
  });
});
