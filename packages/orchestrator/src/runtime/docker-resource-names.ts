import type { NetworkSpec, Topology, VolumeSpec } from '../topology/types.js';

/** The topology-level declarations a container may use: networks, volumes, secrets and configs. */
export type TopologyResources = Pick<Topology, 'networks' | 'volumes' | 'secrets' | 'configs'>;

/** The label keys DIVE puts on what it creates on Docker, under one prefix (`dive` by default). @internal */
export interface DiveLabels {
  readonly instance: string;
  readonly service: string;
  readonly deployment: string;
  readonly configHash: string;
  readonly managed: string;
  readonly network: string;
  readonly volume: string;
  readonly restart: string;
  readonly buildHash: string;
  readonly store: string;
}

/** The label keys under `prefix`. @internal */
export function diveLabels(prefix: string): DiveLabels {
  return {
    instance: `${prefix}.instance`,
    service: `${prefix}.service`,
    deployment: `${prefix}.deployment`,
    configHash: `${prefix}.config-hash`,
    managed: `${prefix}.managed`,
    network: `${prefix}.network`,
    volume: `${prefix}.volume`,
    restart: `${prefix}.restart`,
    buildHash: `${prefix}.build-hash`,
    store: `${prefix}.store`,
  };
}

/** The store-id label of what a store creates (none without a store id). @internal */
export function storeLabel(labels: DiveLabels, storeId: string | undefined): Record<string, string> {
  return storeId === undefined ? {} : { [labels.store]: storeId };
}

/**
 * Whether a resource is the store's to touch: without a store id, all are; with one, those it labelled and those
 * with no store label (made before ownership labels), never another store's. @internal
 */
export function ownedBy(
  labels: DiveLabels,
  storeId: string | undefined,
): (found: Readonly<Record<string, string>> | undefined) => boolean {
  return (found) => {
    const owner = found?.[labels.store];
    return storeId === undefined || owner === undefined || owner === storeId;
  };
}

/**
 * The Docker name of an instance's network or volume: `dive_<instance lower-case>_<logical name>`, as Compose
 * names a project's.
 * @internal
 */
export function instanceResourceName(instance: string, logical: string): string {
  return `dive_${instance.toLowerCase()}_${logical}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
}

/** A network or volume as Docker knows it: its name, whether DIVE owns it, and its declaration. @internal */
export interface PlacedResource<S> {
  readonly logical: string;
  readonly name: string;
  /** Declared `external`: used as it is, never created or removed. */
  readonly external: boolean;
  readonly spec: S;
}

/**
 * Where one logical network or volume lives on Docker: the declared `name`, else the key for an external one,
 * else `dive_<instance>_<key>`. The `default` network exists even when not declared.
 * @internal
 */
export function placeResource<S extends NetworkSpec | VolumeSpec>(
  instance: string,
  logical: string,
  spec: S | undefined,
): PlacedResource<S> {
  const s = spec ?? ({} as S);
  const external = s.external === true;
  const name = s.name ?? (external ? logical : instanceResourceName(instance, logical));
  return { logical, name, external, spec: s };
}
