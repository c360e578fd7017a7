import { open } from 'node:fs/promises';
import { StateCorruptError } from '../errors.js';

/** Largest `state.json` read (1 MiB); a real one is well under 1 KiB. */
export const STATE_FILE_MAX_BYTES = 1024 * 1024;
/** Largest `metrics.json` read (16 MiB). */
export const METRICS_FILE_MAX_BYTES = 16 * 1024 * 1024;
/** Largest audit log, steps log or errors log read (256 MiB, about half a million audit rows). */
export const LOG_FILE_MAX_BYTES = 256 * 1024 * 1024;
/** Deepest nesting of arrays and objects accepted in a stored JSON value (state, rows, steps, metrics). */
export const MAX_JSON_DEPTH = 256;

/**
 * Read a UTF-8 file, refusing one above `maxBytes` before a byte of it is read.
 * @returns the text, or `undefined` if the file does not exist; throws `StateCorruptError` (too large) or the
 *   I/O error
 */
export async function readCapped(path: string, maxBytes: number): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw tooLarge(path, size, maxBytes);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** The `StateCorruptError` of a file above its size limit. */
export function tooLarge(path: string, size: number, maxBytes: number): StateCorruptError {
  return new StateCorruptError(`${path} is ${size} bytes, above the ${maxBytes}-byte limit for it; it was not read`, {
    context: { file: path, size, limit: maxBytes },
  });
}

/** Deepest nesting of arrays and objects in JSON text (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/**
 * Parse the JSON text of a stored file (or one line of it): nesting deeper than {@link MAX_JSON_DEPTH} and text
 * that is not JSON are `StateCorruptError` naming the file (and line).
 */
export function parseStored(text: string, file: string, line?: number): unknown {
  const where = line === undefined ? file : `${file} line ${line}`;
  const context = line === undefined ? { file } : { file, line };
  // a text shorter than twice the limit cannot nest deeper than it: no scan for the usual small row
  if (text.length > 2 * MAX_JSON_DEPTH && jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new StateCorruptError(`${where} nests deeper than ${MAX_JSON_DEPTH} levels`, { context });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new StateCorruptError(`${where} is not valid JSON: ${(e as Error).message}`, { context, cause: e });
  }
}
