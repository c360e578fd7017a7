import { refuse, warn } from './context.js';
import type { KeyHandler } from './handler.js';
import { bool, duration, integer, stringList, words } from './values.js';

const text =
  (field: string): KeyHandler =>
  (value, _at, d) => {
    d.container[field] = String(value);
  };

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

/** Keys that set one field of the container as they are (or nearly). @internal */
export const basicHandlers = {
  image: text('image'),
  user: text('user'),
  working_dir: text('workingDir'),
  stop_signal: text('stopSignal'),
  hostname: text('hostname'),
  domainname: text('domainname'),
  container_name: text('containerName'),
  platform: text('platform'),
  command: (v, at, d, c) => {
    // `command: null` / `[]` keep the image's CMD (Compose: an empty list resets it; both map to the image's own).
    const w = v === null ? undefined : words(v, at, c);
    if (w !== undefined && w.length > 0) d.container['command'] = w;
  },
  entrypoint: (v, at, d, c) => {
    const w = v === null ? undefined : words(v, at, c);
    if (w !== undefined && w.length > 0) d.container['entrypoint'] = w;
  },
  init: (v, at, d, c) => {
    d.container['init'] = bool(v, at, c);
  },
  read_only: (v, at, d, c) => {
    d.container['readOnly'] = bool(v, at, c);
  },
  tmpfs: (v, at, d, c) => {
    d.container['tmpfs'] = stringList(v, at, c);
  },
  cap_add: (v, at, d, c) => {
    d.container['capAdd'] = stringList(v, at, c);
  },
  cap_drop: (v, at, d, c) => {
    d.container['capDrop'] = stringList(v, at, c);
  },
  stop_grace_period: (v, at, d, c) => {
    d.container['stopGraceMs'] = duration(v, at, c);
  },
  restart: (v, at, d, c) => {
    const policy = String(v);
    if (RESTART.test(policy)) d.container['restart'] = policy;
    else refuse(c, at, 'must be no, always, unless-stopped, on-failure or on-failure:N');
  },
  scale: (v, at, d, c) => {
    const n = integer(v, at, c);
    if (n === 0) warn(c, at, `service '${d.name}': scale 0 (a service that never runs) is deployed once`);
    else if (n !== undefined && n > 1) refuse(c, at, 'dive runs one container per service (scale must be 1)');
  },
  // Applied before the mapping (profiles select services, extends merges them): nothing left to do here.
  profiles: () => undefined,
  extends: () => undefined,
} satisfies Readonly<Record<string, KeyHandler>>;
