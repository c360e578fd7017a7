import { SecretUnavailableError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { interpolateString } from '../topology/interpolate-string.js';
import {
  envFileSecretsIn,
  mergeEnvFileSecrets,
  parseEnvFileSecrets,
  readEnvFileSecrets,
  type EnvFileSecret,
} from './env-file-secrets.js';
import type { CheckpointPayload } from './ports.js';

type Env = Readonly<Record<string, string | undefined>>;

/** A secret value shorter than this is replaced only where it is a whole string (as redaction's minimum). */
export const CHECKPOINT_SECRET_MIN_CHARS = 6;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A copy of `value` with every string (not keys) passed through `fn`. */
function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
}

/** The topology and every service's spec and handle of a payload, through `fn`. */
function mapPayload(payload: CheckpointPayload, fn: (value: unknown) => unknown): CheckpointPayload {
  const services = Object.fromEntries(
    // A process handle's name is its command line, which may hold an interpolated value too.
    Object.entries(payload.services).map(([name, s]) => [
      name,
      { ...s, handle: fn(s.handle) as typeof s.handle, spec: fn(s.spec) },
    ]),
  );
  return { ...payload, services, ...(payload.topology === undefined ? {} : { topology: fn(payload.topology) }) };
}

/** One secret value and the variable it is written as (`${NAME}`) where DIVE persists it. */
export interface NamedSecret {
  readonly name: string;
  readonly value: string;
}

/**
 * A function writing every secret value in a text as its `${NAME}` — the whole text when it equals a value, else
 * each occurrence of a value of at least {@link CHECKPOINT_SECRET_MIN_CHARS} characters (longest first). With
 * `escape`, every literal `$` is first written `$$`, so that interpolating the result gives the text back.
 * @param secrets - the values and their names (empty values are ignored)
 * @param options - `escape` (default true)
 * @returns the function (the identity when there is no secret and no escaping)
 */
export function secretTemplater(
  secrets: readonly NamedSecret[],
  options: { readonly escape?: boolean } = {},
): (text: string) => string {
  const escape = options.escape ?? true;
  const esc = (s: string): string => (escape ? s.replaceAll('$', '$$$$') : s);
  const values = secrets
    .filter((v) => v.value !== '')
    .map((v) => ({ ...v, escaped: esc(v.value) }))
    .sort((a, b) => b.value.length - a.value.length);
  if (values.length === 0 && !escape) return (s) => s;
  const whole = new Map(values.map((v) => [v.escaped, v.name]));
  const long = values.filter((v) => v.value.length >= CHECKPOINT_SECRET_MIN_CHARS);
  const pattern = long.length === 0 ? undefined : new RegExp(long.map((v) => escapeRegExp(v.escaped)).join('|'), 'g');
  const byEscaped = new Map(long.map((v) => [v.escaped, v.name]));
  return (s) => {
    const escaped = esc(s);
    const name = whole.get(escaped);
    if (name !== undefined) return `\${${name}}`;
    return pattern === undefined ? escaped : escaped.replace(pattern, (m) => `\${${byEscaped.get(m) ?? ''}}`);
  };
}

/**
 * The payload as it is stored: in its topology, service specs and handles (a command line), every `$` is written
 * `$$` and each secret value is written `${NAME}` (see {@link secretTemplater}): the value of each secret variable
 * (the operation's interpolated variables, and those the payload already carries) as that variable, and each value
 * a Compose `env_file` gave a service (the operation's and the payload's `secretEnvFiles`, values as the payload's
 * topology holds them) as its `DIVE_ENV_FILE_…` placeholder. The names go into `secretVariables` and the files into
 * `secretEnvFiles`; nothing else changes.
 * @param payload - the checkpoint as the engine has it (resolved)
 * @param env - the environment the values were read from
 * @param variables - the operation's secret variables (`secretVariables`: interpolated, not `x-dive.plain`)
 * @param envFiles - the operation's env_file secrets (`secretEnvFiles`)
 * @returns the payload to store (the same object when there is no secret)
 */
export function unresolveCheckpoint(
  payload: CheckpointPayload,
  env: Env,
  variables: readonly string[],
  envFiles: readonly EnvFileSecret[] = [],
): CheckpointPayload {
  const names = [...new Set([...variables, ...(payload.secretVariables ?? [])])].sort();
  const files = mergeEnvFileSecrets(payload.secretEnvFiles ?? [], envFiles);
  if (names.length === 0 && files.length === 0) return payload;
  const fromFiles = envFileSecretsIn(files, payload.topology, (service) => payload.services[service]?.spec);
  const template = secretTemplater([...names.map((name) => ({ name, value: env[name] ?? '' })), ...fromFiles]);
  return {
    ...mapPayload(payload, (v) => mapStrings(v, template)),
    secretVariables: names,
    ...(files.length === 0 ? {} : { secretEnvFiles: files }),
  };
}

/**
 * A stored payload with its secrets read again (the inverse of {@link unresolveCheckpoint}): its secret variables
 * from the environment, its env_file values from the files (interpolated with the environment now); a payload
 * without `secretVariables` (written before, or with no secret) is returned as it is.
 * @param payload - the stored payload (not validated yet)
 * @param env - the environment now
 * @param id - the checkpoint id, for the error
 * @returns Ok the payload with values; Err `SecretUnavailableError` (1003) naming every variable that is unset now
 *   (`context.variables`), or every env_file that cannot be read or no longer sets a name (`context.files`)
 */
export function reresolveCheckpoint(payload: unknown, env: Env, id: string): Result<unknown, SecretUnavailableError> {
  if (!isRecord(payload) || !Array.isArray(payload['secretVariables']) || !isRecord(payload['services'])) {
    return ok(payload);
  }
  const files = readEnvFileSecrets(parseEnvFileSecrets(payload['secretEnvFiles']), env, id);
  if (files.isErr()) return err(files.error);
  const lookup = { ...env, ...Object.fromEntries(files.value.map((s) => [s.name, s.value])) };
  const missing = new Set<string>();
  const resolve = (s: string): string => {
    const r = interpolateString(s, lookup);
    for (const name of r.missing) missing.add(name);
    return r.value;
  };
  const resolved = mapPayload(payload as unknown as CheckpointPayload, (v) => mapStrings(v, resolve));
  if (missing.size > 0) {
    const variables = [...missing].sort();
    return err(
      new SecretUnavailableError(
        `checkpoint ${id} needs environment variable${variables.length === 1 ? '' : 's'} ${variables.join(', ')}, which ${variables.length === 1 ? 'is' : 'are'} not set`,
        {
          context: { checkpointId: id, variables },
          remediation: `Set ${variables.join(', ')} as when it was deployed: checkpoints keep \${VAR} references, never their values.`,
        },
      ),
    );
  }
  return ok(resolved);
}
