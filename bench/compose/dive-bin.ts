/**
 * The dive CLI as one bundled file built from the sources (esbuild, as `pnpm build` does with tsup), so the
 * bench runs `node dive.mjs …` as a user runs the installed bin: no TypeScript compiled at start-up. The
 * workspace packages are bundled from their sources (tsconfig paths); npm packages stay external and resolve
 * from the orchestrator package's node_modules, where the file is written (node_modules/.cache/dive-bench).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outfile = `${root}packages/orchestrator/node_modules/.cache/dive-bench/dive.mjs`;

interface EsbuildPlugin {
  readonly name: string;
  setup(build: {
    onResolve(o: { filter: RegExp }, cb: (a: { path: string }) => { external: boolean } | undefined): void;
  }): void;
}
interface Esbuild {
  build(options: Record<string, unknown> & { plugins: EsbuildPlugin[] }): Promise<unknown>;
}

/** Bundle the CLI; returns the path of the file to run with node. */
export async function buildDiveBin(): Promise<string> {
  // esbuild comes with tsup (a root dev dependency); it is not a dependency of the bench itself.
  const esbuild = createRequire(createRequire(`${root}package.json`).resolve('tsup'))('esbuild') as Esbuild;
  const npmPackagesExternal: EsbuildPlugin = {
    name: 'npm-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@dive/') ? undefined : { external: true }));
    },
  };
  await esbuild.build({
    entryPoints: [`${root}packages/orchestrator/src/cli/bin.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: `${root}tsconfig.json`,
    logLevel: 'warning',
    plugins: [npmPackagesExternal],
  });
  return outfile;
}
