import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ensureBusyboxImage } from './docker.js';
import { freePort } from './ports.js';
import { generateTestCertificates } from './test-certificates.js';
import { waitFor } from './wait-for.js';

/** Options of {@link startSecondDockerd}. */
export interface SecondDockerdOptions {
  /**
   * Also listen on `tcp://<host>:<free port>` with `--tlsverify` and certificates generated for it (default true);
   * `false`: the unix socket only.
   */
  readonly tls?: boolean;
  /** The loopback address of the TCP listener. Default `127.0.0.2` (Linux routes all of 127.0.0.0/8 to `lo`). */
  readonly host?: string;
  /** Build the busybox test image in it ({@link ensureBusyboxImage}). Default true. */
  readonly busybox?: boolean;
  /** How long the daemon may take to answer, in ms. Default 90_000 (a loaded CI machine). */
  readonly startTimeoutMs?: number;
}

/** A test's own Docker engine. */
export interface SecondDockerd {
  /** Where it answers: `tcp://127.0.0.2:<port>` with TLS (the default), else its `unix://` socket. */
  readonly url: string;
  /** Its unix socket, `unix://<dir>/docker.sock` (no TLS). */
  readonly socketUrl: string;
  /** The client TLS files for `url` (PEM paths), with TLS. */
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string };
  /** With TLS: a directory with `ca.pem`, `cert.pem` and `key.pem` (the client's), for `DOCKER_CERT_PATH`. */
  readonly certPath?: string;
  /** A dockerode client on its unix socket. */
  readonly docker: Docker;
  /** The busybox test image's tag in it (`''` with `busybox: false`). */
  readonly image: string;
  /** Stop the daemon (SIGTERM; SIGKILL after 30 s) but keep its data: {@link SecondDockerd.restart} brings it back. */
  halt(): Promise<void>;
  /** Start the daemon again on the same directories, socket and port; resolves once it answers. */
  restart(): Promise<void>;
  /** Remove every container, stop the daemon and remove its directories (idempotent). */
  stop(): Promise<void>;
}

/** Unmount what dockerd left mounted under `dir` (its data-root may stay bind-mounted), deepest first. */
function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(dir))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
}

/** Kill the containerd that dockerd started for itself, if the daemon died without stopping it. */
function killManagedContainerd(execRoot: string): void {
  const pidfile = join(execRoot, 'containerd', 'containerd.pid');
  if (!existsSync(pidfile)) return;
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Start a Docker engine of the test's own beside the shared one, as SPEC's multi-host tests need: its own
 * `--data-root`, `--exec-root`, `--pidfile` and unix socket in a temporary directory, `--bridge=none
 * --iptables=false --ip-forward=false --ip-masq=false` (as `scripts/test-services.sh` starts the shared one),
 * `--storage-driver vfs` (overlay on the shared engine's overlay is not always possible), and with `tls` a listener
 * `-H tcp://127.0.0.2:<free port> --tlsverify` with a CA, server (SAN `IP:127.0.0.2`) and client certificates
 * generated with `openssl` into the directory.
 *
 * Two daemons side by side: each dockerd starts and manages its OWN containerd (socket and state under its
 * `--exec-root`, content under its `--data-root`), so nothing is shared with the first engine and no
 * `--containerd` flag is needed; the only clash would be the default bridge and iptables, both off. 127.0.0.2 works
 * without setup on Linux (the whole 127.0.0.0/8 is routed to `lo`). Needs root (dockerd), `openssl` and
 * busybox-static (`scripts/test-services.sh` installs them).
 * @param options - TLS on or off, the listener's address, whether to build the busybox image
 * @returns the engine: its URLs, client TLS files, a dockerode client, the image tag, `halt`/`restart`/`stop`
 */
export async function startSecondDockerd(options: SecondDockerdOptions = {}): Promise<SecondDockerd> {
  const useTls = options.tls ?? true;
  const host = options.host ?? '127.0.0.2';
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  const dir = mkdtempSync(join(tmpdir(), 'dive-dockerd-'));
  const execRoot = join(dir, 'exec');
  const socket = join(dir, 'docker.sock');
  const certs = useTls ? generateTestCertificates(dir, [host]) : undefined;
  const certPath = join(dir, 'client');
  if (certs !== undefined) {
    mkdirSync(certPath);
    copyFileSync(certs.ca, join(certPath, 'ca.pem'));
    copyFileSync(certs.clientCert, join(certPath, 'cert.pem'));
    copyFileSync(certs.clientKey, join(certPath, 'key.pem'));
  }
  const port = useTls ? await freePort(host) : 0;
  const args = [
    ...['--data-root', join(dir, 'data'), '--exec-root', execRoot, '--pidfile', join(dir, 'dockerd.pid')],
    ...['-H', `unix://${socket}`, '--bridge=none', '--iptables=false', '--ip-forward=false', '--ip-masq=false'],
    ...['--storage-driver', 'vfs'],
    ...(certs === undefined
      ? []
      : ['-H', `tcp://${host}:${port}`, '--tlsverify', '--tlscacert', certs.ca, '--tlscert', certs.serverCert]),
    ...(certs === undefined ? [] : ['--tlskey', certs.serverKey]),
  ];
  const docker = new Docker({ socketPath: socket });
  let daemon: ChildProcess | undefined;
  let stopped = false;

  const start = async (): Promise<void> => {
    const log = openSync(join(dir, 'dockerd.log'), 'a');
    const child = spawn('dockerd', args, { stdio: ['ignore', log, log] });
    closeSync(log);
    daemon = child;
    try {
      await waitFor(
        'the second dockerd to answer',
        async () => {
          if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}`);
          await docker.ping();
          return true;
        },
        startTimeoutMs,
        250,
      );
    } catch (e) {
      const tail = readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-15).join('\n');
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- dockerd.log ---\n${tail}`, { cause: e });
    }
  };

  const halt = async (): Promise<void> => {
    const d = daemon;
    daemon = undefined;
    if (d === undefined || d.exitCode !== null || d.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => d.once('exit', () => resolve()));
    d.kill('SIGTERM');
    const timer = setTimeout(() => d.kill('SIGKILL'), 30_000);
    await gone;
    clearTimeout(timer);
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (daemon !== undefined) {
      const all = await docker.listContainers({ all: true }).catch(() => []);
      await Promise.all(
        all.map((c) =>
          docker
            .getContainer(c.Id)
            .remove({ force: true, v: true })
            .catch(() => {}),
        ),
      );
    }
    await halt();
    killManagedContainerd(execRoot);
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await start();
    const image = options.busybox === false ? '' : await ensureBusyboxImage(docker);
    return {
      url: certs === undefined ? `unix://${socket}` : `tcp://${host}:${port}`,
      socketUrl: `unix://${socket}`,
      ...(certs === undefined ? {} : { tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey }, certPath }),
      docker,
      image,
      halt,
      restart: start,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
