import { isAbsolute, resolve } from 'node:path';
import { isObj, isScalar, refuse, warn, type ComposeContext } from './context.js';
import type { KeyHandler, ServiceDraft } from './handler.js';

type Kind = 'secrets' | 'configs';

/** Top-level `secrets` / `configs`: only `file:` sources (absolute after this, relative to the Compose file). */
export function topLevelFileSources(
  kind: Kind,
  value: unknown,
  c: ComposeContext,
): Record<string, unknown> | undefined {
  if (!isObj(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(value)) {
    const at = [kind, name];
    if (!isObj(spec) || !isScalar(spec['file'])) {
      const source = isObj(spec) ? Object.keys(spec).find((k) => !k.startsWith('x-')) : undefined;
      refuse(c, at, `only file: sources are supported${source === undefined ? '' : ` (not '${source}')`}`);
      continue;
    }
    const file = String(spec['file']);
    out[name] = { file: isAbsolute(file) ? file : resolve(c.dir, file) };
    for (const key of Object.keys(spec).filter((k) => k !== 'file' && !k.startsWith('x-')))
      warn(c, [...at, key], `${kind.slice(0, -1)} '${name}': '${key}' is ignored`);
  }
  return out;
}

function refs(kind: Kind): KeyHandler {
  return (v, at, d: ServiceDraft, c) => {
    const list: unknown[] = Array.isArray(v) ? v : [];
    d.container[kind] = list.flatMap((item, i) => {
      if (isScalar(item)) return [{ source: String(item) }];
      if (!isObj(item) || !isScalar(item['source'])) return refuse(c, [...at, i], "needs a 'source'") ?? [];
      for (const key of ['uid', 'gid', 'mode'].filter((k) => item[k] !== undefined))
        warn(c, [...at, i, key], `service '${d.name}': ${kind.slice(0, -1)} '${key}' is ignored`);
      return [
        { source: String(item['source']), ...(isScalar(item['target']) ? { target: String(item['target']) } : {}) },
      ];
    });
  };
}

/** A service's `secrets` and `configs` (each a name or `{ source, target }`). @internal */
export const fileSourceHandlers = { secrets: refs('secrets'), configs: refs('configs') } satisfies Readonly<
  Record<string, KeyHandler>
>;

/** Each secret or config a service uses is declared at the top level. @internal */
export function checkFileSourceRefs(
  services: Readonly<Record<string, Record<string, unknown>>>,
  raw: Readonly<Record<Kind, unknown>>,
  c: ComposeContext,
): void {
  for (const [name, service] of Object.entries(services)) {
    const container = service['container'] as Record<string, unknown> | undefined;
    for (const kind of ['secrets', 'configs'] as const) {
      const list = (container?.[kind] ?? []) as readonly { source: string }[];
      list.forEach((ref, i) => {
        const known = isObj(raw[kind]) && Object.hasOwn(raw[kind], ref.source);
        if (!known)
          refuse(
            c,
            ['services', name, kind, i],
            `service '${name}' uses ${kind.slice(0, -1)} '${ref.source}', which is not declared`,
          );
      });
    }
  }
}
