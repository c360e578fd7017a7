import { Document, LineCounter, parseDocument } from 'yaml';
import type { RawProblem } from './problems.js';

/** A parsed topology source with a way back to lines. @internal */
export interface ParsedSource {
  readonly doc: Document;
  readonly counter: LineCounter;
}

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** A JSON syntax error as a problem naming line and column. */
function jsonProblem(text: string, error: unknown): RawProblem {
  const message = error instanceof Error ? error.message : String(error);
  const explicit = /\(line (\d+) column (\d+)\)/.exec(message);
  const offset = /position (\d+)/.exec(message);
  const at = explicit
    ? { line: Number(explicit[1]), column: Number(explicit[2]) }
    : position(text, offset ? Number(offset[1]) : text.length);
  const what = message.replace(/,? ?(in JSON )?at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)/, '');
  return { path: [], line: at.line, message: `invalid JSON at line ${at.line}, column ${at.column}: ${what}` };
}

/**
 * Parse YAML or JSON keeping node ranges (JSON is parsed by the YAML parser too, so both map fields to lines).
 * JSON syntax is checked with `JSON.parse` first so its errors read as JSON errors.
 * @returns the document, or the syntax problems (each with its line)
 * @internal
 */
export function parseSource(text: string, json: boolean): ParsedSource | RawProblem[] {
  let jsonValue: unknown;
  if (json) {
    try {
      jsonValue = JSON.parse(text);
    } catch (error) {
      return [jsonProblem(text, error)];
    }
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true, merge: true });
  if (doc.errors.length === 0) return { doc, counter };
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  // Valid JSON the YAML parser refuses (rare: tabs in odd places): keep the value, lose the lines.
  if (json && duplicates.length === 0) return { doc: new Document(jsonValue), counter };
  return (json ? duplicates : doc.errors).map((e) => ({
    path: [],
    ...(e.linePos ? { line: e.linePos[0].line } : {}),
    message: `invalid ${json ? 'JSON' : 'YAML'}: ${(e.message.split('\n')[0] ?? e.code).replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
}
