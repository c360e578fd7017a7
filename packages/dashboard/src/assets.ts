import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

const TYPES: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * The page's bundled files, read once from `dist/assets` next to the built module (the package build makes them;
 * from sources, `packages/dashboard/dist/assets` after `pnpm build`). Only the known names are served.
 */
export function createAssets(dir: URL = new URL('../dist/assets/', import.meta.url)): {
  serve(name: string, res: ServerResponse): Promise<void>;
} {
  const cache = new Map<string, Buffer>();
  const base = import.meta.url.includes('/dist/') ? new URL('./assets/', import.meta.url) : dir;
  return {
    serve: async (name, res) => {
      const type = TYPES[name];
      if (type === undefined) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      let body = cache.get(name);
      if (body === undefined) {
        body = await readFile(fileURLToPath(new URL(name, base))).catch(() => undefined);
        if (body === undefined) {
          res.writeHead(503, { 'Content-Type': 'text/plain' }).end('dashboard assets missing: build @dive/dashboard');
          return;
        }
        cache.set(name, body);
      }
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length }).end(body);
    },
  };
}
