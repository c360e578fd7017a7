import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * Importing these packages has no side effect DIVE relies on: marked so, esbuild drops a module of the bundle that
 * is imported but unused (the PostgreSQL store when state is in files), and with it the `import pg`.
 */
const PURE_DEPENDENCIES = [
  'pg',
  'dockerode',
  'prom-client',
  '@opentelemetry/api',
  'yaml',
  'zod',
  'neverthrow',
  'commander',
];
const pureDependencies: Plugin = {
  name: 'pure-dependencies',
  setup(build) {
    const filter = new RegExp(`^(${PURE_DEPENDENCIES.map((d) => d.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, external: true, sideEffects: false }));
  },
};

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/testing/index.ts'],
    format: ['esm'],
    dts: { compilerOptions: { composite: false } },
    tsconfig: 'tsconfig.build.json',
    sourcemap: true,
    // dist/cli is the bin's own build (below), cleaned by it.
    clean: ['**/*', '!cli/**'],
    target: 'node20',
  },
  {
    // The `dive` bin: one bundle with the DIVE packages inside and a lazy chunk per command, so start-up reads a
    // few files, and a command loads only what it uses (docs/benchmarks.md: CLI start-up).
    entry: { bin: 'src/cli/bin.ts' },
    format: ['esm'],
    // The root tsconfig maps @dive/* to each package's src, so the bundle is built from sources and unused
    // modules (the PostgreSQL lock manager for file state, …) are left out file by file.
    tsconfig: '../../tsconfig.json',
    sourcemap: true,
    splitting: true,
    target: 'node20',
    // tsup's own resolver would mark the dependencies external first, so they are listed here to reach ours.
    noExternal: [/^@dive\//, ...PURE_DEPENDENCIES],
    esbuildPlugins: [pureDependencies],
    outDir: 'dist/cli',
    clean: true,
  },
]);
