import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Topology } from '../topology/types.js';
import { resolveTopology } from './resolve.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-resolve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveTopology: containers', () => {
  it('sharing service:<x> implies x started; an absent dependency that is not required is dropped', () => {
    const t: Topology = {
      instance: 'USA',
      services: {
        api: { container: { image: 'a' }, dependsOn: { cache: { condition: 'healthy', required: false } } },
        sidecar: { container: { image: 's', networkMode: 'service:api' } },
        proxy: { container: { image: 'p', networkMode: 'service:api' }, dependsOn: { api: 'healthy' } },
      },
      volumes: { data: {} },
    };
    const r = resolveTopology(t, {})._unsafeUnwrap();
    expect(r.services.get('api')?.dependsOn).toEqual({});
    expect(r.services.get('sidecar')?.dependsOn).toEqual({ api: 'started' });
    expect(r.services.get('proxy')?.dependsOn).toEqual({ api: 'healthy' });
    expect(r.services.get('api')?.resources).toEqual({ volumes: { data: {} } });
  });

  it("a build's context is part of the config hash", () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    const t: Topology = { instance: 'USA', services: { web: { container: { build: { context: dir } } } } };
    const hash = () => resolveTopology(t, {})._unsafeUnwrap().services.get('web')?.configHash;
    const first = hash();
    expect(hash()).toBe(first);
    writeFileSync(join(dir, 'app.txt'), 'changed');
    expect(hash()).not.toBe(first);
  });
});
