// Shared by the Docker rollback int tests: unique instance codes, a command run inside a container, and the
// clean-up of everything an instance left (containers, retired ones included, networks, volumes).
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { Runtime } from '../runtime/types.js';

/** A random three-letter instance code (the topology schema wants them; other tests run beside). */
export function instanceCode(used: string[]): string {
  const letters = [...randomBytes(3)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
  used.push(letters);
  return letters;
}

/** Run a command in a running container; its stdout and stderr, and its exit code. */
export async function execIn(docker: Docker, id: string, cmd: string[]): Promise<{ output: string; exitCode: number }> {
  const e = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  // The multiplexed stream: 8-byte frame headers, then the payload.
  const all = Buffer.concat(chunks);
  let output = '';
  for (let at = 0; at + 8 <= all.length;) {
    const size = all.readUInt32BE(at + 4);
    output += all.subarray(at + 8, at + 8 + size).toString();
    at += 8 + size;
  }
  return { output, exitCode: (await e.inspect()).ExitCode ?? -1 };
}

/** Every container of an instance (running or not, retired ones too): name, id, state. */
export async function containersOf(
  docker: Docker,
  instance: string,
): Promise<{ name: string; id: string; state: string; service: string }[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`dive.instance=${instance}`] } });
  return list.map((c) => ({
    name: (c.Names[0] ?? '').replace(/^\//, ''),
    id: c.Id,
    state: c.State,
    service: c.Labels['dive.service'] ?? '',
  }));
}

/** Remove whatever the instances left: containers (forced), then their networks and volumes. */
export async function removeInstances(docker: Docker, runtime: Runtime, instances: readonly string[]): Promise<void> {
  for (const instance of instances) {
    for (const c of await containersOf(docker, instance)) {
      await docker
        .getContainer(c.id)
        .remove({ force: true })
        .catch(() => undefined);
    }
    await runtime.removeResources?.(instance, { volumes: true });
  }
}
