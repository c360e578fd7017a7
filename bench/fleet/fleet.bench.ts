/**
 * A fleet beside a shell loop (issue 17): a hub and five spokes, spread over two real Docker engines — the shared
 * one and a second dockerd with a `--tlsverify` listener on 127.0.0.2 (startSecondDockerd) — one PostgreSQL store.
 * Each instance is one busybox container that turns healthy after 2 s. Per round, in alternating order:
 *   fleet — `orchestrateFleet` with the six in one wave (in process), its wall time and its slowest instance's
 *           deployment (from the report);
 *   loop  — `for X in …; do dive deploy -f X.yaml; done` in one bash process (the built CLI; the second engine's
 *           instances through DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH).
 * Every instance is taken down (untimed) between contenders. Medians of the rounds.
 *
 * Run: npx tsx --tsconfig tsconfig.json bench/fleet/fleet.bench.ts   (BENCH_ROUNDS=n, default 3; the CLI the loop
 * runs is bundled from the sources first, as bench/compose does)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { down, dockerRuntime, loadFleet, orchestrateFleet, postgresState } from '@dive/orchestrator';
import { busyboxTopology, createTestDatabase, ensureBusyboxImage, startSecondDockerd, tlsOf } from '@dive/test-utils';
import Docker from 'dockerode';
import { buildDiveBin } from '../compose/dive-bin.js';
import { machine, percentile } from '../lib/harness.js';

// the CLI as one bundled file built from the sources, as the compose bench runs it
const bin = await buildDiveBin();
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'dive-fleet-bench-'));
const SHARED = 'unix:///var/run/docker.sock';
// hub + five spokes; 'second' = the test's own engine over TLS
const PLACES: Record<string, 'shared' | 'second'> = {
  BHB: 'shared',
  BSA: 'shared',
  BSB: 'second',
  BSC: 'shared',
  BSD: 'second',
  BSE: 'second',
};
const codes = Object.keys(PLACES);

const engine = await startSecondDockerd({ tls: true });
const db = await createTestDatabase('fleet-bench');
const state = postgresState(db.url);
const image = await ensureBusyboxImage(new Docker({ socketPath: '/var/run/docker.sock' }));
const tls = engine.tls ?? { ca: '', cert: '', key: '' };
const runtimeOf = (code: string) =>
  PLACES[code] === 'second' ? dockerRuntime({ docker: engine.url, tls }) : dockerRuntime({ docker: SHARED });
const envOf = (code: string): string =>
  PLACES[code] === 'second'
    ? `DOCKER_HOST=${engine.url} DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=${engine.certPath ?? ''}`
    : `DOCKER_HOST=${SHARED}`;

for (const code of codes) {
  writeFileSync(join(dir, `${code}.yaml`), busyboxTopology(image, [{ name: 'api', healthyAfterS: 2 }], code));
}
writeFileSync(
  join(dir, 'fleet.yaml'),
  `fleet: bench
instances:
${codes
  .map((c) =>
    PLACES[c] === 'second'
      ? `  ${c}: { topology: ${c}.yaml, docker: ${engine.url}, tls: ${tlsOf(engine)} }`
      : `  ${c}: { topology: ${c}.yaml, docker: ${SHARED} }`,
  )
  .join('\n')}
waves:
  - [${codes.join(', ')}]
`,
);

/** Take every instance down (untimed), on its own engine. */
async function downAll(): Promise<void> {
  await Promise.all(
    codes.map(async (code) => {
      await using runtime = runtimeOf(code);
      // an instance never deployed has nothing to take down: what counts is that no container is left
      await down(code, { state, runtime, volumes: true });
    }),
  );
  for (const docker of [new Docker({ socketPath: '/var/run/docker.sock' }), engine.docker]) {
    const left = await docker.listContainers({ all: true, filters: { label: codes.map((c) => `dive.instance=${c}`) } });
    if (left.length > 0) throw new Error(`down left ${left.length} containers`);
  }
}

async function fleetRound(): Promise<{ wallMs: number; slowestMs: number }> {
  const fleet = (await loadFleet(join(dir, 'fleet.yaml')))._unsafeUnwrap();
  const began = performance.now();
  const report = (await orchestrateFleet(fleet, { state, fresh: true }))._unsafeUnwrap();
  const wallMs = performance.now() - began;
  if (report.state !== 'COMPLETE') throw new Error(`fleet ended ${report.state}: ${JSON.stringify(report.instances)}`);
  return { wallMs, slowestMs: Math.max(...report.instances.map((i) => i.report?.durationMs ?? 0)) };
}

function loopRound(): number {
  const script = codes
    .map((c) => `${envOf(c)} node ${bin} --state '${db.url}' deploy -f ${join(dir, `${c}.yaml`)} --runtime docker`)
    .join(' && ');
  const began = performance.now();
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: 'true' } });
  const ms = performance.now() - began;
  if (r.status !== 0) throw new Error(`the loop failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return ms;
}

const median = (xs: readonly number[]): number => percentile(xs, 50);
const fleetWall: number[] = [];
const slowest: number[] = [];
const loop: number[] = [];
try {
  await downAll();
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['fleet', 'loop'] as const) : (['loop', 'fleet'] as const);
    for (const which of order) {
      if (which === 'fleet') {
        const f = await fleetRound();
        fleetWall.push(f.wallMs);
        slowest.push(f.slowestMs);
      } else {
        loop.push(loopRound());
      }
      await downAll();
    }
    console.error(`round ${r + 1}: fleet ${fleetWall.at(-1)?.toFixed(0)} ms, loop ${loop.at(-1)?.toFixed(0)} ms`);
  }
  const f = median(fleetWall);
  const s = median(slowest);
  const l = median(loop);
  console.log(`\n## fleet: hub + 5 spokes on 2 Docker engines, one PostgreSQL (${rounds} rounds, ${machine()})\n`);
  console.log('| contender | median wall | range | ratio |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| slowest instance (fleet's reports) | ${s.toFixed(0)} ms | ${Math.min(...slowest).toFixed(0)} – ${Math.max(...slowest).toFixed(0)} ms | 1.00× |`,
  );
  console.log(
    `| orchestrateFleet, one wave | ${f.toFixed(0)} ms | ${Math.min(...fleetWall).toFixed(0)} – ${Math.max(...fleetWall).toFixed(0)} ms | ${(f / s).toFixed(2)}× |`,
  );
  console.log(
    `| shell loop of \`dive deploy\` | ${l.toFixed(0)} ms | ${Math.min(...loop).toFixed(0)} – ${Math.max(...loop).toFixed(0)} ms | ${(l / s).toFixed(2)}× |`,
  );
  console.log(`\nfleet / slowest per round: ${fleetWall.map((w, i) => (w / (slowest[i] ?? 1)).toFixed(2)).join(', ')}`);
} finally {
  await downAll().catch(() => undefined);
  await state[Symbol.asyncDispose]();
  await db.drop();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
}
