import type Docker from 'dockerode';
import type { BuildSpec } from '../topology/types.js';
import { readServiceBuildContext } from './docker-build-context.js';
import { statusCode } from './docker-errors.js';
import type { DiveLabels } from './docker-resource-names.js';
import { ImageBuildFailedError } from './errors.js';

/** What to build: the service's build, and the name its image also gets (`image`, when the spec gives one). */
export interface BuildRequest {
  readonly instance: string;
  readonly service: string;
  readonly build: BuildSpec;
  readonly image?: string;
}

/** The tag a build runs as: `dive-<instance>-<service>:<first 16 hex of the digest>`, lower-case. @internal */
export function buildTag(instance: string, service: string, digest: string): string {
  const repo = `dive-${instance}-${service}`.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  return `${repo}:${digest.slice(0, 16)}`;
}

interface BuildEvent {
  readonly stream?: string;
  readonly error?: string;
  readonly errorDetail?: { readonly message?: string };
}

async function runBuild(docker: Docker, r: BuildRequest, tag: string, labels: DiveLabels): Promise<void> {
  const context = readServiceBuildContext(r.instance, r.service, r.build);
  const stream = await docker.buildImage(
    { context: context.dir, src: [...context.files] },
    {
      t: tag,
      rm: true,
      forcerm: true,
      ...(r.build.dockerfile === undefined ? {} : { dockerfile: r.build.dockerfile }),
      ...(r.build.args === undefined ? {} : { buildargs: { ...r.build.args } }),
      ...(r.build.target === undefined ? {} : { target: r.build.target }),
      labels: {
        [labels.managed]: 'true',
        [labels.instance]: r.instance,
        [labels.service]: r.service,
        [labels.buildHash]: context.digest,
      },
    },
  );
  const output: string[] = [];
  const events = await new Promise<BuildEvent[]>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (e: Error | null, all: BuildEvent[]) => (e === null ? resolve(all) : reject(e)),
      (event: BuildEvent) => {
        if (event.stream !== undefined) output.push(...event.stream.split('\n').filter((l) => l.trim() !== ''));
      },
    );
  });
  const failure = events.find((e) => e.error !== undefined);
  if (failure !== undefined) {
    const reason = failure.errorDetail?.message ?? failure.error ?? 'unknown error';
    throw new ImageBuildFailedError(`build of ${r.instance}/${r.service} from ${context.dir} failed: ${reason}`, {
      context: { instance: r.instance, service: r.service, context: context.dir, output: output.slice(-20) },
    });
  }
}

/**
 * Builds a service's image once per context digest: the tag `dive-<instance>-<service>:<digest>` is what the
 * service runs; when it is on the engine already, nothing is built. With `image` in the spec the built image
 * is tagged with that name too. Builds of one tag share one run.
 * @internal
 */
export class ImageBuilder {
  readonly #docker: Docker;
  readonly #labels: DiveLabels;
  readonly #running = new Map<string, Promise<{ tag: string; built: boolean }>>();

  constructor(docker: Docker, labels: DiveLabels) {
    this.#docker = docker;
    this.#labels = labels;
  }

  /**
   * The tag of the service's image, built first when it is not on the engine.
   * @throws ImageBuildFailedError (the engine's message, the last output lines in its context); ConfigMissingError /
   *   ConfigInvalidError (a missing or unreadable context); dockerode errors
   */
  ensure(r: BuildRequest): Promise<{ tag: string; built: boolean }> {
    const tag = buildTag(r.instance, r.service, readServiceBuildContext(r.instance, r.service, r.build).digest);
    const running = this.#running.get(tag);
    if (running !== undefined) return running;
    const work = (async () => {
      let built = false;
      try {
        await this.#docker.getImage(tag).inspect();
      } catch (e) {
        if (statusCode(e) !== 404) throw e;
        await runBuild(this.#docker, r, tag, this.#labels);
        built = true;
      }
      if (r.image !== undefined && r.image !== tag) {
        const at = r.image.lastIndexOf(':');
        const named =
          at > r.image.lastIndexOf('/')
            ? { repo: r.image.slice(0, at), tag: r.image.slice(at + 1) }
            : { repo: r.image, tag: 'latest' };
        await this.#docker.getImage(tag).tag(named);
      }
      return { tag, built };
    })();
    this.#running.set(tag, work);
    void work.then(
      () => this.#running.delete(tag),
      () => this.#running.delete(tag),
    );
    return work;
  }
}
