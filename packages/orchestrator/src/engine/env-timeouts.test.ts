import { describe, expect, it } from 'vitest';
import { defineTopology } from '../topology/define-topology.js';
import { envStartTimeout, envSuffix } from './env-timeouts.js';
import { resolveTopology } from './resolve.js';

const topology = () => {
  const t = defineTopology({
    instance: 'USA',
    defaults: { startTimeoutMs: 60_000 },
    services: {
      keycloak: { process: { command: 'sleep', args: ['5'] }, startTimeoutMs: 120_000 },
      'opal-client': { process: { command: 'sleep', args: ['5'] } },
    },
  });
  if (t.isErr()) throw t.error;
  return t.value;
};

describe('per-service start timeouts from the environment', () => {
  it('names the variable after the service: upper case, other characters as _', () => {
    expect(envSuffix('opal-client')).toBe('OPAL_CLIENT');
    expect(envSuffix('kas.v2')).toBe('KAS_V2');
  });

  it('TIMEOUT_<SERVICE> is seconds and overrides the topology; DIVE_TIMEOUT_<SERVICE> wins over it', () => {
    const env = { TIMEOUT_KEYCLOAK: '300', DIVE_TIMEOUT_OPAL_CLIENT: '1m30s' };
    const r = resolveTopology(topology(), env)._unsafeUnwrap();
    expect(r.services.get('keycloak')?.startTimeoutMs).toBe(300_000);
    expect(r.services.get('opal-client')?.startTimeoutMs).toBe(90_000);
    const both = { TIMEOUT_KEYCLOAK: '300', DIVE_TIMEOUT_KEYCLOAK: '500ms' };
    expect(resolveTopology(topology(), both)._unsafeUnwrap().services.get('keycloak')?.startTimeoutMs).toBe(500);
  });

  it('unset or empty leaves the topology value, and the config hash does not change', () => {
    const plain = resolveTopology(topology(), {})._unsafeUnwrap();
    const tuned = resolveTopology(topology(), { TIMEOUT_KEYCLOAK: '300', TIMEOUT_OPAL_CLIENT: '' })._unsafeUnwrap();
    expect(plain.services.get('keycloak')?.startTimeoutMs).toBe(120_000);
    expect(tuned.services.get('opal-client')?.startTimeoutMs).toBe(60_000);
    expect(tuned.services.get('keycloak')?.configHash).toBe(plain.services.get('keycloak')?.configHash);
  });

  it.each(['0', '-5', 'soon', '5 minutes'])('%s is a ConfigInvalidError naming the variable', (value) => {
    const e = envStartTimeout('keycloak', { TIMEOUT_KEYCLOAK: value })._unsafeUnwrapErr();
    expect(e._tag).toBe('ConfigInvalidError');
    expect(e.message).toContain('TIMEOUT_KEYCLOAK');
    const r = resolveTopology(topology(), { TIMEOUT_KEYCLOAK: value });
    expect(r.isErr() && r.error._tag).toBe('ConfigInvalidError');
  });
});
