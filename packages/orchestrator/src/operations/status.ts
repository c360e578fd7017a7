import { ResultAsync, err, ok, type Result } from 'neverthrow';
import { closeUnion, OPERATION_ERROR_TAGS, type StatusError } from '../errors.js';
import type { DeploymentStateName } from '../events.js';
import type { RiskEstimate } from '../risk.js';
import type { ServiceStatus } from '../runtime/types.js';
import type { CommonOptions } from './options.js';
import { gatherRisk } from './risk-inputs.js';
import { setup } from './setup.js';

/** The status of one instance. */
export interface InstanceStatus {
  readonly instance: string;
  readonly state: DeploymentStateName;
  readonly version: number;
  readonly updatedAt?: string;
  readonly lastDeploymentId?: string;
  readonly services: readonly {
    readonly service: string;
    readonly id: string;
    readonly configHash: string;
    readonly status: ServiceStatus;
  }[];
  readonly risk: RiskEstimate;
}

/**
 * The current state of one instance (or of every instance the store knows), with its running services and the
 * risk estimate. Takes no lock, so it works during a deployment.
 * @returns Ok(InstanceStatus[]); Err {@link StatusError}: `StateStoreUnavailableError`, `StateCorruptError`, …
 */
export function status(
  instance?: string,
  options: CommonOptions = {},
): ResultAsync<readonly InstanceStatus[], StatusError> {
  const s = setup(options);
  const one = async (name: string): Promise<Result<InstanceStatus, StatusError>> => {
    const st = await s.ctx.state.getState(name);
    if (st.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.status, st.error));
    const listed = await s.runtime.list(name);
    const services: InstanceStatus['services'][number][] = [];
    if (listed.isOk()) {
      for (const h of listed.value) {
        const sv = await s.runtime.status(h);
        services.push({
          service: h.service,
          id: h.id,
          configHash: h.configHash,
          status: sv.isOk() ? sv.value : { state: 'missing' },
        });
      }
    }
    const risk = await gatherRisk(s, name, services.length);
    return ok({
      instance: name,
      state: st.value.state,
      version: st.value.version,
      ...(st.value.updatedAt === undefined ? {} : { updatedAt: st.value.updatedAt }),
      ...(st.value.deploymentId === undefined ? {} : { lastDeploymentId: st.value.deploymentId }),
      services,
      risk,
    });
  };
  const run = async (): Promise<Result<readonly InstanceStatus[], StatusError>> => {
    try {
      let names: readonly string[];
      if (instance !== undefined) names = [instance];
      else {
        const all = await s.backend.store.instances();
        if (all.isErr()) return err(closeUnion(OPERATION_ERROR_TAGS.status, all.error));
        names = all.value;
      }
      const out: InstanceStatus[] = [];
      for (const n of names) {
        const r = await one(n);
        if (r.isErr()) return err(r.error);
        out.push(r.value);
      }
      return ok(out);
    } finally {
      await s.dispose();
    }
  };
  return new ResultAsync(run());
}
