#!/usr/bin/env node
// Bundle the page (Preact + htm + the page's modules) into dist/assets/app.js and copy its stylesheet: everything the
// dashboard serves is in the package, nothing is fetched from a CDN. Run after tsup (which cleans dist/).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `node scripts/build-page.mjs [OUT]`: OUT defaults to dist/assets (the size test builds into a temporary one).
const out = process.argv[2] ?? join(root, 'dist', 'assets');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, 'page', 'main.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome120', 'firefox120', 'safari16'],
  outfile: join(out, 'app.js'),
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(join(root, 'page', 'app.css'), join(out, 'app.css'));
