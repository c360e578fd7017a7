// Every rollback strategy end to end on the process runtime (real child processes, file state in a temporary
// directory): deploy v1, deploy v2 (api changed), then roll back to v1's checkpoint with one strategy and look at
// what actually runs. docs/concepts.md's rollback table describes what is checked here (shared with the Docker
// test: rollback-strategies.test-helpers.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RollbackStrategy } from '../report.js';
import { processRuntime } from '../runtime/process-runtime.js';
import { fileState } from '../state.js';
import type { Topology } from '../topology/types.js';
import { down } from './down.js';
import { orchestrate } from './orchestrate.js';
import { rollback } from './rollback.js';
import { expectStrategyOutcome, STRATEGIES } from './rollback-strategies.test-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dive-rollback-strategies-'));
const runtime = processRuntime({ logDir: join(dir, 'logs'), stopGraceMs: 1_000, pollMs: 50 });
const state = fileState(join(dir, 'state'));
const used: string[] = [];

afterAll(async () => {
  for (const code of used) await down(code, { runtime, state });
  await runtime[Symbol.asyncDispose]();
  await state[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

const LONG = 'setInterval(() => {}, 1000);';
const topology = (instance: string, apiVersion: string): Topology => ({
  instance,
  defaults: { retry: { policy: 'none', attempts: 1 }, startTimeoutMs: 10_000 },
  services: {
    db: { process: { command: process.execPath, args: ['-e', LONG] } },
    api: { process: { command: process.execPath, args: ['-e', `${LONG} // ${apiVersion}`] }, dependsOn: ['db'] },
  },
});

/** What runs now, as `service:hash`. */
const running = async (instance: string): Promise<string[]> => {
  const handles = (await runtime.list(instance))._unsafeUnwrap();
  const live: string[] = [];
  for (const h of handles) {
    const s = (await runtime.status(h))._unsafeUnwrap();
    if (s.state === 'running') live.push(`${h.service}:${h.configHash}`);
  }
  return live.sort();
};

/** v1 then v2 deployed; what ran after each. */
async function twoGenerations(instance: string): Promise<{ v1: string[]; v2: string[] }> {
  used.push(instance);
  expect((await orchestrate(topology(instance, 'v1'), { runtime, state }))._unsafeUnwrap().success).toBe(true);
  const v1 = await running(instance);
  expect((await orchestrate(topology(instance, 'v2'), { runtime, state }))._unsafeUnwrap().success).toBe(true);
  const v2 = await running(instance);
  expect(v2).not.toEqual(v1);
  return { v1, v2 };
}

const codes: Record<RollbackStrategy, string> = { stop: 'RSA', config: 'RSB', containers: 'RSC', complete: 'RSD' };

describe('rollback strategies on the process runtime', () => {
  it.each(STRATEGIES)(
    '%s',
    async (strategy) => {
      const instance = codes[strategy];
      const { v1, v2 } = await twoGenerations(instance);
      const report = (await rollback(instance, { strategy }, { runtime, state }))._unsafeUnwrap();
      expectStrategyOutcome(strategy, report, await running(instance), v1, v2);
    },
    60_000,
  );
});
