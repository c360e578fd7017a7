// The level-by-level estimate beside a deployment's actual timeline. Plain TypeScript with no imports: the page's
// bundle (page/charts.js, built by esbuild) imports this file, and the unit test checks it.

/** A service of a deployment as the timeline draws it: its level and measured start and ready times (epoch ms). */
export interface TimedService {
  readonly name: string;
  /** 0 for no dependencies, else 1 + the highest level of its dependencies. */
  readonly level: number;
  readonly startedAt: number;
  /** When it was ready (or failed); `null`/`undefined` while it runs. */
  readonly endedAt?: number | null | undefined;
}

/** Where a service would have run if the deployment had gone level by level (epoch ms). */
export interface EstimatedWindow {
  readonly startAt: number;
  readonly endAt: number;
}

/** The level-by-level estimate of a deployment next to what it took. */
export interface LevelEstimate {
  /** The first start: both timelines begin here. */
  readonly t0: number;
  /** Service name → its window level by level. */
  readonly windows: ReadonlyMap<string, EstimatedWindow>;
  /** Sum over the levels of the slowest service's measured duration. */
  readonly estimateMs: number;
  /** From the first start to the last ready time (or `now` while one runs). */
  readonly actualMs: number;
  /** `estimateMs - actualMs`: what starting each service once its own dependencies were ready saved (< 0: lost). */
  readonly savedMs: number;
}

/**
 * Lay the services out level by level with their measured durations: every service of a level starts when the
 * slowest of the level before is ready, as `--schedule levels` would run them (and as `dive plan` estimates).
 * @param services - the deployment's services with levels and measured times
 * @param now - the time a running service is measured up to
 * @returns the {@link LevelEstimate} (all zero for no service)
 */
export function levelByLevel(services: readonly TimedService[], now: number): LevelEstimate {
  const windows = new Map<string, EstimatedWindow>();
  if (services.length === 0) return { t0: now, windows, estimateMs: 0, actualMs: 0, savedMs: 0 };
  const end = (s: TimedService): number => Math.max(s.startedAt, s.endedAt ?? now);
  const t0 = Math.min(...services.map((s) => s.startedAt));
  const levels = [...new Set(services.map((s) => s.level))].sort((a, b) => a - b);
  let at = t0;
  for (const level of levels) {
    let slowest = 0;
    for (const s of services.filter((x) => x.level === level)) {
      const ms = end(s) - s.startedAt;
      windows.set(s.name, { startAt: at, endAt: at + ms });
      slowest = Math.max(slowest, ms);
    }
    at += slowest;
  }
  const estimateMs = at - t0;
  const actualMs = Math.max(...services.map(end)) - t0;
  return { t0, windows, estimateMs, actualMs, savedMs: estimateMs - actualMs };
}
