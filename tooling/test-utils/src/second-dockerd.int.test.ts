// The second Docker engine of the multi-host tests: it answers over TLS on 127.0.0.2 beside the shared engine,
// refuses a client without a certificate, has the busybox image, and leaves nothing behind.
import { existsSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { startSecondDockerd, type SecondDockerd } from './second-dockerd.js';

let engine: SecondDockerd | undefined;
afterAll(async () => engine?.stop(), 120_000);

describe('startSecondDockerd', () => {
  it('runs a TLS engine on 127.0.0.2 beside the shared one, and removes everything on stop', async () => {
    engine = await startSecondDockerd({ tls: true });
    const { url, tls } = engine;
    expect(url).toMatch(/^tcp:\/\/127\.0\.0\.2:\d+$/);
    const { port } = new URL(url);
    const client = new Docker({
      host: '127.0.0.2',
      port,
      protocol: 'https',
      ca: readFileSync(tls?.ca ?? ''),
      cert: readFileSync(tls?.cert ?? ''),
      key: readFileSync(tls?.key ?? ''),
    });
    const info = (await client.info()) as { DockerRootDir: string };
    const shared = (await new Docker().info()) as { DockerRootDir: string };
    expect(info.DockerRootDir).not.toBe(shared.DockerRootDir);
    expect(await client.getImage(engine.image).inspect()).toHaveProperty('Id');
    // --tlsverify: a client without a certificate is turned away
    const anonymous = new Docker({ host: '127.0.0.2', port, protocol: 'https', ca: readFileSync(tls?.ca ?? '') });
    await expect(anonymous.ping()).rejects.toThrow();

    const root = info.DockerRootDir;
    await engine.stop();
    expect(existsSync(root)).toBe(false);
    await expect(client.ping()).rejects.toThrow();
  }, 240_000);
});
