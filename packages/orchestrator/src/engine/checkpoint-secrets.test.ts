import { describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../runtime/types.js';
import { reresolveCheckpoint, unresolveCheckpoint } from './checkpoint-secrets.js';
import type { CheckpointPayload } from './ports.js';

const handle: ServiceHandle = {
  runtime: 'process',
  instance: 'USA',
  service: 'api',
  id: '1',
  name: 'node --password=pw-$ecret-7741',
  deploymentId: 'd1',
  configHash: 'h',
  startedAt: '2026-01-01T00:00:00.000Z',
};
const env = { DB_PASSWORD: 'pw-$ecret-7741', SHORT: 'ab', PORT: '8080' };
const spec = {
  process: {
    command: 'node',
    args: ['-e', 'x = "$HOME"'],
    env: { PW: 'pw-$ecret-7741', URL: 'postgres://u:pw-$ecret-7741@db/app', S: 'ab', T: 'tab', PORT: '8080' },
  },
};
const payload: CheckpointPayload = {
  deploymentId: 'd1',
  takenAt: '2026-01-01T00:00:00.000Z',
  state: 'COMPLETE',
  services: { api: { configHash: 'h', handle, spec } },
  topology: { instance: 'USA', services: { api: spec } },
};

describe('checkpoint secrets', () => {
  it('stores ${NAME} for every secret value, escapes $, and reads back exactly what was there', () => {
    const stored = unresolveCheckpoint(payload, env, ['DB_PASSWORD', 'SHORT']);
    const text = JSON.stringify(stored);
    expect(text).not.toContain('pw-$ecret-7741');
    expect(stored.secretVariables).toEqual(['DB_PASSWORD', 'SHORT']);
    const storedEnv = (stored.services['api']?.spec as typeof spec).process.env;
    expect(storedEnv).toEqual({
      PW: '${DB_PASSWORD}',
      URL: 'postgres://u:${DB_PASSWORD}@db/app',
      S: '${SHORT}', // a short value only where it is the whole string
      T: 'tab',
      PORT: '8080', // not a secret variable: kept
    });
    expect((stored.services['api']?.spec as typeof spec).process.args[1]).toBe('x = "$$HOME"');
    const back = reresolveCheckpoint(JSON.parse(text), env, 'cp1')._unsafeUnwrap();
    expect(back).toEqual({ ...payload, secretVariables: ['DB_PASSWORD', 'SHORT'] });
  });

  it('a variable unset now is SecretUnavailableError naming it and the checkpoint', () => {
    const stored = JSON.parse(JSON.stringify(unresolveCheckpoint(payload, env, ['DB_PASSWORD']))) as unknown;
    const e = reresolveCheckpoint(stored, { PORT: '1' }, 'cp1')._unsafeUnwrapErr();
    expect(e._tag).toBe('SecretUnavailableError');
    expect(e.message).toContain('DB_PASSWORD');
    expect(e.context).toMatchObject({ checkpointId: 'cp1', variables: ['DB_PASSWORD'] });
  });

  it('re-stores the variables a read checkpoint carries, even when this operation has none', () => {
    const read = { ...payload, secretVariables: ['DB_PASSWORD'] };
    expect(JSON.stringify(unresolveCheckpoint(read, env, []))).not.toContain('pw-$ecret-7741');
  });

  it('without secret variables the payload is stored as it is, and a payload without them is read as it is', () => {
    expect(unresolveCheckpoint(payload, env, [])).toBe(payload);
    const old = JSON.parse(JSON.stringify(payload)) as unknown;
    expect(reresolveCheckpoint(old, {}, 'cp1')._unsafeUnwrap()).toBe(old);
  });
});
