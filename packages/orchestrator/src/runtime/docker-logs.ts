/**
 * Split Docker's multiplexed log stream (containers without a TTY: 8-byte frame headers, stream type in byte 0,
 * big-endian length in bytes 4–7) into text; a buffer that is not multiplexed is returned as text unchanged.
 *
 * @param buffer - the body of `GET /containers/{id}/logs` with `follow=false`
 * @returns stdout and stderr interleaved in the order Docker wrote them
 */
export function demultiplex(buffer: Buffer): string {
  const first = buffer[0];
  const framed = buffer.length >= 8 && (first === 0 || first === 1 || first === 2) && buffer[1] === 0;
  if (!framed) return buffer.toString('utf8');
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, Math.min(buffer.length, offset + 8 + size)));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * The lines of a demultiplexed log, without the empty tail after the last line end.
 * @param text - log text
 * @returns the lines
 */
export function logLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
