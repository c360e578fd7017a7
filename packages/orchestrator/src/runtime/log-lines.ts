/**
 * The lines of a log text, without the empty tail after the last line end.
 * @param text - log text (Docker's already demultiplexed by @dive/health's `demuxDockerLogs`)
 * @returns the lines
 */
export function logLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
