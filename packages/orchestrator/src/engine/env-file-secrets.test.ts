import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceHandle } from '../runtime/types.js';
import { reresolveCheckpoint, unresolveCheckpoint } from './checkpoint-secrets.js';
import { envFilePlaceholders, envFileSecretsRead, type EnvFileSecret } from './env-file-secrets.js';
import type { CheckpointPayload } from './ports.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-env-file-secrets-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const API_KEY = 'key-$from-file-5c21';
const OTHER = 'other-file-value-88';
const apiEnv = join(dir, 'api.env');
const webEnv = join(dir, 'web.env');
writeFileSync(apiEnv, `API_KEY='${API_KEY}'\nLEVEL=debug\n`);
writeFileSync(webEnv, `API_KEY=${OTHER}\n`);

const handle = (service: string): ServiceHandle => ({
  runtime: 'docker',
  instance: 'USA',
  service,
  id: 'c1',
  name: `usa-${service}`,
  deploymentId: 'd1',
  configHash: 'h',
  startedAt: '2026-01-01T00:00:00.000Z',
});
const api = { container: { image: 'x', environment: { API_KEY, LEVEL: 'debug', URL: `https://u:${API_KEY}@h` } } };
const web = { container: { image: 'x', environment: { API_KEY: OTHER } } };
const payload: CheckpointPayload = {
  deploymentId: 'd1',
  takenAt: '2026-01-01T00:00:00.000Z',
  state: 'COMPLETE',
  services: {
    api: { configHash: 'h', handle: handle('api'), spec: api },
    web: { configHash: 'h', handle: handle('web'), spec: web },
  },
  topology: { instance: 'USA', services: { api, web } },
};
const envFiles: EnvFileSecret[] = [
  { service: 'api', file: apiEnv, names: ['API_KEY'] },
  { service: 'web', file: webEnv, names: ['API_KEY'] },
];

describe('env_file secrets in checkpoints', () => {
  it('stores a reference per service and file, never a value, and reads the files again', () => {
    const stored = unresolveCheckpoint(payload, {}, [], envFiles);
    const text = JSON.stringify(stored);
    expect(text).not.toContain(API_KEY.replace('$', ''));
    expect(text).not.toContain(OTHER);
    expect(stored.secretEnvFiles).toEqual(envFiles);
    const [a, w] = envFilePlaceholders(envFiles).map((p) => p.variable);
    expect([a, w]).toEqual(['DIVE_ENV_FILE_0_API_KEY', 'DIVE_ENV_FILE_1_API_KEY']); // same name, two values
    expect((stored.services['api']?.spec as typeof api).container.environment).toEqual({
      API_KEY: `\${${a ?? ''}}`,
      LEVEL: 'debug', // not a secret
      URL: `https://u:\${${a ?? ''}}@h`,
    });
    expect((stored.services['web']?.spec as typeof web).container.environment.API_KEY).toBe(`\${${w ?? ''}}`);
    const back = reresolveCheckpoint(JSON.parse(text), {}, 'cp1')._unsafeUnwrap();
    expect(back).toEqual({ ...payload, secretVariables: [], secretEnvFiles: envFiles });
  });

  it('a file gone, or no longer setting a name, is SecretUnavailableError naming the service and file', () => {
    const gone = join(dir, 'gone.env');
    writeFileSync(gone, 'API_KEY=x-gone-value\n');
    const stored = JSON.parse(
      JSON.stringify(unresolveCheckpoint(payload, {}, [], [{ service: 'api', file: gone, names: ['API_KEY'] }])),
    ) as unknown;
    rmSync(gone);
    const e = reresolveCheckpoint(stored, {}, 'cp1')._unsafeUnwrapErr();
    expect(e._tag).toBe('SecretUnavailableError');
    expect(e.code).toBe(1003);
    expect(e.message).toContain(gone);
    expect(e.context).toMatchObject({ checkpointId: 'cp1', files: [{ service: 'api', file: gone }] });

    writeFileSync(gone, 'OTHER=1\n');
    const unset = reresolveCheckpoint(stored, {}, 'cp1')._unsafeUnwrapErr();
    expect(unset.context).toMatchObject({ files: [{ service: 'api', file: gone, variables: ['API_KEY'] }] });
  });

  it('a malformed secretEnvFiles leaves its references unset: an error naming them, no crash', () => {
    const stored = JSON.parse(JSON.stringify(unresolveCheckpoint(payload, {}, [], envFiles))) as Record<
      string,
      unknown
    >;
    const e = reresolveCheckpoint({ ...stored, secretEnvFiles: [{ file: 3 }] }, {}, 'cp1')._unsafeUnwrapErr();
    expect(e._tag).toBe('SecretUnavailableError');
    expect(e.context).toMatchObject({ variables: ['DIVE_ENV_FILE_0_API_KEY', 'DIVE_ENV_FILE_1_API_KEY'] });
  });

  it('reads the values best effort for redaction where there is no topology', () => {
    const values = envFileSecretsRead([...envFiles, { service: 'x', file: join(dir, 'none.env'), names: ['A'] }], {});
    expect(values.map((v) => v.value)).toEqual([API_KEY, OTHER]);
  });
});
