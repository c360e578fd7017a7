import type Docker from 'dockerode';

/**
 * The last `tail` log lines of a container, stdout and stderr demultiplexed from Docker's 8-byte frame headers
 * (or raw text for TTY containers). Never throws: a failure gives `[]`.
 * @param container - a dockerode container
 * @param tail - how many lines (default 50)
 * @returns the lines, oldest first, without empty ones
 */
export async function lastLogLines(container: Docker.Container, tail = 50): Promise<string[]> {
  try {
    const raw = await container.logs({ stdout: true, stderr: true, tail, follow: false });
    return demux(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))
      .split('\n')
      .filter((l) => l !== '')
      .slice(-tail);
  } catch {
    return [];
  }
}

/**
 * Strip Docker's multiplexing headers (`[stream, 0, 0, 0, size(4 bytes BE)]`) from a log or exec stream body.
 * @param buf - the body (`follow=false`), framed (no TTY) or not
 * @returns stdout and stderr as text, in the order Docker wrote them; non-framed input as is
 */
export function demux(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const type = buf[i];
    if ((type !== 0 && type !== 1 && type !== 2) || buf[i + 1] !== 0 || buf[i + 2] !== 0 || buf[i + 3] !== 0) {
      return buf.toString('utf8');
    }
    const size = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  if (i !== buf.length && parts.length === 0) return buf.toString('utf8');
  return Buffer.concat(parts).toString('utf8');
}
