import { describe, expect, it } from 'vitest';
import { containerOf, importText, messages } from './test-support.js';

const withVolumes = (list: string, top = 'volumes:\n  data: {}\n'): ReturnType<typeof importText> =>
  importText(`services:\n  a:\n    image: x\n    volumes: ${list}\n${top}`, { env: { HOME: '/home/me' } });

describe('volumes', () => {
  it.each([
    ['["/data"]', [{ type: 'volume', target: '/data' }]],
    ['["data:/var/lib/data"]', [{ type: 'volume', source: 'data', target: '/var/lib/data' }]],
    ['["data:/d:ro,nocopy"]', [{ type: 'volume', source: 'data', target: '/d', readOnly: true, nocopy: true }]],
    [
      '["./site:/www:ro"]',
      [{ type: 'bind', source: '/project/site', target: '/www', readOnly: true, createHostPath: true }],
    ],
    ['["../up:/u"]', [{ type: 'bind', source: '/up', target: '/u', createHostPath: true }]],
    ['["~/cfg:/cfg"]', [{ type: 'bind', source: '/home/me/cfg', target: '/cfg', createHostPath: true }]],
    ['["/abs:/in"]', [{ type: 'bind', source: '/abs', target: '/in', createHostPath: true }]],
    [
      '[{ type: bind, source: ./x, target: /x, read_only: true, bind: { create_host_path: false } }]',
      [{ type: 'bind', source: '/project/x', target: '/x', readOnly: true, createHostPath: false }],
    ],
    [
      '[{ type: volume, source: data, target: /d, volume: { nocopy: true } }]',
      [{ type: 'volume', source: 'data', target: '/d', nocopy: true }],
    ],
    [
      '[{ type: tmpfs, target: /t, tmpfs: { size: 64m } }]',
      [{ type: 'tmpfs', target: '/t', tmpfsSizeBytes: 64 * 1024 ** 2 }],
    ],
  ])('%s', (list, expected) => {
    const result = withVolumes(list);
    expect(result.problems).toEqual([]);
    expect(containerOf(result)['volumes']).toEqual(expected);
  });

  it('maps top-level volumes', () => {
    const result = importText(
      'services:\n  a:\n    image: x\nvolumes:\n  a: null\n  b: { external: true, name: shared }\n  c: { driver: local, driver_opts: { type: tmpfs }, labels: [team=core] }\n',
    );
    expect(result.topology['volumes']).toEqual({
      a: {},
      b: { external: true, name: 'shared' },
      c: { driver: 'local', driverOpts: { type: 'tmpfs' }, labels: { team: 'core' } },
    });
  });

  it('refuses an undeclared named volume and unsupported mount types', () => {
    const result = withVolumes('["nope:/d", { type: npipe, source: x, target: /y }]');
    expect(messages(result.problems)).toEqual([
      "services.a.volumes.1.type: mount type 'npipe' is not supported (volume, bind or tmpfs)",
      "services.a.volumes.0: service 'a' mounts volume 'nope', which is not declared",
    ]);
  });

  it('warns about SELinux and consistency options', () => {
    const result = withVolumes('["./x:/x:z", { type: bind, source: ., target: /y, consistency: cached }]');
    expect(messages(result.warnings)).toEqual([
      "services.a.volumes.0: service 'a': volume mode 'z' is ignored (only ro, rw and nocopy are applied)",
      "services.a.volumes.1: service 'a': volume option 'consistency' is ignored",
    ]);
  });

  it('maps tmpfs and read_only', () => {
    const c = containerOf(importText('services:\n  a:\n    image: x\n    read_only: true\n    tmpfs: /run\n'));
    expect(c).toMatchObject({ readOnly: true, tmpfs: ['/run'] });
  });
});
