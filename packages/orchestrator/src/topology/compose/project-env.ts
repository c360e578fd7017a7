import { dirname, join } from 'node:path';
import type { RawProblem } from '../problems.js';
import type { ReadText } from './context.js';
import { parseDotEnv } from './dotenv.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables a Compose file is interpolated with, and what went wrong reading them. @internal */
export interface ProjectEnv {
  readonly env: Env;
  readonly problems: RawProblem[];
}

/**
 * The project's variables, as Compose builds them: the `.env` beside the file (or, when given, the `--env-file`
 * files instead, later ones winning), under the process environment, which always wins. A missing `.env` is
 * fine; a missing `--env-file` is a problem.
 * @internal
 */
export function projectEnv(
  file: string,
  processEnv: Env,
  envFiles: readonly string[] | undefined,
  read: ReadText,
): ProjectEnv {
  const problems: RawProblem[] = [];
  const files = envFiles ?? [join(dirname(file), '.env')];
  const values: Record<string, string> = {};
  for (const path of files) {
    const text = read(path);
    if (text === undefined) {
      if (envFiles !== undefined) problems.push({ path: [], message: `env file ${path} cannot be read` });
      continue;
    }
    const parsed = parseDotEnv(text, { ...values, ...processEnv });
    for (const p of parsed.problems) problems.push({ path: [], message: `${path}:${p.line}: ${p.message}` });
    Object.assign(values, parsed.values);
  }
  const env: Record<string, string | undefined> = { ...values };
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) env[k] = v;
  return { env, problems };
}
