import { isAbsolute, resolve } from 'node:path';
import { isObj, refuse, text, warn, type ComposeContext } from './context.js';
import type { KeyHandler } from './handler.js';
import { keyValues } from './values.js';

const REMOTE = /^(https?:\/\/|git@|git:\/\/|github\.com\/)/;

function context(text: string, c: ComposeContext): string {
  return isAbsolute(text) ? text : resolve(c.dir, text);
}

/** `build`: a context path, or `{ context, dockerfile, args, target }` (other build options are warned). @internal */
export const buildHandlers = {
  build: (v, at, d, c) => {
    const spec = isObj(v) ? v : { context: v };
    const ctx = text(spec['context'] ?? '.');
    if (REMOTE.test(ctx))
      return refuse(c, isObj(v) ? [...at, 'context'] : at, 'a remote build context is not supported');
    const build: Record<string, unknown> = { context: context(ctx, c) };
    for (const [key, value] of Object.entries(spec)) {
      const keyAt = [...at, key];
      if (key === 'context') continue;
      if (key === 'dockerfile' || key === 'target') build[key] = String(value);
      else if (key === 'args')
        build['args'] = keyValues(value, keyAt, c, (name) => c.env[name]); // a bare arg is read from the environment
      else if (key === 'dockerfile_inline') refuse(c, keyAt, 'dockerfile_inline is not supported; use a Dockerfile');
      else if (!key.startsWith('x-')) warn(c, keyAt, `service '${d.name}': build option '${key}' is ignored`);
    }
    d.container['build'] = build;
    return undefined;
  },
} satisfies Readonly<Record<string, KeyHandler>>;
