import { statfs } from 'node:fs/promises';
import { freemem, totalmem } from 'node:os';
import { estimateRisk, type RiskEstimate } from '../risk.js';
import type { Setup } from './setup.js';

const DAY = 86_400_000;

/** Gather the five risk factors for an instance from the store, the runtime, the breakers and the host. */
export async function gatherRisk(
  s: Pick<Setup, 'backend' | 'runtime' | 'ctx'>,
  instance: string,
  totalServices: number,
): Promise<RiskEstimate> {
  const now = s.ctx.clock.now();
  const analytics = await s.backend.store.errorAnalytics({ instance, since: now - DAY, bucket: 'hour' });
  const recentErrors = analytics.isOk() ? analytics.value.bySeverity : { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0 };
  let degraded = 0;
  const listed = await s.runtime.list(instance);
  if (listed.isOk()) {
    for (const h of listed.value) {
      const st = await s.runtime.status(h);
      if (st.isErr() || st.value.state !== 'running') degraded += 1;
    }
  }
  const history = await s.backend.store.history(instance, { limit: 100 });
  const lastSuccess = history.isOk() ? history.value.find((r) => r.to === 'COMPLETE')?.at : undefined;
  let freeDiskRatio = 1;
  try {
    const fsStats = await statfs(s.backend.kind === 'file' ? s.backend.location : process.cwd()).catch(async () =>
      statfs(process.cwd()),
    );
    freeDiskRatio = fsStats.blocks > 0 ? fsStats.bavail / fsStats.blocks : 1;
  } catch {
    freeDiskRatio = 1;
  }
  return estimateRisk({
    recentErrors,
    openBreakers: s.ctx.policy.openBreakers().length,
    totalBreakers: s.ctx.policy.breakerCount(),
    degradedServices: degraded,
    totalServices,
    freeMemoryRatio: freemem() / totalmem(),
    freeDiskRatio,
    sinceLastSuccessMs: lastSuccess === undefined ? undefined : now - lastSuccess,
  });
}
