/* eslint-disable @typescript-eslint/no-non-null-assertion -- reads of typed arrays and of `names` at indexes that
   are in bounds by construction (CSR rows over 0..n-1); a check per read would only cost in the hot loops. */
import type {
  InvalidDependencyProblem,
  InvalidNameProblem,
  SelfDependencyProblem,
  UnknownDependencyProblem,
} from '../problems.js';
import { isValidServiceName } from '../service-name.js';
import { DEFAULT_CONDITION, type ServiceMap } from '../types.js';
import { CONDITION_RANK, type NameIndex } from './compiled.js';
import { sortStrings } from './sort-strings.js';

/** The forward rows of a graph plus every problem found while reading it (cycles come later). */
export interface Parsed {
  readonly names: readonly string[];
  readonly index: NameIndex;
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

/**
 * Edges packed as `dependency * 4 + rank` in one growing buffer, so a numeric sort of a row orders it by
 * dependency, then condition.
 */
class EdgeBuffer {
  keys = new Int32Array(1024);
  length = 0;

  push(key: number): void {
    if (this.length === this.keys.length) {
      const bigger = new Int32Array(this.keys.length * 2);
      bigger.set(this.keys);
      this.keys = bigger;
    }
    this.keys[this.length++] = key;
  }

  /** Sort the row that starts at `from` and drop duplicate dependencies, keeping the strictest condition. */
  closeRow(from: number): void {
    const k = this.keys;
    const end = this.length;
    if (end - from > 32) k.subarray(from, end).sort();
    else {
      for (let i = from + 1; i < end; i++) {
        const x = k[i]!;
        let j = i - 1;
        while (j >= from && k[j]! > x) {
          k[j + 1] = k[j]!;
          j--;
        }
        k[j + 1] = x;
      }
    }
    let w = from;
    for (let r = from; r < end; r++) {
      if (w > from && k[w - 1]! >> 2 === k[r]! >> 2) k[w - 1] = k[r]!;
      else k[w++] = k[r]!;
    }
    this.length = w;
  }
}

/** The service being read by {@link parseServices}; one object reused for every service. */
interface Row {
  readonly p: Parsed;
  readonly edges: EdgeBuffer;
  /** Unknown dependency names of this service. */
  readonly unknown: string[];
  v: number;
  service: string;
  self: boolean;
}

/**
 * Read the services into forward rows: numbering by name, dependencies sorted and de-duplicated (the strictest
 * condition wins), and self, unknown and malformed entries reported and left out of the rows.
 * @throws TypeError when `services` is neither an object nor a Map
 */
export function parseServices(services: ServiceMap): Parsed {
  if (typeof services !== 'object' || services === null || Array.isArray(services)) {
    const got = Array.isArray(services) ? 'an array' : String(services);
    throw new TypeError(`createDependencyGraph: services must be an object or a Map of name → service, got ${got}`);
  }
  const map = services instanceof Map ? (services as ReadonlyMap<string, unknown>) : undefined;
  const record = services as Readonly<Record<string, unknown>>;
  const names = map === undefined ? Object.keys(record) : [...map.keys()];
  sortStrings(names); // code-unit order: deterministic and locale-independent
  Object.freeze(names);
  const n = names.length;
  const index = Object.create(null) as Record<string, number>;
  for (let i = 0; i < n; i++) index[names[i]!] = i;
  const depStart = new Int32Array(n + 1);
  const p: Parsed = {
    names,
    index,
    depStart,
    depList: new Int32Array(0),
    depCond: new Uint8Array(0),
    invalidNames: [],
    invalidDependencies: [],
    selfDependencies: [],
    unknownDependencies: [],
  };
  const edges = new EdgeBuffer();
  const row: Row = { p, edges, unknown: [], v: 0, service: '', self: false };
  for (let v = 0; v < n; v++) {
    const service = names[v]!;
    if (!isValidServiceName(service)) p.invalidNames.push({ kind: 'invalid-name', service });
    depStart[v] = edges.length;
    const spec = map === undefined ? record[service] : map.get(service);
    if (spec === undefined || spec === null) continue;
    row.v = v;
    row.service = service;
    row.self = false;
    if (row.unknown.length > 0) row.unknown.length = 0;
    readRow(row, spec);
    edges.closeRow(depStart[v]!);
    if (row.self) p.selfDependencies.push({ kind: 'self-dependency', service });
    if (row.unknown.length > 0) {
      for (const dependency of [...new Set(row.unknown)].sort()) {
        p.unknownDependencies.push({ kind: 'unknown-dependency', service, dependency });
      }
    }
  }
  const m = edges.length;
  depStart[n] = m;
  const depList = new Int32Array(m);
  const depCond = new Uint8Array(m);
  for (let e = 0; e < m; e++) {
    const key = edges.keys[e]!;
    depList[e] = key >> 2;
    depCond[e] = key & 3;
  }
  return { ...p, depList, depCond };
}

function addEdge(row: Row, dependency: string, rank: number): void {
  const u = row.p.index[dependency];
  if (u === undefined) row.unknown.push(dependency);
  else if (u === row.v) row.self = true;
  else row.edges.push(u * 4 + rank);
}

function invalid(row: Row, dependency: string | undefined, reason: string): void {
  row.p.invalidDependencies.push({ kind: 'invalid-dependency', service: row.service, dependency, reason });
}

function readRow(row: Row, spec: unknown): void {
  if (typeof spec !== 'object' || spec === null) {
    invalid(row, undefined, 'the service definition is not an object');
    return;
  }
  const dependsOn = (spec as { readonly dependsOn?: unknown }).dependsOn;
  if (dependsOn === undefined || dependsOn === null) return;
  if (Array.isArray(dependsOn)) {
    const list = dependsOn as readonly unknown[];
    for (let i = 0; i < list.length; i++) {
      const dependency = list[i];
      if (typeof dependency === 'string') addEdge(row, dependency, DEFAULT_RANK);
      else invalid(row, undefined, `${show(dependency)} is not a service name`);
    }
  } else if (typeof dependsOn === 'object') {
    const conditions = dependsOn as Readonly<Record<string, unknown>>;
    for (const dependency of Object.keys(conditions)) {
      const condition = conditions[dependency];
      const rank = rankOf(condition);
      if (rank > 0) addEdge(row, dependency, rank);
      else {
        const reason = `condition ${show(condition)} of '${dependency}' is not 'started', 'healthy' or 'completed'`;
        invalid(row, dependency, reason);
      }
    }
  } else {
    invalid(row, undefined, 'dependsOn is neither a list nor a map');
  }
}
