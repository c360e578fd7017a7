// A Compose file's `env_file` values are secrets (unless `x-dive.plain`): the BUILT `dive` deploys a container
// service on the real Docker engine with a secret in its env_file, deploys again, then a failing deploy (rolled back; its container prints the value, redacted in the report),
// then `dive rollback` to the first generation with the env_file gone (SecretUnavailableError naming the service and
// the file, exit 2) and back in place (the new container gets the value read again from the file). No file under the
// state directory holds the value and nothing printed does; a plain variable is kept as written.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  dockerClient,
  ensureBusyboxImage,
  instanceLabels,
  listLabelledContainers,
  removeLabelledContainers,
  uniqueSuffix,
} from '@dive/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerRuntime } from '../runtime/docker-runtime.js';
import { faultSuite, spawnDive } from './faults.test-helpers.js';
import { filesHolding, stateFiles } from './secrets.test-helpers.js';

const SECRET = `envfile-${uniqueSuffix()}-secret`;
const LEVEL = 'level-plain-8e41c0';
const docker = dockerClient();
const suite = faultSuite('env-file-secrets');
const instance = `E${uniqueSuffix()
  .replace(/[^a-z]/g, '')
  .toUpperCase()
  .padEnd(2, 'Q')
  .slice(-2)}`;
const state = ['--state', `file:${join(suite.dir, '.dive')}`, '--progress', 'quiet'];
let image = '';

/** Generation `fail` prints its key (which must reach no output unredacted) and exits before it is healthy. */
const compose = (generation: string): string => `x-dive: { instance: ${instance}, plain: [LOG_LEVEL] }
services:
  api:
    image: ${image}
    env_file: app.env
    environment: { HEALTH_MODE: pass, GENERATION: ${generation} }
${generation === 'fail' ? "    command: ['sh', '-c', 'echo key=$$API_KEY; sleep 1; exit 3']\n" : ''}`;

/** The environment of the instance's running api container. */
async function runningEnv(): Promise<string[]> {
  const [c] = await listLabelledContainers(docker, instanceLabels(instance), { running: true });
  if (c === undefined) return [];
  return (await docker.getContainer(c.Id).inspect()).Config.Env;
}

beforeAll(async () => {
  image = await ensureBusyboxImage(docker);
}, 120_000);

afterAll(async () => {
  await removeLabelledContainers(docker, instanceLabels(instance));
  const runtime = dockerRuntime({ docker });
  await runtime.removeResources?.(instance, { volumes: true });
  await runtime[Symbol.asyncDispose]();
}, 60_000);

describe('compose env_file values stay out of what DIVE persists', () => {
  it('deploy, failed deploy, rollback: a reference to the file is kept, the file is read again', async () => {
    writeFileSync(join(suite.dir, 'app.env'), `API_KEY=${SECRET}\nLOG_LEVEL=${LEVEL}\n`);
    for (const generation of ['one', 'two', 'fail'])
      writeFileSync(join(suite.dir, `${generation}.yml`), compose(generation));
    const printed: string[] = [];
    // Spawned, not run to a fixed deadline: the failing deploy retries its start 5 times (40-60 s under load).
    const run = async (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> => {
      const running = spawnDive(suite.dir, [...state, ...args]);
      const r = { code: await running.exited, stdout: running.stdout(), stderr: running.stderr() };
      printed.push(r.stdout, r.stderr);
      return r;
    };
    expect((await run(['deploy', '-f', 'one.yml'])).code).toBe(0);
    const two = await run(['--json', 'deploy', '-f', 'two.yml']);
    expect(two.code, two.stderr).toBe(0);
    // The checkpoint taken before `two` started holds generation one.
    const before = (JSON.parse(two.stdout) as { checkpointId: string }).checkpointId;
    const failed = await run(['--json', 'deploy', '-f', 'fail.yml']);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toContain('key=[REDACTED]'); // the log tail of the report, redacted by value

    renameSync(join(suite.dir, 'app.env'), join(suite.dir, 'away.env'));
    const gone = await run(['--json', 'rollback', instance, before]);
    expect(gone.code).toBe(2);
    const { error } = JSON.parse(gone.stdout) as { error: { _tag: string; code: number; context: unknown } };
    expect(error).toMatchObject({ _tag: 'SecretUnavailableError', code: 1003 });
    expect(error.context).toMatchObject({ files: [{ service: 'api', file: join(suite.dir, 'app.env') }] });
    expect(gone.stderr).toContain(`env_file ${join(suite.dir, 'app.env')} of service api cannot be read`);

    renameSync(join(suite.dir, 'away.env'), join(suite.dir, 'app.env'));
    const back = await run(['rollback', instance, before]);
    expect(back.code, back.stderr).toBe(0);
    expect(await runningEnv()).toEqual(expect.arrayContaining([`API_KEY=${SECRET}`, 'GENERATION=one']));

    const root = join(suite.dir, '.dive');
    expect(filesHolding(root, [SECRET])).toEqual([]);
    const checkpoints = stateFiles(root).filter(([p]) => p.includes('checkpoints'));
    expect(checkpoints.some(([, text]) => text.includes('${DIVE_ENV_FILE_0_API_KEY}'))).toBe(true);
    expect(checkpoints.some(([, text]) => text.includes(LEVEL))).toBe(true); // x-dive.plain: kept as written
    expect(printed.filter((text) => text.includes(SECRET))).toEqual([]);

    expect((await run(['down', instance])).code).toBe(0);
  }, 300_000);
});
