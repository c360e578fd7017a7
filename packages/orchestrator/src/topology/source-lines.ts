import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/** Finds the line of a field path in a parsed document. @internal */
export type LineOf = (path: readonly (string | number)[]) => number | undefined;

/** The key of a map pair as a plain value (`services`, `0`, …). */
const keyOf = (key: unknown): unknown => (isScalar(key) ? key.value : key);

/**
 * Map field paths to 1-based lines of a YAML (or JSON) document. A path that does not exist in the document
 * (a missing required field) maps to its deepest existing ancestor; a map entry maps to the line of its key.
 * @internal
 */
export function lineMapper(doc: Document, counter: LineCounter): LineOf {
  const lineAt = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : counter.linePos(offset).line;
  return (path) => {
    let node: unknown = doc.contents;
    let line = lineAt(doc.contents?.range?.[0]);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => String(keyOf(p.key)) === String(segment));
        if (pair === undefined) break;
        line = lineAt((pair.key as Node | null)?.range?.[0]) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (item === undefined) break;
        line = lineAt(item.range?.[0]) ?? line;
        node = item;
      } else break;
    }
    return line;
  };
}
