import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniqueSuffix, waitFor } from '@dive/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { runtimeContract } from '../testing/runtime-contract.js';
import { processStartTime } from './process-identity.js';
import { processRuntime } from './process-runtime.js';
import type { ServiceHandle, StartRequest } from './types.js';

const logDir = mkdtempSync(join(tmpdir(), 'dive-process-runtime-'));
const instance = `P${uniqueSuffix()}`.toUpperCase();
const runtime = processRuntime({ logDir, stopGraceMs: 2000, pollMs: 50 });
const started: ServiceHandle[] = [];

const node = (service: string, script: string, extra: Partial<StartRequest> = {}): StartRequest => ({
  instance,
  service,
  deploymentId: `dep-${uniqueSuffix()}`,
  configHash: 'hash-1',
  kind: 'service',
  env: { DIVE_TEST: '1' },
  process: { command: process.execPath, args: ['-e', script] },
  ...extra,
});

const LONG = "console.log('log line 1'); console.error('to stderr'); setInterval(() => {}, 1000);";

async function start(request: StartRequest): Promise<ServiceHandle> {
  const handle = (await runtime.start(request))._unsafeUnwrap();
  started.push(handle);
  return handle;
}

const alive = (pid: number): boolean => processStartTime(pid) !== undefined;

afterAll(async () => {
  for (const h of started) await runtime.stop(h, { graceMs: 100 });
  await runtime[Symbol.asyncDispose]();
  rmSync(logDir, { recursive: true, force: true });
});

describe('processRuntime: the runtime contract', () => {
  const cases = runtimeContract({
    runtime,
    instance,
    logLine: 'log line 1',
    exitWithinMs: 5000,
    request: (kind, service) =>
      kind === 'long'
        ? node(service, LONG)
        : kind === 'exits'
          ? node(service, "console.log('bye'); setTimeout(() => process.exit(3), 100);")
          : { ...node(service, ''), process: { command: join(logDir, 'no-such-executable') } },
  });
  for (const c of cases) it(c.name, c.run);
});

