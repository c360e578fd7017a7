import { isObj, isScalar, refuse, type ComposeContext, type Obj } from './context.js';

/**
 * The instance code of a Compose file: `--instance` (the `instance` option), else `DIVE_INSTANCE` (the process
 * environment, then `.env`), else `x-dive.instance`. None of them is refused, naming all three.
 * @internal
 */
export function resolveInstance(given: string | undefined, doc: Obj, c: ComposeContext): string | undefined {
  if (given !== undefined) return given;
  const fromEnv = c.env['DIVE_INSTANCE'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const xDive = doc['x-dive'];
  if (isObj(xDive) && isScalar(xDive['instance'])) return String(xDive['instance']);
  return refuse(
    c,
    [],
    'no instance code: pass --instance USA (or { instance } to loadTopology), set DIVE_INSTANCE, or add `x-dive: { instance: USA }` at the top level',
  );
}

/** `x-dive.plain`: variable names that are not secrets. @internal */
export function plainNames(doc: Obj): Set<string> {
  const xDive = doc['x-dive'];
  const list = isObj(xDive) && Array.isArray(xDive['plain']) ? xDive['plain'] : [];
  return new Set(list.map(String));
}
