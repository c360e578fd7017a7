/**
 * The container name of one service: `dive-<instance>-<service>-<short deployment id>`, lower-case, with every
 * character Docker does not accept in a name replaced by `-`.
 *
 * @param instance - the instance code (`USA`)
 * @param service - the service name
 * @param deploymentId - the deployment id; its first 8 alphanumeric characters are used
 * @returns the name, e.g. `dive-usa-keycloak-1a2b3c4d`
 */
export function containerName(instance: string, service: string, deploymentId: string): string {
  const short = deploymentId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 8);
  return `dive-${instance}-${service}-${short}`.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
}
