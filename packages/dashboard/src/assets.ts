import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Readonly<Record<string, string>> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * Where the built page is: `assets/` beside the built module, `../dist/assets/` beside a source file, or the
 * installed package's `dist/assets` (when this code is bundled into another program, like the `dive` bin).
 */
function assetsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'assets'), join(here, '..', 'dist', 'assets')];
  try {
    const pkg = createRequire(import.meta.url).resolve('@dive/dashboard/package.json');
    candidates.push(join(dirname(pkg), 'dist', 'assets'));
  } catch {
    // not installed as a package: the first candidates are all there is
  }
  return candidates.find((d) => existsSync(join(d, 'app.js'))) ?? (candidates[0] as string);
}

/** The page's bundled files (made by the package build), read once and cached. Only the known names are served. */
export function createAssets(): {
  serve(name: string, res: ServerResponse): Promise<void>;
} {
  const cache = new Map<string, Buffer>();
  const base = assetsDir();
  return {
    serve: async (name, res) => {
      const type = TYPES[name];
      if (type === undefined) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      let body = cache.get(name);
      if (body === undefined) {
        body = await readFile(join(base, name)).catch(() => undefined);
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
