/**
 * The hub on Docker: builds the busybox image FROM scratch (no registry needed), tags it
 * `dive-example-busybox:1`, deploys `dive.yaml` with the Docker runtime and the embedded file state, and — with
 * `--down` — removes the containers again. Run: `npx -y pnpm@10 --filter @dive/example-docker-hub start`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { runCli } from '@dive/orchestrator';
import { ensureBusyboxImage } from '@dive/test-utils';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Run the Docker demo. `stateDir` (default `examples/docker-hub/.dive`) holds the state; tests pass their own.
 */
export async function dockerHub(
  args: readonly string[],
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
  stateDir: string = join(here, '.dive'),
): Promise<number> {
  const docker = new Docker();
  const built = await ensureBusyboxImage(docker);
  const [repo, tag] = built.split(':');
  await docker.getImage(`${repo ?? ''}:${tag ?? ''}`).tag({ repo: 'dive-example-busybox', tag: '1' });
  const io = { stdout: out.stdout, stderr: out.stderr, env: process.env, cwd: here };
  const state = ['--state', `file:${stateDir}`];
  const code = await runCli([...state, 'deploy', '-f', 'dive.yaml', '--runtime', 'docker'], io);
  if (args.includes('--down')) await runCli([...state, '--quiet', 'down', 'HUB', '--runtime', 'docker'], io);
  return code;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await dockerHub(process.argv.slice(2));
}
