import { parseDocument } from 'yaml';
import { interpolateDocument } from '../interpolate.js';
import { composeToTopology, type ComposeImport, type ComposeImportOptions } from './import.js';

/** The directory the test Compose file sits in. */
export const DIR = '/project';

/**
 * Import Compose YAML text as `/project/compose.yaml` (interpolated like loadTopology does), with `files`
 * (absolute path → text) readable; the instance defaults to USA.
 */
export function importText(
  text: string,
  options: ComposeImportOptions & {
    readonly files?: Readonly<Record<string, string>>;
    /** Give no instance code (the default is USA). */
    readonly noInstance?: boolean;
  } = {},
): ComposeImport {
  const doc = parseDocument(text, { merge: true });
  const env = options.env ?? {};
  interpolateDocument(doc, env, { unbraced: true, missingIsWarning: true });
  const { files, noInstance, ...rest } = options;
  return composeToTopology(doc.toJS(), {
    ...(noInstance === true ? {} : { instance: 'USA' }),
    file: `${DIR}/compose.yaml`,
    readText: (path) => files?.[path],
    ...rest,
    env,
  });
}

/** The mapped `container` of service `name`. */
export function containerOf(result: ComposeImport, name = 'a'): Record<string, unknown> {
  const services = result.topology['services'] as Record<string, { container: Record<string, unknown> }>;
  return services[name]?.container ?? {};
}

/** The messages with their paths joined, for short asserts. */
export function messages(problems: ComposeImport['problems']): string[] {
  return problems.map((p) => `${p.path.join('.')}: ${p.message}`);
}
