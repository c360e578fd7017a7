/**
 * Engine overhead: 1,000 services on the instant in-memory runtime, with file state and with PostgreSQL.
 * Target (issue 9): ≤ 3 s per deployment with each backend.
 *
 *   npx tsx --tsconfig tsconfig.json bench/orchestrator/engine.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@dive/test-utils';
import { fileState, orchestrate, postgresState, type Topology } from '@dive/orchestrator';
import { memoryRuntime } from '@dive/orchestrator/testing';
import { machine, timeRounds } from '../lib/harness.js';

/** A layered random DAG: 1,000 services, each depending on up to 3 services of earlier layers. */
function topology(n: number): Topology {
  const services: Record<string, Topology['services'][string]> = {};
  let seed = 42;
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    if (i > 10) for (let k = 0; k < 3; k++) deps.add(`s${Math.floor(random() * i)}`);
    services[`s${i}`] = { process: { command: 'noop' }, dependsOn: [...deps], retry: { policy: 'none', attempts: 1 } };
  }
  return { instance: 'BEN', services };
}

const N = 1_000;
const rounds = Number(process.env['ROUNDS'] ?? 5);
const topo = topology(N);
const lines: string[] = [`# Engine overhead: ${N} services on memoryRuntime`, '', machine(), ''];

const dir = mkdtempSync(join(tmpdir(), 'dive-bench-engine-'));
try {
  const file = await timeRounds(rounds, async (r) => {
    const state = fileState(join(dir, `r${r}`));
    const result = await orchestrate(topo, { runtime: memoryRuntime(), state });
    await state[Symbol.asyncDispose]();
    if (result.isErr() || !result.value.success)
      throw new Error(`deployment failed: ${JSON.stringify(result.isErr() ? result.error : result.value.error)}`);
  });
  lines.push(
    `| backend | median | p95 | target |`,
    `|---|---:|---:|---:|`,
    `| file state | ${file.medianMs.toFixed(0)} ms | ${file.p95Ms.toFixed(0)} ms | ≤ 3000 ms |`,
  );
  const db = await createTestDatabase('benchengine');
  try {
    const pg = await timeRounds(rounds, async (r) => {
      const state = postgresState(db.url, { schema: `bench_${r}` });
      const result = await orchestrate({ ...topo, instance: 'BEN' }, { runtime: memoryRuntime(), state });
      await state[Symbol.asyncDispose]();
      if (result.isErr() || !result.value.success)
        throw new Error(`deployment failed: ${JSON.stringify(result.isErr() ? result.error : result.value.error)}`);
    });
    lines.push(`| PostgreSQL | ${pg.medianMs.toFixed(0)} ms | ${pg.p95Ms.toFixed(0)} ms | ≤ 3000 ms |`);
  } finally {
    await db.drop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
lines.push('', `${rounds} rounds each; every round a fresh state (a first deployment of all ${N} services).`);
console.log(lines.join('\n'));
