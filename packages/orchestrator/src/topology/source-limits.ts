/** Largest topology file read (1 MiB); real ones are a few KiB. Larger files are refused before they are read. */
export const TOPOLOGY_FILE_MAX_BYTES = 1024 * 1024;
/** Deepest bracket nesting (`[`/`{` of YAML flow collections or JSON) accepted before parsing. */
export const TOPOLOGY_MAX_NESTING = 64;

/**
 * The first line where flow-collection or JSON nesting goes deeper than {@link TOPOLOGY_MAX_NESTING}, skipping
 * quoted strings and `#` comments; `undefined` when it never does. A cheap scan run before the parser, whose
 * recursion a deeply nested document would otherwise exhaust.
 * @internal
 */
export function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let line = 1;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) line++;
    if (quote !== 0) {
      if (c === 0x5c && quote === 0x22) i++;
      else if (c === quote || c === 0x0a) quote = quote === c || quote === 0x27 ? 0 : quote;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x23 && (i === 0 || text.charCodeAt(i - 1) <= 0x20)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end - 1;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > TOPOLOGY_MAX_NESTING) return line;
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
  }
  return undefined;
}
