import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../events.js';
import { createProgressRenderer, resolveProgressMode } from './progress.js';

const base = { at: 1_000, instance: 'USA', deploymentId: 'd1' };
const events: DeployEvent[] = [
  { ...base, type: 'state', from: 'UNKNOWN', to: 'INITIALIZING', reason: 'deploy' },
  { ...base, type: 'service-starting', service: 'postgres', attempt: 1 },
  { ...base, at: 1_500, type: 'service-healthy', service: 'postgres', durationMs: 500 },
  {
    ...base,
    at: 1_600,
    type: 'service-failed',
    service: 'keycloak',
    blocked: ['backend'],
    error: {
      _tag: 'HealthTimeoutError',
      code: 4003,
      category: 'health',
      severity: 'HIGH',
      message: 'never healthy',
      remediation: 'r',
      context: {},
    },
  },
];

function capture(mode: 'plain' | 'json' | 'quiet' | 'tty', color = false): string {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const r = createProgressRenderer({ mode, stream, color, now: () => 2_000 });
  for (const e of events) r.onEvent(e);
  r.close();
  return chunks.join('');
}

describe('progress renderers', () => {
  it('plain: one line per event, no escape codes without color', () => {
    const out = capture('plain');
    expect(out.trim().split('\n')).toHaveLength(4);
    expect(out).toContain('USA postgres: healthy after 500 ms');
    expect(out).toContain('keycloak: FAILED HealthTimeoutError (4003): never healthy; blocked: backend');
    expect(out).not.toContain('\u001b[');
  });

  it('json: one parseable event per line', () => {
    const lines = capture('json').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as DeployEvent).type)).toEqual([
      'state',
      'service-starting',
      'service-healthy',
      'service-failed',
    ]);
  });

  it('quiet: nothing', () => {
    expect(capture('quiet')).toBe('');
  });

  it('tty: a table with a row per service, blocked dependents marked', () => {
    const out = capture('tty');
    expect(out).toMatch(/SERVICE\s+STATE/);
    expect(out).toMatch(/postgres\s+healthy/);
    expect(out).toMatch(/keycloak\s+failed/);
    expect(out).toMatch(/backend\s+blocked/);
  });

  it('auto picks tty only on an interactive terminal outside CI', () => {
    expect(resolveProgressMode('auto', { isTTY: true }, {})).toBe('tty');
    expect(resolveProgressMode('auto', { isTTY: true }, { CI: 'true' })).toBe('plain');
    expect(resolveProgressMode('auto', { isTTY: false }, {})).toBe('plain');
    expect(resolveProgressMode('json', { isTTY: true }, {})).toBe('json');
  });
});