describe('processRuntime', () => {
  it('keeps stdout and stderr in <logDir>/<instance>/<service>.log and the env reaches the process', async () => {
    const h = await start(node('envy', "console.log('env=' + process.env.DIVE_TEST); console.error('err line');"));
    await waitFor('envy to exit', async () => (await runtime.status(h))._unsafeUnwrap().state === 'exited', 5000);
    const lines = (await runtime.logs(h))._unsafeUnwrap();
    expect(lines).toContain('env=1');
    expect(lines).toContain('err line');
    expect(lines[0]).toMatch(/starting .*node/);
  });

  it('SIGKILLs a process that ignores SIGTERM after the grace period', async () => {
    const h = await start(
      node('stubborn', '', {
        process: {
          command: process.execPath,
          args: [
            '-e',
            "process.on('SIGTERM', () => console.log('ignored TERM')); console.log('ready'); setInterval(() => {}, 1000);",
          ],
          stopGraceMs: 300,
        },
      }),
    );
    await waitFor('ready', async () => (await runtime.logs(h))._unsafeUnwrap().includes('ready'), 5000);
    const exits: number[] = [];
    runtime.onExit(h, (s) => exits.push(s.exitCode));
    const t0 = Date.now();
    expect((await runtime.stop(h)).isOk()).toBe(true);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(3000);
    expect(alive(Number(h.id))).toBe(false);
    expect(exits).toEqual([137]);
    expect((await runtime.logs(h))._unsafeUnwrap()).toContain('ignored TERM');
    expect((await runtime.status(h))._unsafeUnwrap().state).toBe('missing');
  });

  it('stops the whole process group, grandchildren included', async () => {
    const script =
      "const c = require('child_process').spawn('sleep', ['60'], { stdio: 'ignore' }); console.log('grandchild ' + c.pid); setInterval(() => {}, 1000);";
    const h = await start(node('forker', script));
    const line = await waitFor(
      'the grandchild pid',
      async () => (await runtime.logs(h))._unsafeUnwrap().find((l) => l.startsWith('grandchild ')),
      5000,
    );
    const grandchild = Number(line.split(' ')[1]);
    expect(alive(grandchild)).toBe(true);
    expect((await runtime.stop(h)).isOk()).toBe(true);
    expect(alive(grandchild)).toBe(false);
    expect(alive(Number(h.id))).toBe(false);
  });

  it('a later runtime (another process after a crash) lists, watches and stops what an earlier one started', async () => {
    const h = await start(node('survivor', LONG));
    const later = processRuntime({ logDir, pollMs: 20 });
    try {
      const listed = (await later.list(instance))._unsafeUnwrap().find((x) => x.id === h.id);
      expect(listed).toMatchObject({ service: 'survivor', deploymentId: h.deploymentId, configHash: 'hash-1' });
      expect((await later.status(h))._unsafeUnwrap()).toEqual({ state: 'running', pid: Number(h.id) });
      const exits: number[] = [];
      later.onExit(h, (s) => exits.push(s.exitCode));
      process.kill(-Number(h.id), 'SIGKILL');
      // The starting runtime records the exit code, the later one polls and reads it.
      await waitFor('the polled exit', () => exits.length === 1, 3000);
      expect(exits).toEqual([137]);
      expect((await later.stop(h)).isOk()).toBe(true);
      expect((await later.list(instance))._unsafeUnwrap().some((x) => x.id === h.id)).toBe(false);
    } finally {
      await later[Symbol.asyncDispose]();
    }
  });

  it('a process whose starter died: status from /proc, onExit by polling (exit code unknown: -1), stop kills it', async () => {
    const inst = `F${uniqueSuffix()}`.toUpperCase();
    const orphan = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    orphan.unref();
    const pid = orphan.pid ?? 0;
    try {
      mkdirSync(join(logDir, inst), { recursive: true });
      const record = {
        version: 1,
        instance: inst,
        service: 'orphan',
        pid,
        procStartTime: processStartTime(pid),
        command: 'sleep 30',
        startedAt: new Date().toISOString(),
        deploymentId: 'd-old',
        configHash: 'h-old',
      };
      writeFileSync(join(logDir, inst, `orphan.${pid}.json`), JSON.stringify(record));
      const [h] = (await runtime.list(inst))._unsafeUnwrap();
      if (h === undefined) throw new Error('the orphan is not listed');
      expect((await runtime.status(h))._unsafeUnwrap()).toEqual({ state: 'running', pid });
      const codes: number[] = [];
      runtime.onExit(h, (s) => codes.push(s.exitCode));
      process.kill(pid, 'SIGKILL');
      await waitFor('the polled exit', () => codes.length === 1, 3000);
      expect(codes).toEqual([-1]);
      expect((await runtime.stop(h)).isOk()).toBe(true);
      expect((await runtime.list(inst))._unsafeUnwrap()).toEqual([]);
    } finally {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('records and log lines hold a secret argument as ${NAME}, owner-only; without withoutSecrets no argument', async () => {
    const inst = `S${uniqueSuffix()}`.toUpperCase();
    const secret = `tok-${uniqueSuffix()}-arg`;
    const script = 'setInterval(() => {}, 1000)';
    const withoutSecrets = (t: string): string => t.replaceAll(secret, '${API_TOKEN}');
    const named = await start({
      ...node('named', script, { instance: inst, withoutSecrets }),
      process: { command: process.execPath, args: ['-e', script, '--token', secret] },
    });
    const blind = await start({
      ...node('blind', script, { instance: inst }),
      process: { command: process.execPath, args: ['-e', script, secret] },
    });
    expect(named.name).toBe(`${process.execPath} -e ${script} --token \${API_TOKEN}`);
    expect(blind.name).toBe(`${process.execPath} (3 arguments not shown)`);
    const listed = (await runtime.list(inst))._unsafeUnwrap();
    expect(listed.map((h) => h.name).sort()).toEqual([blind.name, named.name].sort());
    const dir = join(logDir, inst);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dir)) {
      expect({ file, mode: statSync(join(dir, file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
      expect({ file, leaks: readFileSync(join(dir, file), 'utf8').includes(secret) }).toEqual({ file, leaks: false });
    }
    expect(readFileSync(join(dir, 'named.log'), 'utf8')).toContain('--token ${API_TOKEN}');
  });

  it('never signals a recycled pid: a record whose pid now belongs to another process', async () => {
    const inst = `R${uniqueSuffix()}`.toUpperCase();
    const dir = join(logDir, inst);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // Our own pid, with a start time that is not ours: the pid was "recycled".
    const record = {
      version: 1,
      instance: inst,
      service: 'old',
      pid: process.pid,
      procStartTime: '1',
      command: 'old-thing',
      startedAt: new Date(0).toISOString(),
      deploymentId: 'd0',
      configHash: 'h0',
    };
    writeFileSync(join(dir, `old.${process.pid}.json`), JSON.stringify(record));
    const [h] = (await runtime.list(inst))._unsafeUnwrap();
    expect(h?.id).toBe(String(process.pid));
    if (h === undefined) return;
    expect((await runtime.status(h))._unsafeUnwrap()).toEqual({ state: 'exited', exitCode: -1 });
    expect((await runtime.stop(h, { graceMs: 0 })).isOk()).toBe(true);
    expect(alive(process.pid)).toBe(true);
    expect((await runtime.list(inst))._unsafeUnwrap()).toEqual([]);
  });

  it('preflight and start name a missing executable (3001, "process")', async () => {
    const r = { ...node('ghost', ''), process: { command: 'dive-no-such-binary-xyz' } };
    const pre = (await runtime.preflight([r]))._unsafeUnwrapErr();
    expect(pre.code).toBe(3001);
    expect(pre.message).toContain('dive-no-such-binary-xyz');
    const e = (await runtime.start(r))._unsafeUnwrapErr();
    expect(e._tag).toBe('ContainerStartFailedError');
    expect(e.message).toMatch(/^process dive-no-such-binary-xyz of .*\/ghost could not be started: .*ENOENT/);
    expect((await runtime.preflight([node('fine', '')])).isOk()).toBe(true);
  });
});
