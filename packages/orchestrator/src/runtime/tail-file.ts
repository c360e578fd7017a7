import { open } from 'node:fs/promises';

/** How much of the end of a log file is read to find its last lines. */
const WINDOW = 1024 * 1024;

/**
 * The last `tail` lines of a text file (at most its last MiB is read); a missing file has no lines.
 * @param path - the file
 * @param tail - how many lines
 * @returns the lines, oldest first, without their line ends
 */
export async function tailFile(path: string, tail: number): Promise<string[]> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, WINDOW);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    if (length < size) lines.shift(); // the first line is cut
    return tail <= 0 ? [] : lines.slice(-tail);
  } finally {
    await handle.close();
  }
}
