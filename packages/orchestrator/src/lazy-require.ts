import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on first use rather than when this package is imported, so a command or an
 * embedding that never touches Docker or PostgreSQL does not pay for loading dockerode or pg.
 * @param id - the package name, e.g. `dockerode`
 * @returns a function giving the module (loaded once)
 * @internal
 */
export function lazyRequire(id: string): () => unknown {
  let loaded: unknown;
  return () => (loaded ??= require(id) as unknown);
}
