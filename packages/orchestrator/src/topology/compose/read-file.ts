import { interpolateDocument } from '../interpolate.js';
import { parseSource } from '../parse-source.js';
import { isObj, type ComposeContext, type Obj } from './context.js';

/**
 * Read another Compose file (an `extends` base or an `include`), interpolated with the project's variables.
 * @returns the document, or a sentence saying why it cannot be used
 * @internal
 */
export function readComposeFile(file: string, c: ComposeContext): Obj | string {
  const text = c.readText(file);
  if (text === undefined) return `${file} cannot be read`;
  const parsed = parseSource(text, file.toLowerCase().endsWith('.json'));
  if (Array.isArray(parsed)) return `${file}: ${parsed.map((p) => p.message).join('; ')}`;
  const interpolation = interpolateDocument(parsed.doc, c.env, { unbraced: true, missingIsWarning: true });
  if (interpolation.problems.length > 0)
    return `${file}: ${interpolation.problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`;
  try {
    const value: unknown = parsed.doc.toJS();
    return isObj(value) ? value : `${file} is not a map`;
  } catch (cause) {
    return `${file}: invalid YAML: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
}
