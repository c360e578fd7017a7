/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
import { DEFAULT_CONDITION } from '../types.js';
import { RANK_CONDITION, type Compiled } from './compiled.js';

/** The label of an edge: its condition, unless it is the default. */
function edgeLabel(rank: number): string | undefined {
  const condition = RANK_CONDITION[rank];
  return condition === DEFAULT_CONDITION ? undefined : condition;
}

/** Mermaid text inside `"…"`: quotes and markup characters become Mermaid entity codes. */
function mermaidText(text: string): string {
  return text.replace(/[#"<>&|[\]{}()`\r\n]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** A DOT double-quoted string. */
function dotString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')}"`;
}

/**
 * A Mermaid flowchart: nodes get ids `s0…` by name order and quoted labels; one line per edge, dependency first,
 * in the order of the dependents' rows.
 */
export function toMermaid(g: Compiled): string {
  const lines = ['flowchart LR'];
  g.names.forEach((name, v) => lines.push(`  s${v}["${mermaidText(name)}"]`));
  for (let v = 0; v < g.names.length; v++) {
    for (let e = g.depStart[v]!; e < g.depStart[v + 1]!; e++) {
      const label = edgeLabel(g.depCond[e]!);
      lines.push(`  s${g.depList[e]!} -->${label === undefined ? '' : `|${label}|`} s${v}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A Graphviz digraph with the same nodes and edges as {@link toMermaid}. */
export function toDot(g: Compiled): string {
  const lines = ['digraph dependencies {', '  rankdir=LR;'];
  for (const name of g.names) lines.push(`  ${dotString(name)};`);
  for (let v = 0; v < g.names.length; v++) {
    for (let e = g.depStart[v]!; e < g.depStart[v + 1]!; e++) {
      const label = edgeLabel(g.depCond[e]!);
      const attrs = label === undefined ? '' : ` [label=${dotString(label)}]`;
      lines.push(`  ${dotString(g.names[g.depList[e]!]!)} -> ${dotString(g.names[v]!)}${attrs};`);
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
