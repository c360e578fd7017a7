// The audit log of an instance is verified before each of its deployments: a tampered file store stops the
// deployment (AuditLogTamperedError, exit 4, nothing written); a log written before heads were sealed is adopted with
// a warning and sealed by the next transition.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCodeFor, EXIT } from '../cli/exit-codes.js';
import type { DeployEvent } from '../events.js';
import { fileState } from '../state.js';
import { memoryRuntime } from '../testing/memory-runtime.js';
import type { Topology } from '../topology/types.js';
import { orchestrate } from './orchestrate.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-audit-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const topology = (instance: string, arg = '1'): Topology => ({
  instance,
  services: { api: { process: { command: 'api', args: [arg] } } },
});

/** The same canonical JSON and SHA-256 the file store checksums its state file with (sorted keys). */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('the audit check before a deployment', () => {
  it('a tampered file store stops the deployment with AuditLogTamperedError (exit 4) before it writes', async () => {
    const root = join(dir, 'tampered');
    const runtime = memoryRuntime();
    expect((await orchestrate(topology('TMP'), { runtime, state: fileState(root) }))._unsafeUnwrap().success).toBe(
      true,
    );
    const audit = join(root, 'state', 'instances', 'TMP', 'audit.jsonl');
    const rows = readFileSync(audit, 'utf8');
    writeFileSync(audit, rows.replace('"reason":"deploy"', '"reason":"dep1oy"'));
    const events: DeployEvent[] = [];
    const second = await orchestrate(topology('TMP', '2'), {
      runtime,
      state: fileState(root),
      onEvent: (e) => events.push(e),
    });
    const error = second._unsafeUnwrapErr();
    expect(error).toMatchObject({ _tag: 'AuditLogTamperedError', code: 6005 });
    expect(exitCodeFor(error)).toBe(EXIT.unreachable);
    expect(events.some((e) => e.type === 'state')).toBe(false);
    expect(readFileSync(audit, 'utf8').split('\n').length).toBe(rows.split('\n').length);
  });

  it('a truncated audit log is refused too', async () => {
    const root = join(dir, 'truncated');
    const runtime = memoryRuntime();
    expect((await orchestrate(topology('TRN'), { runtime, state: fileState(root) })).isOk()).toBe(true);
    const audit = join(root, 'state', 'instances', 'TRN', 'audit.jsonl');
    const lines = readFileSync(audit, 'utf8').trimEnd().split('\n');
    writeFileSync(audit, `${lines.slice(0, -2).join('\n')}\n`);
    const second = await orchestrate(topology('TRN', '2'), { runtime, state: fileState(root) });
    expect(second._unsafeUnwrapErr()._tag).toBe('AuditLogTamperedError');
  });

  it('an unsealed (legacy) log is adopted with a warning and sealed by the deployment', async () => {
    const root = join(dir, 'legacy');
    const runtime = memoryRuntime();
    expect((await orchestrate(topology('LEG'), { runtime, state: fileState(root) })).isOk()).toBe(true);
    const statePath = join(root, 'state', 'instances', 'LEG', 'state.json');
    const { checksum: _c, seal: _s, ...rest } = JSON.parse(readFileSync(statePath, 'utf8')) as Record<string, unknown>;
    writeFileSync(statePath, JSON.stringify({ ...rest, checksum: sha256(canonical(rest)) }));
    const backend = fileState(root);
    expect((await backend.store.verifyAuditLog('LEG'))._unsafeUnwrapErr().context['reason']).toBe('unsealed');
    const events: DeployEvent[] = [];
    const second = await orchestrate(topology('LEG', '2'), {
      runtime,
      state: backend,
      onEvent: (e) => events.push(e),
    });
    expect(second._unsafeUnwrap().success).toBe(true);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'warning', message: expect.stringContaining('no sealed head') as string }),
    );
    expect((await fileState(root).store.verifyAuditLog('LEG')).isOk()).toBe(true);
  });
});
