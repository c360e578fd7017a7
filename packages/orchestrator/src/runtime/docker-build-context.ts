import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import { ConfigInvalidError, ConfigMissingError } from '@dive/errors';
import type { BuildSpec } from '../topology/types.js';

// The package is CommonJS (`module.exports = factory`) while its types declare a default export.
type IgnoreFactory = typeof dockerignoreModule.default;
const loaded: unknown = dockerignoreModule;
const dockerignore = (typeof loaded === 'function' ? loaded : dockerignoreModule.default) as IgnoreFactory;

/** A build context read from disk: its directory, its files (after `.dockerignore`) and their digest. */
export interface BuildContext {
  /** The absolute context directory. */
  readonly dir: string;
  /** The files sent to the engine, relative, `/`-separated. */
  readonly files: readonly string[];
  /** sha256 (hex) of the build options and of every file's path, mode and content. */
  readonly digest: string;
}

function ignoreFilter(dir: string): (path: string) => boolean {
  let text = '';
  try {
    text = readFileSync(join(dir, '.dockerignore'), 'utf8');
  } catch {
    return () => true;
  }
  const keep = dockerignore({ ignorecase: false }).add(text).createFilter();
  // The Dockerfile and .dockerignore always go (as the engine's own builder does).
  return (path) => path === '.dockerignore' || path === 'Dockerfile' || keep(path);
}

function walk(dir: string, rel: string, keep: (path: string) => boolean, out: string[]): void {
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const path = rel === '' ? name : posix.join(rel, name);
    if (!keep(path)) continue;
    const stat = lstatSync(join(dir, path));
    if (stat.isDirectory()) walk(dir, path, keep, out);
    else out.push(path);
  }
}

/**
 * Read a build context: list its files (skipping what `.dockerignore` excludes) and digest them with the build
 * options, so that an unchanged context and options give the same digest and any change gives another.
 * Synchronous: it runs once per service with a `build` when a topology is resolved and before a build.
 *
 * @param build - the service's build (a relative `context` is taken from the process's working directory)
 * @returns the context's directory, files and digest
 * @throws Error from `node:fs` when the context cannot be read (a missing directory)
 * @internal
 */
export function readBuildContext(build: BuildSpec): BuildContext {
  const dir = resolve(build.context);
  const files: string[] = [];
  walk(dir, '', ignoreFilter(dir), files);
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({ dockerfile: build.dockerfile ?? 'Dockerfile', args: build.args ?? {}, target: build.target }),
  );
  for (const file of files) {
    const full = join(dir, file);
    const stat = lstatSync(full);
    hash.update(`\0${file}\0${stat.mode & 0o111}\0`);
    hash.update(stat.isSymbolicLink() ? readlinkSync(full) : readFileSync(full));
  }
  return { dir, files, digest: hash.digest('hex') };
}

/**
 * {@link readBuildContext} for one service: a context that is missing or cannot be read is the user's input, so it
 * is a typed error naming the service and the path, not an engine failure.
 * @returns the context
 * @throws ConfigMissingError (1001) when the context directory does not exist; ConfigInvalidError (1002) when it is
 *   not a directory or cannot be read
 * @internal
 */
export function readServiceBuildContext(instance: string, service: string, build: BuildSpec): BuildContext {
  try {
    return readBuildContext(build);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const path = resolve(build.context);
    const context = { instance, service, field: 'build.context', path, errno: code };
    if (code === 'ENOENT') {
      throw new ConfigMissingError(`build context ${path} of ${instance}/${service} does not exist`, {
        cause: e,
        context,
        remediation: `Create ${path} or correct build.context of ${service} (a relative path is taken from the topology file's directory).`,
      });
    }
    throw new ConfigInvalidError(
      `build context ${path} of ${instance}/${service} cannot be read: ${e instanceof Error ? e.message : String(e)}`,
      {
        cause: e,
        context,
        remediation: `Make ${path} a directory DIVE can read, or correct build.context of ${service}.`,
      },
    );
  }
}

/**
 * The digest of a build, or undefined when its context cannot be read (the build itself then reports why).
 * @internal
 */
export function buildDigest(build: BuildSpec): string | undefined {
  try {
    return readBuildContext(build).digest;
  } catch {
    return undefined;
  }
}
