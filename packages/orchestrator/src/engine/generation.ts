import type { EngineContext } from './context.js';
import type { CheckpointPayload } from './ports.js';

/** The newest checkpoint recorded at COMPLETE: the generation that ran last. */
export async function latestGeneration(ctx: EngineContext, instance: string): Promise<CheckpointPayload | undefined> {
  const list = await ctx.state.listCheckpoints(instance);
  if (list.isErr()) return undefined;
  const newest = list.value.find((c) => c.state === 'COMPLETE');
  if (newest === undefined) return undefined;
  const payload = await ctx.state.getCheckpoint(newest.id);
  return payload.isOk() ? payload.value : undefined;
}
