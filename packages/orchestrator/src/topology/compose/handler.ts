import type { ComposeContext, Path } from './context.js';

/** The service being built from one Compose service. @internal */
export interface ServiceDraft {
  readonly name: string;
  /** The service's fields besides `container` (`dependsOn`, `health`, `kind`). */
  readonly service: Record<string, unknown>;
  /** The `container` of the service. */
  readonly container: Record<string, unknown>;
  /** `container.docker.config` (the create call's body). */
  readonly config: Record<string, unknown>;
  /** `container.docker.hostConfig`. */
  readonly hostConfig: Record<string, unknown>;
}

/** Maps one Compose service key onto the draft. @internal */
export type KeyHandler = (value: unknown, at: Path, draft: ServiceDraft, c: ComposeContext) => void;
