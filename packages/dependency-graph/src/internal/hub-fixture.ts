/** The seeds' hub topology (SPEC §1), shared by the tests. Not exported from the package. */
export const HUB = {
  postgres: {},
  mongodb: {},
  redis: {},
  opa: {},
  keycloak: { dependsOn: ['postgres'] },
  backend: { dependsOn: ['postgres', 'mongodb', 'redis', 'keycloak'] },
  frontend: { dependsOn: ['backend'] },
  kas: { dependsOn: ['mongodb', 'backend'] },
} as const;
