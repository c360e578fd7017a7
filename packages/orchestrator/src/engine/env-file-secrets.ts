// Values a Compose `env_file` gave a service are secrets (unless `x-dive.plain`): checkpoints keep a reference to
// the file, and the values are read from it again when the checkpoint is read.
import { readFileSync } from 'node:fs';
import { SecretUnavailableError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { parseDotEnv } from '../topology/compose/dotenv.js';
import type { NamedSecret } from './checkpoint-secrets.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Variables of one service whose values came from one `env_file` (the file that won for them: a later file, or the
 * service's own `environment`, overrides an earlier one). What DIVE persists holds the reference, never the values.
 */
export interface EnvFileSecret {
  /** The service (as named in the topology). */
  readonly service: string;
  /** The file, absolute. */
  readonly file: string;
  /** Compose's `format: raw`: values taken as they are, no quotes or interpolation. */
  readonly raw?: boolean;
  /** The variables the service took from it (not `x-dive.plain`). */
  readonly names: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The stored `secretEnvFiles` as entries; anything malformed is left out (its placeholders then stay unset). */
export function parseEnvFileSecrets(value: unknown): EnvFileSecret[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (e): e is EnvFileSecret =>
      isRecord(e) &&
      typeof e['service'] === 'string' &&
      typeof e['file'] === 'string' &&
      (e['raw'] === undefined || typeof e['raw'] === 'boolean') &&
      Array.isArray(e['names']) &&
      e['names'].every((n) => typeof n === 'string'),
  );
}

/** One entry's list and a key that identifies it (service and file). */
const keyOf = (e: EnvFileSecret): string => `${e.service}\u0000${e.file}`;

/** Entries merged by service and file (names united), in first-seen order. */
export function mergeEnvFileSecrets(...lists: readonly (readonly EnvFileSecret[])[]): EnvFileSecret[] {
  const byKey = new Map<string, EnvFileSecret>();
  for (const e of lists.flat()) {
    const seen = byKey.get(keyOf(e));
    const names = [...new Set([...(seen?.names ?? []), ...e.names])];
    byKey.set(keyOf(e), { ...(seen ?? e), names });
  }
  return [...byKey.values()];
}

/**
 * The variable each (entry, name) is written as in a checkpoint: `DIVE_ENV_FILE_<entry>_<NAME>` (characters a
 * variable name cannot hold become `_`, and a name that then repeats one of its entry gets its position too), so that
 * two files giving the same name different values never share a reference.
 */
export function envFilePlaceholders(
  entries: readonly EnvFileSecret[],
): { readonly entry: EnvFileSecret; readonly name: string; readonly variable: string }[] {
  return entries.flatMap((entry, i) => {
    const used = new Set<string>();
    return entry.names.map((name, j) => {
      let variable = `DIVE_ENV_FILE_${i}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
      if (used.has(variable)) variable = `${variable}_${j}`;
      used.add(variable);
      return { entry, name, variable };
    });
  });
}

/** `environment` of a service in a topology-shaped value (`services.<name>.container.environment`). */
function environmentIn(topology: unknown, service: string): Record<string, unknown> | undefined {
  const services = isRecord(topology) ? topology['services'] : undefined;
  const spec = isRecord(services) ? services[service] : undefined;
  return environmentOfSpec(spec);
}

/** `container.environment` of a service spec. */
function environmentOfSpec(spec: unknown): Record<string, unknown> | undefined {
  const container = isRecord(spec) ? spec['container'] : undefined;
  const environment = isRecord(container) ? container['environment'] : undefined;
  return isRecord(environment) ? environment : undefined;
}

/**
 * The env_file secrets as the deployed topology holds them (the values are what was deployed), each named by its
 * placeholder. A name whose value is not a string there is left out.
 * @param entries - the env_file entries
 * @param topology - the topology (or a checkpoint's), read at `services.<service>.container.environment`
 * @param specs - a checkpoint's service specs, read when the topology has no value
 */
export function envFileSecretsIn(
  entries: readonly EnvFileSecret[],
  topology: unknown,
  specs: (service: string) => unknown = () => undefined,
): NamedSecret[] {
  return envFilePlaceholders(entries).flatMap(({ entry, name, variable }) => {
    const value = environmentIn(topology, entry.service)?.[name] ?? environmentOfSpec(specs(entry.service))?.[name];
    return typeof value === 'string' ? [{ name: variable, value }] : [];
  });
}

/** The variables of one env_file read now, or undefined when it cannot be read. */
function readEntry(entry: EnvFileSecret, env: Env): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(entry.file, 'utf8');
  } catch {
    return undefined;
  }
  return parseDotEnv(text, env, entry.raw === true).values;
}

/**
 * Read the env_files again (with `env` for their `${VAR}`s, as Compose does) and give each value its placeholder.
 * @param entries - the env_file entries of a checkpoint
 * @param env - the environment now
 * @param id - the checkpoint id, for the error
 * @returns Ok the secrets; Err `SecretUnavailableError` (1003) naming each service and file that cannot be read, or
 *   the variables a file no longer sets (`context.files`: `{ service, file, variables? }`)
 */
export function readEnvFileSecrets(
  entries: readonly EnvFileSecret[],
  env: Env,
  id: string,
): Result<NamedSecret[], SecretUnavailableError> {
  const values = new Map(entries.map((entry) => [entry, readEntry(entry, env)]));
  const problems: { service: string; file: string; variables?: string[] }[] = [];
  for (const [entry, read] of values) {
    if (read === undefined) problems.push({ service: entry.service, file: entry.file });
    else {
      const missing = entry.names.filter((n) => read[n] === undefined);
      if (missing.length > 0) problems.push({ service: entry.service, file: entry.file, variables: missing });
    }
  }
  if (problems.length > 0) {
    const what = problems
      .map((p) =>
        p.variables === undefined
          ? `env_file ${p.file} of service ${p.service} cannot be read`
          : `env_file ${p.file} of service ${p.service} no longer sets ${p.variables.join(', ')}`,
      )
      .join('; ');
    return err(
      new SecretUnavailableError(`checkpoint ${id} needs values from env_files: ${what}`, {
        context: { checkpointId: id, files: problems },
        remediation:
          'Put the env_file back as it was when the checkpoint was taken: checkpoints keep the file as a reference, never its values.',
      }),
    );
  }
  return ok(
    envFilePlaceholders(entries).map(({ entry, name, variable }) => ({
      name: variable,
      value: values.get(entry)?.[name] ?? '',
    })),
  );
}

/**
 * The env_file secrets read from the files now, best effort, for where no topology is at hand (`down`, `rollback`:
 * redaction, and what a runtime writes): a file that cannot be read adds nothing (the operation reports it if it
 * needs it).
 */
export function envFileSecretsRead(entries: readonly EnvFileSecret[], env: Env): NamedSecret[] {
  const values = new Map(entries.map((entry) => [entry, readEntry(entry, env)]));
  return envFilePlaceholders(entries).flatMap(({ entry, name, variable }) => {
    const value = values.get(entry)?.[name];
    return value === undefined || value === '' ? [] : [{ name: variable, value }];
  });
}
