import type { ContainerSpec, NetworkSpec } from '../topology/types.js';
import { placeResource, type PlacedResource, type TopologyResources } from './docker-resource-names.js';

/** One network a container joins, with the names it answers to there. @internal */
export interface Endpoint {
  readonly placed: PlacedResource<NetworkSpec>;
  readonly aliases: readonly string[];
  readonly ipv4Address?: string;
}

/**
 * How a container is networked: a mode that shares a stack (`none`, `host`, `service:<x>`, `container:<x>`) or
 * the networks it joins (the first at create, the others connected before it starts). @internal
 */
export type NetworkPlan =
  | { readonly kind: 'mode'; readonly mode: string }
  | { readonly kind: 'networks'; readonly endpoints: readonly Endpoint[] };

/**
 * Plan a container's networking. Without `networkMode` (or the older `network`) it joins its `networks`, by
 * default the instance's `default` network; on each it answers to its service name, `hostname`, `containerName`
 * and that network's `aliases`.
 *
 * @param instance - the instance code
 * @param service - the service name
 * @param spec - the container spec
 * @param resources - the topology's declarations
 * @returns the plan
 * @internal
 */
export function planNetworks(
  instance: string,
  service: string,
  spec: ContainerSpec,
  resources: TopologyResources | undefined,
): NetworkPlan {
  const mode = spec.networkMode ?? spec.network;
  if (mode !== undefined) return { kind: 'mode', mode };
  const joined = spec.networks ?? { default: {} };
  const names = [service, spec.hostname, spec.containerName].filter((n): n is string => n !== undefined);
  const endpoints = Object.entries(joined).map(([logical, s]): Endpoint => ({
    placed: placeResource(instance, logical, resources?.networks?.[logical]),
    aliases: [...new Set([...names, ...(s.aliases ?? [])])],
    ...(s.ipv4Address === undefined ? {} : { ipv4Address: s.ipv4Address }),
  }));
  return { kind: 'networks', endpoints };
}

/** The `EndpointSettings` of one endpoint. @internal */
export function endpointConfig(e: Endpoint): { Aliases: string[]; IPAMConfig?: { IPv4Address: string } } {
  return {
    Aliases: [...e.aliases],
    ...(e.ipv4Address === undefined ? {} : { IPAMConfig: { IPv4Address: e.ipv4Address } }),
  };
}
