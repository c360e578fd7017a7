import { describe, expect, it } from 'vitest';
import { childEnvBuilder } from './process-env.js';

const parent = {
  PATH: '/usr/bin',
  HOME: '/home/u',
  LC_ALL: 'C.UTF-8',
  LC_TIME: 'C',
  UNLISTED: 'x',
  DIVE_CHECKPOINT_KEY: 'k',
  DIVE_STATE_URL: 'postgres://u:p@h/db',
  DATABASE_URL: 'postgres://u:p@h/db',
  PGPASSWORD: 'p',
  AWS_SECRET: 's',
};

describe('childEnvBuilder', () => {
  it('passes the allowlist (LC_* as a prefix) and the service env, nothing else', () => {
    expect(childEnvBuilder()(parent, { OWN: '1' })).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LC_ALL: 'C.UTF-8',
      LC_TIME: 'C',
      OWN: '1',
    });
  });

  it('inheritEnv passes everything but DIVE_*, DATABASE_URL, PGPASSWORD and deniedEnv', () => {
    const env = childEnvBuilder({ inheritEnv: true, deniedEnv: ['AWS_*'] })(parent, {});
    expect(Object.keys(env).sort()).toEqual(['HOME', 'LC_ALL', 'LC_TIME', 'PATH', 'UNLISTED']);
  });

  it('a custom allowlist replaces the default; the denylist still wins over it', () => {
    const env = childEnvBuilder({ envAllowlist: ['UNLISTED', 'DIVE_*'] })(parent, {});
    expect(env).toEqual({ UNLISTED: 'x' });
  });

  it("the service's own variables are passed as declared, even DIVE-looking ones, and override inherited ones", () => {
    const env = childEnvBuilder()(parent, { DATABASE_URL: 'postgres://app', PATH: '/opt/bin' });
    expect(env).toMatchObject({ DATABASE_URL: 'postgres://app', PATH: '/opt/bin' });
  });

  it('malformed names are a TypeError', () => {
    expect(() => childEnvBuilder({ envAllowlist: [''] })).toThrow(TypeError);
    expect(() => childEnvBuilder({ envAllowlist: ['*'] })).toThrow(TypeError);
    expect(() => childEnvBuilder({ deniedEnv: ['A*B'] })).toThrow(TypeError);
  });
});
