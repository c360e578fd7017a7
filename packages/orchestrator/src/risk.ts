/** The inputs of the failure-risk estimate, gathered from the state store, the breakers and the host. */
export interface RiskInputs {
  /** Errors recorded for the instance in the look-back window, by severity. */
  readonly recentErrors: Readonly<Record<'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW', number>>;
  /** Breakers of this instance that are open or half-open, and how many there are. */
  readonly openBreakers: number;
  readonly totalBreakers: number;
  /** Services last seen unhealthy or failed, and how many services there are. */
  readonly degradedServices: number;
  readonly totalServices: number;
  /** Free fractions (0..1) of host memory and of the disk holding the state. */
  readonly freeMemoryRatio: number;
  readonly freeDiskRatio: number;
  /** Milliseconds since the last COMPLETE deployment of this instance; `undefined` when there never was one. */
  readonly sinceLastSuccessMs: number | undefined;
}

/** One factor of the estimate, shown to the user. */
export interface RiskFactor {
  readonly name: 'recent-errors' | 'open-breakers' | 'degraded-services' | 'host-resources' | 'since-last-success';
  /** 0 (no risk) … 1 (certain trouble). */
  readonly score: number;
  /** How much a score of 1 adds to the failure probability. */
  readonly weight: number;
  /** What the score is made of, for people. */
  readonly detail: string;
}

/** The seeds' failure-probability estimate, with every factor shown. */
export interface RiskEstimate {
  /** 0..1: the estimated probability that the deployment fails. */
  readonly probability: number;
  readonly level: 'low' | 'medium' | 'high';
  readonly factors: readonly RiskFactor[];
}

const WEIGHTS: Record<RiskFactor['name'], number> = {
  'recent-errors': 0.35,
  'open-breakers': 0.3,
  'degraded-services': 0.2,
  'host-resources': 0.25,
  'since-last-success': 0.1,
};

const DAY = 86_400_000;
const clamp = (x: number): number => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
const pct = (x: number): string => `${Math.round(x * 100)}%`;

/**
 * Estimate the failure probability of a deployment from five factors (the seeds' model, made explicit):
 * recent errors weighted by severity (CRITICAL 4, HIGH 2, MEDIUM 1, LOW 0.25; 10 points saturate), the share of
 * open breakers, the share of degraded services, host memory and disk (below 20% free starts to count, 5% is
 * saturated), and time since the last success (never: 0.5; older than a week: 0.3).
 * The factors combine as independent causes: `1 − Π(1 − weight·score)`.
 */
export function estimateRisk(inputs: RiskInputs): RiskEstimate {
  const e = inputs.recentErrors;
  const points = 4 * e.CRITICAL + 2 * e.HIGH + e.MEDIUM + 0.25 * e.LOW;
  const scarce = (free: number): number => clamp((0.2 - free) / 0.15);
  const since = inputs.sinceLastSuccessMs;
  const factors: RiskFactor[] = [
    {
      name: 'recent-errors',
      score: clamp(points / 10),
      weight: WEIGHTS['recent-errors'],
      detail: `${e.CRITICAL} critical, ${e.HIGH} high, ${e.MEDIUM} medium, ${e.LOW} low in the last 24 h`,
    },
    {
      name: 'open-breakers',
      score: inputs.totalBreakers === 0 ? 0 : clamp(inputs.openBreakers / Math.min(inputs.totalBreakers, 5)),
      weight: WEIGHTS['open-breakers'],
      detail: `${inputs.openBreakers} of ${inputs.totalBreakers} circuit breakers open`,
    },
    {
      name: 'degraded-services',
      score: inputs.totalServices === 0 ? 0 : clamp(inputs.degradedServices / inputs.totalServices),
      weight: WEIGHTS['degraded-services'],
      detail: `${inputs.degradedServices} of ${inputs.totalServices} services degraded`,
    },
    {
      name: 'host-resources',
      score: Math.max(scarce(inputs.freeMemoryRatio), scarce(inputs.freeDiskRatio)),
      weight: WEIGHTS['host-resources'],
      detail: `${pct(inputs.freeMemoryRatio)} memory free, ${pct(inputs.freeDiskRatio)} disk free`,
    },
    {
      name: 'since-last-success',
      score: since === undefined ? 0.5 : since > 7 * DAY ? 0.3 : 0,
      weight: WEIGHTS['since-last-success'],
      detail:
        since === undefined ? 'never deployed successfully' : `last success ${(since / 3_600_000).toFixed(1)} h ago`,
    },
  ];
  const probability = 1 - factors.reduce((p, f) => p * (1 - f.weight * f.score), 1);
  const rounded = Math.round(probability * 1000) / 1000;
  return { probability: rounded, level: rounded < 0.2 ? 'low' : rounded < 0.5 ? 'medium' : 'high', factors };
}
