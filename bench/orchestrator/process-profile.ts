// Profiling aid (not a bench): one deployment of the process-schedule topology with every state and lock call timed.
//   npx tsx --tsconfig tsconfig.json bench/orchestrator/process-profile.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, fileState, orchestrate, processRuntime, type DeployEvent } from '@dive/orchestrator';

const dir = mkdtempSync(join(tmpdir(), 'dive-prof-'));
const SERVICE = `setTimeout(() => require('net').createServer((s) => s.end()).listen(+process.env.PORT, '127.0.0.1'), +process.env.DELAY);`;
const lines: string[] = [];
let t0 = 0;
const at = (): string => String(Math.round(performance.now() - t0)).padStart(5);
function timed<T extends object>(label: string, target: T): T {
  return new Proxy(target, {
    get(t, p, r) {
      const v = Reflect.get(t, p, r) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const s = performance.now();
        const out = (v as (...a: unknown[]) => unknown).apply(t, args);
        if (out !== null && typeof out === 'object' && 'then' in out)
          void (out as PromiseLike<unknown>).then(() =>
            lines.push(
              `${at()} ${label}.${String(p)} ${(performance.now() - s).toFixed(1)} ms ${typeof args[1] === 'string' ? args[1] : ''}`,
            ),
          );
        return out;
      };
    },
  });
}
for (let r = 0; r < Number(process.env['ROUNDS'] ?? 3); r++) {
  lines.length = 0;
  const base = 41000 + r * 2;
  const svc = (port: number, delay: number, deps: string[]) => ({
    process: { command: process.execPath, args: ['-e', SERVICE], env: { PORT: String(port), DELAY: String(delay) } },
    health: [{ type: 'tcp' as const, host: '127.0.0.1', port }],
    dependsOn: deps,
    retry: { policy: 'none' as const, attempts: 1 },
  });
  t0 = performance.now();
  const backend = fileState(join(dir, 'state'));
  const state = { ...backend, store: timed('store', backend.store), locks: timed('locks', backend.locks) };
  await using runtime = processRuntime({ logDir: join(dir, 'logs') });
  const events: DeployEvent[] = [];
  const result = await orchestrate(
    { instance: 'PRF', services: { db: svc(base, 1200, []), api: svc(base + 1, 1000, ['db']) } },
    {
      state,
      runtime,
      onEvent: (e) => {
        events.push(e);
        lines.push(`${at()} event ${e.type} ${'service' in e ? e.service : ''}${'to' in e ? e.to : ''}`);
      },
    },
  );
  lines.push(`${at()} returned ${result.isOk() ? String(result.value.success) : result.error._tag}`);
  console.log(`--- round ${r}\n${lines.join('\n')}`);
  await down('PRF', { state, runtime });
  await state[Symbol.asyncDispose]();
}
rmSync(dir, { recursive: true, force: true, maxRetries: 5 }); // a service may still be closing its log
