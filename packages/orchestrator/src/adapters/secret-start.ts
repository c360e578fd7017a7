import type { Runtime, StartRequest } from '../runtime/types.js';

/**
 * The runtime with the operation's `withoutSecrets` on every start request, so that what the runtime writes to disk
 * itself (the process runtime's records and log lines) names secret values `${NAME}` instead of holding them.
 * Everything else is the runtime's own.
 *
 * @param runtime - the runtime
 * @param withoutSecrets - writes each secret value of the operation as its `${NAME}`
 * @returns the runtime
 */
export function secretAwareRuntime(runtime: Runtime, withoutSecrets: (text: string) => string): Runtime {
  return Object.create(runtime, {
    start: { value: (r: StartRequest) => runtime.start({ ...r, withoutSecrets }) },
  }) as Runtime;
}
