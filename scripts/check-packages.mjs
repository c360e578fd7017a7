#!/usr/bin/env node
// For every publishable package: pack it (pnpm pack rewrites workspace:/catalog: ranges), run publint --strict
// and attw --profile esm-only on the tarball, then install all tarballs into a fresh temporary project and both
// import() and require() each package there on this Node. Exits non-zero on the first failing step.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const work = mkdtempSync(join(tmpdir(), 'dive-check-packages-'));
const packDir = join(work, 'tarballs');
const app = join(work, 'app');

const run = (cmd, args, opts = {}) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  } catch (e) {
    process.stderr.write(`\n✗ ${cmd} ${args.join(' ')}\n${e.stdout ?? ''}${e.stderr ?? ''}\n`);
    throw new Error(`check:packages failed at: ${cmd} ${args.join(' ')}`);
  }
};
const log = (msg) => process.stderr.write(`[check:packages] ${msg}\n`);

const packages = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((d) => existsSync(join(d, 'package.json')))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private)
  // `node scripts/check-packages.mjs errors locks` checks only those packages.
  .filter(({ dir }) => only.length === 0 || only.some((o) => dir.endsWith(`/packages/${o}`)));

try {
  run('mkdir', ['-p', packDir, app]);
  const tarballs = {};
  for (const { dir, pkg } of packages) {
    if (!existsSync(join(dir, 'dist', 'index.js'))) throw new Error(`${pkg.name}: dist/ missing — run the build first`);
    const out = run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', packDir], { cwd: dir })
      .trim()
      .split('\n')
      .pop();
    const tarball = resolve(dir, out);
    tarballs[pkg.name] = tarball;
    run('npx', ['publint', 'run', tarball, '--strict'], { cwd: root });
    run('npx', ['attw', tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji'], { cwd: root });
    log(`${pkg.name}: packed, publint --strict ✓, attw esm-only ✓`);
  }
  const spec = Object.fromEntries(Object.entries(tarballs).map(([n, t]) => [n, `file:${t}`]));
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'dive-consumer',
        private: true,
        version: '0.0.0',
        dependencies: { ...spec, neverthrow: '^8.2.0' },
        overrides: spec,
      },
      null,
      2,
    ),
  );
  log(`installing ${Object.keys(spec).length} tarballs into a fresh project (${app})`);
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });
  const specifiers = packages.flatMap(({ pkg }) =>
    Object.keys(pkg.exports ?? { '.': null })
      .filter((sub) => sub !== './package.json')
      .map((sub) => (sub === '.' ? pkg.name : `${pkg.name}${sub.slice(1)}`)),
  );
  for (const name of specifiers) {
    const esm = `const m = await import(${JSON.stringify(name)}); const n = Object.keys(m).length; if (n === 0) throw new Error('no exports'); console.log('import', ${JSON.stringify(name)}, n, 'exports');`;
    const cjs = `const m = require(${JSON.stringify(name)}); const n = Object.keys(m).length; if (n === 0) throw new Error('no exports'); console.log('require', ${JSON.stringify(name)}, n, 'exports');`;
    writeFileSync(join(app, 'esm.mjs'), esm);
    writeFileSync(join(app, 'cjs.cjs'), cjs);
    process.stderr.write(run('node', ['esm.mjs'], { cwd: app }));
    process.stderr.write(run('node', ['cjs.cjs'], { cwd: app }));
  }
  log(`all ${packages.length} packages pass on node ${process.version}`);
} finally {
  if (keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
