import { createRequire } from 'node:module';
import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * CommonJS dependencies the bin loads on first use instead of at start-up. The DIVE packages import them at the top
 * of modules every command reaches (the PostgreSQL lock manager sits beside the file one in @dive/locks; @dive/metrics
 * imports prom-client), so in the bin each import gets a stand-in module: its exports are proxies that `require()`
 * the package the first time one is used (called, constructed or read). `dive status` on file state then never
 * loads pg or prom-client; a command that uses them loads them when it does.
 */
const LAZY = ['pg', 'prom-client'];
const lazyDependencies: Plugin = {
  name: 'lazy-dependencies',
  setup(build) {
    const requireHere = createRequire(import.meta.url);
    build.onResolve({ filter: new RegExp(`^(${LAZY.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'lazy',
    }));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => {
      const names = Object.keys(requireHere(args.path) as object).filter(
        (n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n),
      );
      const id = JSON.stringify(args.path);
      return {
        loader: 'js',
        resolveDir: import.meta.dirname,
        contents: [
          `import { createRequire } from 'node:module';`,
          `const require = createRequire(import.meta.url);`,
          `let loaded;`,
          `const load = () => (loaded ??= require(${id}));`,
          `const lazy = (pick) => new Proxy(function () {}, {`,
          `  get: (_, key) => Reflect.get(pick(), key),`,
          `  has: (_, key) => Reflect.has(pick(), key),`,
          `  apply: (_, self, args) => Reflect.apply(pick(), self, args),`,
          `  construct: (_, args, newTarget) => Reflect.construct(pick(), args, newTarget),`,
          `  getPrototypeOf: () => Reflect.getPrototypeOf(pick()),`,
          `});`,
          `export default lazy(load);`,
          ...names.map((n) => `export const ${n} = lazy(() => load().${n});`),
        ].join('\n'),
      };
    });
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
    // The `dive` bin: one bundle with the DIVE packages and @opentelemetry/api inside and a lazy chunk per command,
    // so start-up reads a few files and a command loads only what it uses (docs/benchmarks.md: CLI start-up).
    entry: { bin: 'src/cli/bin.ts' },
    format: ['esm'],
    // The root tsconfig maps @dive/* to each package's src, so the bundle is built from sources and unused
    // modules are left out file by file.
    tsconfig: '../../tsconfig.json',
    sourcemap: true,
    splitting: true,
    target: 'node20',
    // Listed so tsup's resolver leaves them to the bundle (the DIVE packages, @opentelemetry/api) or to ours (LAZY).
    noExternal: [/^@dive\//, '@opentelemetry/api', ...LAZY],
    esbuildPlugins: [lazyDependencies],
    outDir: 'dist/cli',
    clean: true,
  },
]);
