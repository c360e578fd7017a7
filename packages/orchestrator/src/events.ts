import type { DiveErrorJSON } from '@dive/errors';

/** A deployment state (SPEC §5). */
export type DeploymentStateName =
  | 'UNKNOWN'
  | 'INITIALIZING'
  | 'DEPLOYING'
  | 'CONFIGURING'
  | 'VERIFYING'
  | 'COMPLETE'
  | 'FAILED'
  | 'ROLLING_BACK'
  | 'CLEANUP';

/** What every event carries. */
export interface EventBase {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly instance: string;
  readonly deploymentId: string;
}

/** Typed progress events, delivered to `onEvent` in order. Discriminate on `type`. */
export type DeployEvent =
  | (EventBase & { readonly type: 'lock-waiting'; readonly lock: string })
  | (EventBase & {
      readonly type: 'lock-acquired';
      readonly lock: string;
      readonly fencingToken: number;
      readonly waitedMs: number;
    })
  | (EventBase & {
      readonly type: 'state';
      readonly from: DeploymentStateName;
      readonly to: DeploymentStateName;
      readonly reason: string;
    })
  | (EventBase & {
      readonly type: 'phase';
      readonly phase: string;
      readonly status: 'started' | 'finished' | 'failed';
      readonly durationMs?: number;
    })
  | (EventBase & { readonly type: 'checkpoint'; readonly checkpointId: string })
  | (EventBase & { readonly type: 'service-unchanged'; readonly service: string })
  | (EventBase & { readonly type: 'service-starting'; readonly service: string; readonly attempt: number })
  | (EventBase & { readonly type: 'service-started'; readonly service: string; readonly attempt: number })
  | (EventBase & { readonly type: 'service-healthy'; readonly service: string; readonly durationMs: number })
  | (EventBase & { readonly type: 'service-completed'; readonly service: string; readonly durationMs: number })
  | (EventBase & {
      readonly type: 'service-retrying';
      readonly service: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: DiveErrorJSON;
    })
  | (EventBase & {
      readonly type: 'service-failed';
      readonly service: string;
      readonly error: DiveErrorJSON;
      readonly blocked: readonly string[];
    })
  | (EventBase & { readonly type: 'service-stopped'; readonly service: string })
  | (EventBase & {
      readonly type: 'rollback-step';
      readonly step: string;
      readonly service?: string;
      readonly status: 'started' | 'finished' | 'failed';
    })
  | (EventBase & { readonly type: 'warning'; readonly message: string });

/** The `type`s of {@link DeployEvent}. */
export type DeployEventType = DeployEvent['type'];

/** Distributes `Omit` over a union (plain `Omit` would collapse it). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
