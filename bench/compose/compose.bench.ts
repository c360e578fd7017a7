/**
 * docker-compose 1.29 (Debian's `docker-compose`) beside `dive deploy` on the same Compose files: the offline
 * entries of the corpus (packages/orchestrator/src/topology/fixtures/compose-corpus, `offline: true`), on the
 * busybox test image. For each file: what each tool created (containers, networks, volumes; the `docker inspect`
 * fields that matter, compared after the first deployment, differences printed as a table), and the wall time
 * of `up` and `down --volumes` of both, as processes, in alternating order, medians of the rounds after the
 * first (the first builds the images; it is shown apart).
 *
 * Run: npx tsx --tsconfig tsconfig.json bench/compose/compose.bench.ts   (BENCH_ROUNDS=n, default 3)
 * Needs the Docker engine and `docker-compose` 1.29 (`apt-get install -y --no-install-recommends docker-compose`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  dockerClient,
  ensureBusyboxImage,
  instanceLabels,
  listLabelledContainers,
  removeLabelledImages,
} from '@dive/test-utils';
import { machine, percentile } from '../lib/harness.js';
import { buildDiveBin } from './dive-bin.js';
import { diff, type Project, snapshot, type Snapshot } from './inspect.js';

const corpus = fileURLToPath(
  new URL('../../packages/orchestrator/src/topology/fixtures/compose-corpus/', import.meta.url),
);
const entries = (
  JSON.parse(readFileSync(join(corpus, 'MANIFEST.json'), 'utf8')) as { dir: string; file: string; offline: boolean }[]
).filter((e) => e.offline);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const docker = dockerClient();
const dir = mkdtempSync(join(tmpdir(), 'dive-compose-bench-'));
const used: { instance: string; project: string; file: string }[] = [];
let env: NodeJS.ProcessEnv = {};
let bin = '';

const compose = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
if (compose.status !== 0) {
  console.error('docker-compose is not installed: apt-get install -y --no-install-recommends docker-compose');
  process.exit(1);
}

/** Run a command to its end; its wall time in ms. Throws with its output when it fails. */
function timed(cmd: string, args: string[]): number {
  const began = performance.now();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return performance.now() - began;
}

