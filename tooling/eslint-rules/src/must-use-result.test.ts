// The rule on real code: a fixture project in a temporary directory, typed by its own tsconfig, with a minimal
// `neverthrow` declaration (the rule recognises Results by their declaring package).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { divePlugin } from './must-use-result.js';

const root = mkdtempSync(join(tmpdir(), 'dive-must-use-result-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let projects = 0;

/** A fresh fixture project per lint: typescript-eslint caches a program per tsconfig, so none is shared. */
function fixtureProject(code: string): string {
  const dir = join(root, `p${++projects}`);
  mkdirSync(join(dir, 'node_modules', 'neverthrow'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules', 'neverthrow', 'index.d.ts'),
    `export declare class Ok<T, E> { readonly value: T; isOk(): this is Ok<T, E>; isErr(): false; }
export declare class Err<T, E> { readonly error: E; isOk(): false; isErr(): this is Err<T, E>; }
export type Result<T, E> = Ok<T, E> | Err<T, E>;
export declare class ResultAsync<T, E> implements PromiseLike<Result<T, E>> {
  then<A, B>(ok?: (r: Result<T, E>) => A | PromiseLike<A>, ko?: (e: unknown) => B | PromiseLike<B>): PromiseLike<A | B>;
}
export declare function ok<T>(v: T): Ok<T, never>;
export declare function okAsync<T>(v: T): ResultAsync<T, never>;\n`,
  );
  writeFileSync(join(dir, 'node_modules', 'neverthrow', 'package.json'), '{"name":"neverthrow","types":"index.d.ts"}');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', target: 'ES2022', noEmit: true },
      include: ['*.ts'],
    }),
  );
  writeFileSync(join(dir, 'fixture.ts'), code);
  return dir;
}

async function lint(code: string, allowAwaited = false): Promise<number[]> {
  const dir = fixtureProject(code);
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: { project: join(dir, 'tsconfig.json'), tsconfigRootDir: dir },
        },
        plugins: { dive: divePlugin },
        rules: { 'dive/must-use-result': ['error', { allowAwaited }] },
      },
    ],
  });
  const [result] = await eslint.lintFiles([join(dir, 'fixture.ts')]);
  return (result?.messages ?? []).map((m) => m.line);
}

const fixture = `import { ok, okAsync, type Result, type ResultAsync } from 'neverthrow';
const r = (): Result<number, string> => ok(1);
const ra = (): ResultAsync<number, string> => okAsync(1);
export async function f(): Promise<number> {
  r();
  ra();
  void ra();
  await ra();
  const kept = r();
  let later: Result<number, string> | undefined;
  later = r();
  if (kept.isErr() || later.isErr()) return 0;
  return (await ra()).isOk() ? 1 : 2;
}
`;

describe('dive/must-use-result', () => {
  it('flags a Result or ResultAsync dropped as a statement, voided or awaited; not one that is used', async () => {
    expect(await lint(fixture)).toEqual([5, 6, 7, 8]);
  }, 60_000);

  it('with allowAwaited, an awaited Result statement passes; a dropped or voided one still fails', async () => {
    expect(await lint(fixture, true)).toEqual([5, 6, 7]);
  }, 60_000);
});
