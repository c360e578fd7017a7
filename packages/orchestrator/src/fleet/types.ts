import type { EnvFileSecret } from '../engine/env-file-secrets.js';
import type { Topology } from '../topology/types.js';

/** TLS files of a Docker host reached over TCP (paths; a fleet file's are relative to it). */
export interface DockerTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** One instance of a fleet: its topology (whose `instance` is the fleet's code for it) and where it runs. */
export interface FleetInstance {
  readonly topology: Topology;
  /**
   * The Docker host: `unix:///var/run/docker.sock`, `tcp://host:2376` (with `tls`) or `ssh://user@host`. Default:
   * `DOCKER_HOST`, else the local socket.
   */
  readonly docker?: string;
  readonly tls?: DockerTls;
  /** `docker` (default when the topology has a container) or `process`. */
  readonly runtime?: 'docker' | 'process';
  /** Variables whose values are secrets, besides the topology's `{ secret: NAME }` (the loader's `interpolated`). */
  readonly secretVariables?: readonly string[];
  /** A Compose topology's `env_file` secrets (the loader's `envFiles`). */
  readonly secretEnvFiles?: readonly EnvFileSecret[];
}

/** An HTTP check of a gate: passes when `url` answers `expectStatus` (default 200). */
export interface HttpGateCheck {
  readonly url: string;
  readonly expectStatus?: number;
}

/** A TCP check of a gate: passes when `host:port` accepts a connection. */
export interface TcpGateCheck {
  readonly host: string;
  readonly port: number;
}

/** A command check of a gate: passes when `run` (with `args`, no shell) exits 0. */
export interface CommandGateCheck {
  readonly run: string;
  readonly args?: readonly string[];
}

/**
 * A metric check of a gate, read from the state store: the errors recorded for the wave's instances since the wave
 * began, at most `maxErrors`, and per started service at most `maxErrorRate` (0..1). Checked once.
 */
export interface MetricGateCheck {
  readonly maxErrors?: number;
  readonly maxErrorRate?: number;
}

/**
 * A gate after a wave (or before the fleet is COMPLETE): every check given must pass within `timeoutMs`. http, tcp
 * and command checks are tried every `intervalMs` until they pass; an approval waits for `dive fleet approve`.
 */
export interface FleetGate {
  readonly http?: HttpGateCheck;
  readonly tcp?: TcpGateCheck;
  readonly command?: CommandGateCheck;
  readonly metric?: MetricGateCheck;
  readonly approval?: boolean;
  /** How long the gate may take, in ms. Default 60 000 (an approval: 3 600 000). */
  readonly timeoutMs?: number;
  /** Time between tries of a failing check, in ms. Default 1 000. */
  readonly intervalMs?: number;
}

/** One wave: its instances deploy at once (at most `maxParallel` at a time), then its gate is checked. */
export interface FleetWave {
  readonly instances: readonly string[];
  /** Most instances of the wave deploying at once. Default: all of them. */
  readonly maxParallel?: number;
  readonly gate?: FleetGate;
}

/** What to do when a gate fails: roll back the wave's instances (default), or stop with them as they are. */
export type GateFailurePolicy = 'rollback-wave' | 'halt';

/** A fleet: instances (by three-letter code), deployed in waves with gates between them. */
export interface Fleet {
  /** The fleet's name: the key of its record and lock in the store. */
  readonly name: string;
  readonly instances: Readonly<Record<string, FleetInstance>>;
  /** In order; each instance in exactly one wave. */
  readonly waves: readonly FleetWave[];
  /** Checked after the last wave, before the fleet is COMPLETE. */
  readonly gate?: FleetGate;
  /** Default `rollback-wave`. */
  readonly onGateFailure?: GateFailurePolicy;
}

/** A fleet read from a file by `loadFleet`. */
export interface LoadedFleet extends Fleet {
  /** The fleet file (absolute). */
  readonly file: string;
  /** The topology file of each instance (absolute). */
  readonly topologyFiles: Readonly<Record<string, string>>;
  /** Warnings of the fleet file and its topologies, as `file:line: message`. */
  readonly warnings: readonly string[];
  /** Names of the environment variables that hold secrets in any topology (for log redaction). */
  readonly secrets: readonly string[];
}
