import { ContainerExitedError } from '../runtime/errors.js';
import { createMemoryStateStore } from '@dive/state-db/testing';
import { describe, expect, it } from 'vitest';
import { statePort } from '../adapters/state-port.js';
import type { Logger } from '../logger.js';
import {
  createRedaction,
  PERSISTED_CONTEXT_MAX_CHARS,
  PERSISTED_MESSAGE_MAX_CHARS,
  redactingLogger,
  secretValuesOf,
} from './redaction.js';

const TOKEN = 'tok-5a1e77c0ffee';

const exited = (logs: string[]) =>
  new ContainerExitedError(`api exited; last line: token=${TOKEN}`, {
    context: { service: 'api', exitCode: 3, logs },
  });

describe('redaction', () => {
  it('finds the values of secret references and of the named variables', () => {
    const topology = {
      instance: 'USA',
      services: { api: { process: { command: 'x', env: { T: { secret: 'API_TOKEN' } } } } },
    };
    const env = { API_TOKEN: TOKEN, DB_PASSWORD: 'pw-123456', OTHER: 'not-a-secret' };
    expect(secretValuesOf(topology, env, ['DB_PASSWORD', 'UNSET']).sort()).toEqual(['pw-123456', TOKEN].sort());
  });

  it('keeps log tails in events and reports but replaces the secrets', () => {
    const r = createRedaction([TOKEN]);
    const json = r.json({ error: exited([`token=${TOKEN}`]).toJSON() });
    expect(json.error.context['logs']).toEqual(['token=[REDACTED]']);
    expect(json.error.message).toBe('api exited; last line: token=[REDACTED]');
  });

  it('removes log tails from what is persisted, at any depth, and caps contexts and messages', () => {
    const r = createRedaction([TOKEN]);
    const inner = exited([`token=${TOKEN}`]);
    const big = new ContainerExitedError('m'.repeat(5000), {
      context: { blob: 'x'.repeat(PERSISTED_CONTEXT_MAX_CHARS) },
      cause: inner,
    });
    const stored = r.persisted({ error: big.toJSON(), reason: `token=${TOKEN}` });
    const text = JSON.stringify(stored);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('"logs"');
    expect(stored.error.message).toHaveLength(PERSISTED_MESSAGE_MAX_CHARS);
    expect(stored.error.context).toEqual({ truncated: true, chars: expect.any(Number) as number });
    expect((stored.error.cause as { context: unknown }).context).toEqual({ service: 'api', exitCode: 3 });
  });

  it('statePort writes transitions, steps and error records without log tails or secrets', async () => {
    const store = createMemoryStateStore();
    const port = statePort(store, createRedaction([TOKEN]));
    const error = exited([`LOGLINE ${TOKEN}`]);
    const opts = { fencingToken: 1, actor: 'ci', deploymentId: 'd1' };
    expect((await port.transition('USA', 'INITIALIZING', { ...opts, reason: 'deploy' })).isOk()).toBe(true);
    const failed = await port.transition('USA', 'FAILED', {
      ...opts,
      reason: `failed: ${TOKEN}`,
      metadata: { error: error.toJSON() },
    });
    expect(failed.isOk()).toBe(true);
    const step = { deploymentId: 'd1', instance: 'USA', name: 'service:api', startedAt: new Date(0).toISOString() };
    expect((await port.recordStep({ ...step, status: 'failed', detail: { error: error.toJSON() } })).isOk()).toBe(true);
    expect((await port.recordError(error, { instance: 'USA', deploymentId: 'd1' })).isOk()).toBe(true);
    const persisted = JSON.stringify([
      (await store.history('USA'))._unsafeUnwrap(),
      (await store.steps('d1'))._unsafeUnwrap(),
      (await store.errorAnalytics({ instance: 'USA', bucket: 'day' }))._unsafeUnwrap(),
    ]);
    expect(persisted).toContain('[REDACTED]');
    expect(persisted).not.toContain(TOKEN);
    expect(persisted).not.toContain('LOGLINE');
  });

  it('redactingLogger redacts objects, messages and child bindings by value', () => {
    const lines: unknown[] = [];
    const sink: Logger = {
      trace: (o, m) => lines.push([o, m]),
      debug: (o, m) => lines.push([o, m]),
      info: (o, m) => lines.push([o, m]),
      warn: (o, m) => lines.push([o, m]),
      error: (o, m) => lines.push([o, m]),
      child: () => sink,
    };
    const log = redactingLogger(sink, createRedaction([TOKEN]).values);
    log.warn({ line: `x ${TOKEN}` }, `saw ${TOKEN}`);
    log.child({ note: TOKEN }).info({ ok: true });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
    expect(lines[0]).toEqual([{ line: 'x [REDACTED]' }, 'saw [REDACTED]']);
  });
});
