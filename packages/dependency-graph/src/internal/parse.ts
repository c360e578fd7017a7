/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
import type {
  InvalidDependencyProblem,
  InvalidNameProblem,
  SelfDependencyProblem,
  UnknownDependencyProblem,
} from '../problems.js';
import { isValidServiceName } from '../service-name.js';
import { DEFAULT_CONDITION, type ServiceDependencies, type ServiceMap } from '../types.js';
import { CONDITION_RANK } from './compiled.js';

/** The forward rows of a graph plus every problem found while reading it (cycles come later). */
export interface Parsed {
  readonly names: readonly string[];
  readonly index: Map<string, number>;
  readonly depStart: Int32Array;
  readonly depList: Int32Array;
  readonly depCond: Uint8Array;
  readonly invalidNames: InvalidNameProblem[];
  readonly invalidDependencies: InvalidDependencyProblem[];
  readonly selfDependencies: SelfDependencyProblem[];
  readonly unknownDependencies: UnknownDependencyProblem[];
}

const DEFAULT_RANK = CONDITION_RANK[DEFAULT_CONDITION];

function rankOf(condition: unknown): number {
  return condition === 'started' ? 1 : condition === 'healthy' ? 2 : condition === 'completed' ? 3 : 0;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function entriesOf(services: ServiceMap): [string, unknown][] {
  if (services instanceof Map) return [...(services as ReadonlyMap<string, unknown>).entries()];
  if (typeof services !== 'object' || services === null) {
    throw new TypeError(`createDependencyGraph: services must be an object or a Map, got ${typeof services}`);
  }
  const record = services as Readonly<Record<string, unknown>>;
  return Object.keys(record).map((k) => [k, record[k]]);
}

/**
 * Read the services into forward rows: numbering by name, dependencies sorted and de-duplicated (the strictest
 * condition wins), and self, unknown and malformed entries reported and left out of the rows.
 */
export function parseServices(services: ServiceMap): Parsed {
  const entries = entriesOf(services).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const n = entries.length;
  const names = entries.map((e) => e[0]);
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(names[i]!, i);
  const p: Parsed = {
    names,
    index,
    depStart: new Int32Array(n + 1),
    depList: new Int32Array(0),
    depCond: new Uint8Array(0),
    invalidNames: [],
    invalidDependencies: [],
    selfDependencies: [],
    unknownDependencies: [],
  };
  // Each edge is packed as dependency * 4 + rank so one numeric sort orders a row by dependency, then condition.
  const keys: number[] = [];
  const rowStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) {
    const name = names[v]!;
    if (!isValidServiceName(name)) p.invalidNames.push({ kind: 'invalid-name', service: name });
    rowStart[v] = keys.length;
    readRow(p, v, name, entries[v]![1], keys);
  }
  rowStart[n] = keys.length;
  return compact(p, n, rowStart, Int32Array.from(keys));
}

function readRow(p: Parsed, v: number, service: string, spec: unknown, keys: number[]): void {
  if (spec === undefined || spec === null) return;
  if (typeof spec !== 'object') {
    p.invalidDependencies.push({
      kind: 'invalid-dependency',
      service,
      dependency: undefined,
      reason: 'the service definition is not an object',
    });
    return;
  }
  const dependsOn = (spec as ServiceDependencies).dependsOn as unknown;
  if (dependsOn === undefined || dependsOn === null) return;
  const unknown: string[] = [];
  let self = false;
  const add = (dep: string, rank: number): void => {
    const u = p.index.get(dep);
    if (u === undefined) unknown.push(dep);
    else if (u === v) self = true;
    else keys.push(u * 4 + rank);
  };
  if (Array.isArray(dependsOn)) {
    for (const dep of dependsOn as unknown[]) {
      if (typeof dep === 'string') add(dep, DEFAULT_RANK);
      else
        p.invalidDependencies.push({
          kind: 'invalid-dependency',
          service,
          dependency: undefined,
          reason: `${show(dep)} is not a service name`,
        });
    }
  } else if (typeof dependsOn === 'object') {
    const map = dependsOn as Readonly<Record<string, unknown>>;
    for (const dep of Object.keys(map)) {
      const rank = rankOf(map[dep]);
      if (rank > 0) add(dep, rank);
      else
        p.invalidDependencies.push({
          kind: 'invalid-dependency',
          service,
          dependency: dep,
          reason: `condition ${show(map[dep])} of '${dep}' is not 'started', 'healthy' or 'completed'`,
        });
    }
  } else {
    p.invalidDependencies.push({
      kind: 'invalid-dependency',
      service,
      dependency: undefined,
      reason: 'dependsOn is neither a list nor a map',
    });
  }
  if (self) p.selfDependencies.push({ kind: 'self-dependency', service });
  for (const dep of [...new Set(unknown)].sort())
    p.unknownDependencies.push({ kind: 'unknown-dependency', service, dependency: dep });
}

function compact(p: Parsed, n: number, rowStart: Int32Array, keys: Int32Array): Parsed {
  const depStart = new Int32Array(n + 1);
  const depList = new Int32Array(keys.length);
  const depCond = new Uint8Array(keys.length);
  let m = 0;
  for (let v = 0; v < n; v++) {
    depStart[v] = m;
    const row = keys.subarray(rowStart[v], rowStart[v + 1]);
    if (row.length > 1) row.sort();
    for (let i = 0; i < row.length; i++) {
      const key = row[i]!;
      const u = key >> 2;
      if (m > depStart[v]! && depList[m - 1] === u)
        depCond[m - 1] = key & 3; // a duplicate: keep the strictest
      else {
        depList[m] = u;
        depCond[m] = key & 3;
        m++;
      }
    }
  }
  depStart[n] = m;
  return { ...p, depStart, depList: depList.slice(0, m), depCond: depCond.slice(0, m) };
}
