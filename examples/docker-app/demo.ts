/**
 * A small application on Docker: builds the busybox test image FROM scratch (no registry needed), then deploys
 * `dive.yaml` — a database with a named volume on an internal network, and a web image built from `web/` that
 * publishes a port on 127.0.0.1 — prints its status, and with `--down` takes it down (`--volumes` also removes the
 * data). Run: `npx -y pnpm@10 --filter @dive/example-docker-app start`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { runCli } from '@dive/orchestrator';
import { ensureBusyboxImage } from '@dive/test-utils';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Where the example runs; tests pass a copy of their own, so a user's deployment of the example is never touched. */
export interface DockerAppPlace {
  /** Holds `dive.yaml` (and what it names) and the state, `<dir>/.dive`. Default: this directory. */
  readonly dir?: string;
  /** The instance code `dive.yaml` declares. Default `APP`. */
  readonly instance?: string;
}

/** Deploy the example and print its status; `--down` takes it down again (`--volumes`: its data too). */
export async function dockerApp(
  args: readonly string[],
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
  { dir = here, instance = 'APP' }: DockerAppPlace = {},
): Promise<number> {
  const docker = new Docker();
  const base = await ensureBusyboxImage(docker);
  const io = { stdout: out.stdout, stderr: out.stderr, env: { ...process.env, BASE_IMAGE: base }, cwd: dir };
  const state = ['--state', `file:${join(dir, '.dive')}`];
  const code = await runCli([...state, 'deploy', '-f', join(dir, 'dive.yaml')], io);
  if (code === 0) {
    // The runtime is the recorded one: no --runtime needed from here on.
    await runCli([...state, 'status', instance], io);
  }
  if (args.includes('--down')) {
    await runCli([...state, 'down', instance, ...(args.includes('--volumes') ? ['--volumes'] : [])], io);
  }
  return code;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await dockerApp(process.argv.slice(2));
}
