import { ConfigInvalidError } from '@dive/errors';
import { formatProblems, type TopologyProblem } from '../topology/problems.js';
import { INSTANCE_CODE } from '../topology/schema.js';
import { FLEET_NAME } from './schema.js';
import type { Fleet } from './types.js';

/** A fleet built in code has the same rules as a fleet file; every problem at once, or `undefined`. @internal */
export function checkFleet(fleet: Fleet): ConfigInvalidError | undefined {
  const problems: TopologyProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!FLEET_NAME.test(fleet.name)) add('name', 'must be letters, digits, _ . - (at most 63)');
  if (fleet.waves.length === 0) add('waves', 'a fleet needs at least one wave');
  const seen = new Map<string, number>();
  fleet.waves.forEach((w, i) => {
    if (w.instances.length === 0) add(`waves[${i}].instances`, 'a wave needs at least one instance');
    if (w.maxParallel !== undefined && !(Number.isInteger(w.maxParallel) && w.maxParallel >= 1))
      add(`waves[${i}].maxParallel`, 'must be a whole number ≥ 1');
    w.instances.forEach((c, j) => {
      const path = `waves[${i}].instances[${j}]`;
      if (fleet.instances[c] === undefined) add(path, `instance ${c} is not defined under instances`);
      const first = seen.get(c);
      if (first !== undefined) add(path, `instance ${c} is already in wave ${first + 1}`);
      else seen.set(c, i);
    });
  });
  for (const [c, spec] of Object.entries(fleet.instances)) {
    if (!INSTANCE_CODE.test(c)) add(`instances.${c}`, 'must be three upper-case letters, like USA');
    if (!seen.has(c)) add(`instances.${c}`, `instance ${c} is in no wave`);
    if (spec.topology.instance !== c)
      add(`instances.${c}.topology.instance`, `is ${spec.topology.instance}, not the fleet's code ${c}`);
  }
  if (problems.length === 0) return undefined;
  return new ConfigInvalidError(formatProblems(`Invalid fleet ${fleet.name}`, problems), {
    context: { fleet: fleet.name, problems },
  });
}
