import type { Topology } from '@dive/orchestrator';

/** The seeds' hub topology as no-op process services (for the memory runtime). */
export function hubTopology(instance = 'USA'): Topology {
  const svc = (dependsOn: string[] = []) => ({ process: { command: 'noop' }, dependsOn });
  return {
    instance,
    services: {
      postgres: svc(),
      mongodb: svc(),
      redis: svc(),
      opa: svc(),
      keycloak: svc(['postgres']),
      backend: svc(['postgres', 'mongodb', 'redis', 'keycloak']),
      frontend: svc(['backend']),
      kas: svc(['mongodb', 'backend']),
      'opal-client': svc(['opa', 'backend']),
    },
  };
}
