/**
 * CLI start-up: the built `dive` (packages/orchestrator/dist/cli/bin.js) against a bare `node -e 0`, side by side in
 * alternating rounds (node, --version, status, node, --version, status, …) so the machine's load hits each alike.
 * `dive status` reads file state (an empty temporary `.dive`). Targets (issue 14): `--version` ≤ 2×,
 * `status` ≤ 2.5× the bare node. Build first: `cd packages/orchestrator && npx tsup`.
 *
 *   npx tsx --tsconfig tsconfig.json bench/cli/startup.bench.ts        (ROUNDS=15 by default)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { machine, percentile } from '../lib/harness.js';

const bin = resolve(import.meta.dirname, '../../packages/orchestrator/dist/cli/bin.js');
if (!existsSync(bin)) throw new Error(`${bin} is missing: build it first (cd packages/orchestrator && npx tsup)`);
const rounds = Number(process.env['ROUNDS'] ?? 15);
const cwd = mkdtempSync(join(tmpdir(), 'dive-bench-cli-'));

const contenders = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'dive --version', args: [bin, '--version'] },
  { name: 'dive status (file state)', args: [bin, 'status', '--state', `file:${join(cwd, '.dive')}`] },
  { name: 'dive --help', args: [bin, '--help'] },
] as const;

function run(args: readonly string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  return ms;
}

const median = (xs: readonly number[]): number => percentile(xs, 50);
try {
  for (const c of contenders) run(c.args); // warm the file system cache
  const samples = contenders.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) for (const [i, c] of contenders.entries()) samples[i]!.push(run(c.args));
  const base = median(samples[0]!);
  console.log(`## CLI start-up (${machine()}, ${rounds} alternating rounds, median)\n`);
  console.log('| command | median | p95 | vs node -e 0 |');
  console.log('|---|---:|---:|---:|');
  for (const [i, c] of contenders.entries()) {
    const m = median(samples[i]!);
    console.log(
      `| \`${c.name}\` | ${m.toFixed(0)} ms | ${percentile(samples[i]!, 95).toFixed(0)} ms | ${(m / base).toFixed(2)}× |`,
    );
  }
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
