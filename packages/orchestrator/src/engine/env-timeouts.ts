import { ConfigInvalidError } from '@dive/errors';
import { err, ok, type Result } from 'neverthrow';
import { parseComposeDuration } from '../topology/compose-duration.js';

/** The environment variable part of a service name: upper case, every character other than A–Z and 0–9 an `_`. */
export function envSuffix(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * A service's start timeout from the environment, as the seeds' operators set it: `DIVE_TIMEOUT_<SERVICE>`, else
 * `TIMEOUT_<SERVICE>` (`TIMEOUT_KEYCLOAK=300` → keycloak may take 300 s from start to healthy). A plain number is
 * seconds; a duration (`90s`, `5m`, `1m30s`, `500ms`) is taken as written. It overrides the topology's
 * `startTimeoutMs`, so a pipeline can give a slow host more time without editing the file, and it is not part of
 * the service's config hash (changing it redeploys nothing).
 * @returns the timeout in ms, `undefined` when neither variable is set, or ConfigInvalidError (1002) naming the
 *   variable when its value is not a positive duration
 */
export function envStartTimeout(
  service: string,
  env: NodeJS.ProcessEnv,
): Result<number | undefined, ConfigInvalidError> {
  const suffix = envSuffix(service);
  for (const variable of [`DIVE_TIMEOUT_${suffix}`, `TIMEOUT_${suffix}`]) {
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === '') continue;
    const ms = /^\d+(\.\d+)?$/.test(raw) ? Math.round(Number(raw) * 1000) : parseComposeDuration(raw);
    if (ms === undefined || !(ms > 0)) {
      return err(
        new ConfigInvalidError(`${variable}='${raw}' is not a start timeout for ${service}`, {
          context: { variable, service },
          remediation: `Set ${variable} to a number of seconds (300) or a duration (90s, 5m, 1m30s), or unset it.`,
        }),
      );
    }
    return ok(ms);
  }
  return ok(undefined);
}
