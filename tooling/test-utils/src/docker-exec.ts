import type Docker from 'dockerode';

/** What {@link execInContainer} saw: the command's stdout and stderr together, and its exit code. */
export interface ExecResult {
  readonly output: string;
  readonly exitCode: number;
}

/** Run a command in a running container and wait for it; its output (stdout and stderr) and exit code. */
export async function execInContainer(docker: Docker, id: string, cmd: readonly string[]): Promise<ExecResult> {
  const e = await docker.getContainer(id).exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true });
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
