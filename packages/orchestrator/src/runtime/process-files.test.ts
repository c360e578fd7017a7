import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupAlive, isSameProcess, processStartTime } from './process-identity.js';
import {
  findRecord,
  readRecords,
  removeRecord,
  V1_COMMAND,
  writeRecord,
  type ProcessRecord,
} from './process-records.js';
import { tailFile } from './tail-file.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-process-files-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const record: ProcessRecord = {
  version: 2,
  instance: 'USA',
  service: 'api',
  pid: 4242,
  procStartTime: '99',
  command: 'node api.js',
  startedAt: '2026-01-01T00:00:00.000Z',
  deploymentId: 'd1',
  configHash: 'h1',
};

describe('process records', () => {
  it('write, read, find and remove; foreign and broken files are skipped', async () => {
    await writeRecord(dir, record);
    await writeRecord(dir, { ...record, service: 'web', pid: 7 });
    writeFileSync(join(dir, 'USA', 'junk.json'), '{not json');
    writeFileSync(
      join(dir, 'USA', 'other.json'),
      JSON.stringify({ version: 1, pid: 1, service: 'x', instance: 'EST' }),
    );
    expect((await readRecords(dir, 'USA')).map((r) => r.service)).toEqual(['api', 'web']);
    expect(await findRecord(dir, 'USA', 'api', 4242)).toEqual(record);
    await removeRecord(dir, 'USA', 'api', 4242);
    await removeRecord(dir, 'USA', 'api', 4242);
    expect(await findRecord(dir, 'USA', 'api', 4242)).toBeUndefined();
    expect(await readRecords(dir, 'NZL')).toEqual([]);
  });

  it('are written owner-only (0600 in a 0700 directory), no temp file left', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dive-process-modes-'));
    try {
      await writeRecord(join(root, 'logs'), { ...record, instance: 'MOD' });
      expect(statSync(join(root, 'logs')).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, 'logs', 'MOD')).mode & 0o777).toBe(0o700);
      expect(readdirSync(join(root, 'logs', 'MOD'))).toEqual(['api.4242.json']);
      expect(statSync(join(root, 'logs', 'MOD', 'api.4242.json')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a version 1 record (an earlier DIVE) is still found, its command line never read into what it gives', async () => {
    const old = { ...record, version: 1, instance: 'OLD', command: 'node api.js --token tok-v1-secret' };
    mkdirSync(join(dir, 'OLD'));
    writeFileSync(join(dir, 'OLD', 'api.4242.json'), JSON.stringify(old));
    const expected = { ...old, version: 2, command: V1_COMMAND };
    expect(await readRecords(dir, 'OLD')).toEqual([expected]);
    expect(await findRecord(dir, 'OLD', 'api', 4242)).toEqual(expected);
    writeFileSync(join(dir, 'OLD', 'api.7.json'), JSON.stringify({ ...old, version: 3, pid: 7 }));
    expect((await readRecords(dir, 'OLD')).map((r) => r.pid)).toEqual([4242]); // an unknown version is not ours
  });
});

describe('tailFile', () => {
  it('gives the last N lines, none for a missing file', async () => {
    const path = join(dir, 'log.txt');
    writeFileSync(path, 'a\nb\nc\n');
    expect(await tailFile(path, 2)).toEqual(['b', 'c']);
    expect(await tailFile(path, 10)).toEqual(['a', 'b', 'c']);
    expect(await tailFile(path, 0)).toEqual([]);
    expect(await tailFile(join(dir, 'nope.log'), 5)).toEqual([]);
  });
});

describe('process identity', () => {
  it('knows this process by its start time and refuses another start time (a recycled pid)', () => {
    const mine = processStartTime(process.pid);
    expect(mine).toMatch(/^\d+$/);
    expect(isSameProcess(process.pid, mine)).toBe(true);
    expect(isSameProcess(process.pid, '1')).toBe(false);
    expect(processStartTime(2 ** 22 + 1)).toBeUndefined();
    expect(groupAlive(2 ** 22 + 1)).toBe(false);
  });
});