/** After `docker-compose up -d`: until every container is healthy (or has exited 0: a job) — what dive waits for. */
async function composeSettled(project: string): Promise<void> {
  for (;;) {
    const found = await listLabelledContainers(docker, { 'com.docker.compose.project': project });
    const states = await Promise.all(found.map((c) => docker.getContainer(c.Id).inspect()));
    const done = states.every((s) =>
      s.State.Running
        ? s.State.Health === undefined
          ? true
          : s.State.Health.Status === 'healthy'
        : s.State.ExitCode === 0,
    );
    if (done && states.length > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Times {
  up: number[];
  settled: number[];
  down: number[];
}
const newTimes = (): Times => ({ up: [], settled: [], down: [] });

async function diveRound(t: Times, file: string, instance: string, look: boolean): Promise<Snapshot | undefined> {
  const state = ['--state', `file:${join(dir, 'state')}`, '--progress', 'quiet'];
  const up = timed('node', [bin, ...state, 'deploy', '-f', file, '--instance', instance]);
  t.up.push(up);
  t.settled.push(up);
  const project: Project = {
    label: `dive.instance=${instance}`,
    serviceLabel: 'dive.service',
    prefix: `dive_${instance.toLowerCase()}_`,
    builtImage: (s) => new RegExp(`^dive-${instance.toLowerCase()}-${s}:[0-9a-f]{16}$`),
  };
  const seen = look ? await snapshot(docker, project) : undefined;
  t.down.push(timed('node', [bin, ...state, 'down', instance, '--volumes']));
  return seen;
}

async function composeRound(t: Times, file: string, project: string, look: boolean): Promise<Snapshot | undefined> {
  const began = performance.now();
  t.up.push(timed('docker-compose', ['-p', project, '-f', file, 'up', '-d']));
  await composeSettled(project);
  t.settled.push(performance.now() - began);
  const p: Project = {
    label: `com.docker.compose.project=${project}`,
    serviceLabel: 'com.docker.compose.service',
    prefix: `${project}_`,
    builtImage: (s) => new RegExp(`^${project}_${s}(:latest)?$`),
  };
  const seen = look ? await snapshot(docker, p) : undefined;
  t.down.push(timed('docker-compose', ['-p', project, '-f', file, 'down', '--volumes']));
  return seen;
}

/** What is left with a label (should be nothing after down --volumes). */
async function leftovers(label: string): Promise<number> {
  const filters = { label: [label] };
  const [c, n, v] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return c.length + n.length + (v.Volumes ?? []).length;
}

const fmt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const med = (xs: number[]): string => fmt(percentile(xs, 50));
const range = (xs: number[]): string => `${fmt(Math.min(...xs))} – ${fmt(Math.max(...xs))}`;

async function benchEntry(entry: { dir: string; file: string }): Promise<string[]> {
  const letters = () =>
    Array.from({ length: 3 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
  const instance = letters();
  const project = `divebench${instance.toLowerCase()}`;
  const file = join(corpus, entry.dir, entry.file);
  used.push({ instance, project, file });
  const dive = newTimes();
  const comp = newTimes();
  let seen: [Snapshot | undefined, Snapshot | undefined] = [undefined, undefined];
  for (let r = 0; r <= rounds; r++) {
    const first = r === 0;
    if (r % 2 === 0) {
      const a = await diveRound(dive, file, instance, first);
      const b = await composeRound(comp, file, project, first);
      if (first) seen = [a, b];
    } else {
      await composeRound(comp, file, project, false);
      await diveRound(dive, file, instance, false);
    }
  }
  const left =
    (await leftovers(`dive.instance=${instance}`)) + (await leftovers(`com.docker.compose.project=${project}`));
  const d = diff(seen[0] ?? {}, seen[1] ?? {});
  const rest = (xs: number[]) => xs.slice(1);
  const row = (name: string, t: Times, up: 'up' | 'settled') =>
    `| ${name} | ${fmt(t[up][0] ?? Number.NaN)} | ${med(rest(t[up]))} | ${range(rest(t[up]))} | ${med(rest(t.down))} | ${range(rest(t.down))} |`;
  return [
    `### ${entry.dir}`,
    '',
    `Created: ${d.same} fields the same, ${d.rows.length} different${d.rows.length === 0 ? '.' : ':'}`,
    ...(d.rows.length === 0
      ? []
      : [
          '',
          '| field | dive | docker-compose 1.29 |',
          '|---|---|---|',
          ...d.rows.map(([k, a, b]) => `| ${k} | \`${a}\` | \`${b}\` |`),
        ]),
    '',
    `| tool | up, first round (builds) | up, median of ${rounds} | range | down --volumes, median | range |`,
    '|---|---:|---:|---:|---:|---:|',
    row('`dive deploy` (returns when all are healthy)', dive, 'up'),
    row('`docker-compose up -d` (returns)', comp, 'up'),
    row('`docker-compose up -d`, then all healthy', comp, 'settled'),
    '',
    `Left after down --volumes: ${left} objects with either label.`,
    '',
  ];
}

try {
  const image = await ensureBusyboxImage(docker);
  env = { ...process.env, DIVE_TEST_IMAGE: image, COMPOSE_DOCKER_CLI_BUILD: '0', DOCKER_BUILDKIT: '0', NO_COLOR: '1' };
  bin = await buildDiveBin();
  const out = [
    '# dive deploy beside docker-compose 1.29 on the offline corpus',
    '',
    `${machine()}; docker-compose ${compose.stdout.trim()}; image ${image}; ${rounds} rounds after a first one.`,
    '',
  ];
  for (const e of entries) out.push(...(await benchEntry(e)));
  console.log(out.join('\n'));
} finally {
  for (const u of used) {
    spawnSync('docker-compose', ['-p', u.project, '-f', u.file, 'down', '--volumes', '--rmi', 'local', '-t', '0'], {
      env,
      stdio: 'ignore',
    });
    spawnSync(
      'node',
      [bin, '--state', `file:${join(dir, 'state')}`, '--progress', 'quiet', 'down', u.instance, '--volumes'],
      {
        env,
        stdio: 'ignore',
      },
    );
    await removeLabelledImages(docker, instanceLabels(u.instance));
  }
  rmSync(dir, { recursive: true, force: true });
}
