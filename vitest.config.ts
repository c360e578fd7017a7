import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string, entry = 'index.ts'): string =>
  fileURLToPath(new URL(`./packages/${name}/src/${entry}`, import.meta.url));

/** Resolve `@dive/*` to sources so tests need no build (mirrors tsconfig.json paths). */
const alias = [
  {
    find: /^@dive\/test-utils$/,
    replacement: fileURLToPath(new URL('./tooling/test-utils/src/index.ts', import.meta.url)),
  },
  { find: /^@dive\/([a-z-]+)\/testing$/, replacement: pkg('$1', 'testing/index.ts') },
  { find: /^@dive\/([a-z-]+)$/, replacement: pkg('$1') },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'tooling/*/src/**/*.test.ts', 'examples/*/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
          // A liveness bound, not a speed test: on a loaded 2-core machine a test that takes 1 s alone can take 15.
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'int',
          include: ['packages/*/src/**/*.int.test.ts', 'tooling/*/src/**/*.int.test.ts', 'examples/*/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['tooling/test-utils/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
