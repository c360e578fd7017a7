import { canTransition, DEPLOYMENT_STATES, TRANSITIONS, type DeploymentState } from '../state-machine.js';
import type { StateStore, TransitionOptions } from '../types.js';
import { check, failsWith, unwrap, type ContractCase } from './contract-assert.js';

export type { ContractCase };

/** What the contract needs: a store (already migrated; read lazily, so a getter works; not disposed by the suite) and unique instance names. */
export interface ContractHarness {
  readonly store: StateStore;
  /** A fresh instance name on every call, so cases can run side by side. */
  instance(): string;
}

const opts = (fencingToken = 1, extra: Partial<TransitionOptions> = {}): TransitionOptions => ({
  fencingToken,
  reason: 'contract',
  actor: 'contract-suite',
  ...extra,
});

/** Shortest legal path from UNKNOWN to each state. */
function pathTo(target: DeploymentState): DeploymentState[] {
  const prev = new Map<DeploymentState, DeploymentState>();
  const queue: DeploymentState[] = ['UNKNOWN'];
  const seen = new Set<DeploymentState>(['UNKNOWN']);
  while (queue.length > 0) {
    const s = queue.shift();
    if (s === undefined) break;
    for (const t of TRANSITIONS) {
      if (t.from === s && !seen.has(t.to)) {
        seen.add(t.to);
        prev.set(t.to, s);
        queue.push(t.to);
      }
    }
  }
  const path: DeploymentState[] = [];
  for (let s: DeploymentState | undefined = target; s !== undefined && s !== 'UNKNOWN'; s = prev.get(s))
    path.unshift(s);
  return path;
}

async function walk(store: StateStore, instance: string, to: DeploymentState): Promise<void> {
  for (const s of pathTo(to)) unwrap(await store.transition(instance, s, opts()), `walk ${instance} to ${s}`);
}

/**
 * The contract every {@link StateStore} passes: the in-memory, file and PostgreSQL stores run it, and so can
 * yours.
 * @param h - the store under test and an instance-name source
 * @returns the cases, framework-agnostic
 * @example
 * ```ts
 * const store = createMemoryStateStore();
 * let n = 0;
 * for (const c of stateStoreContract({ store, instance: () => `i${n++}` })) it(c.name, c.run);
 * ```
 */
export function stateStoreContract(h: ContractHarness): readonly ContractCase[] {
  return [
    {
      name: 'the store id is 32 hex digits and the same on every call',
      run: async () => {
        const [a, b] = [unwrap(await h.store.storeId(), 'storeId'), unwrap(await h.store.storeId(), 'storeId')];
        check(/^[0-9a-f]{32}$/.test(a) && a === b, `store ids ${a} and ${b}`);
      },
    },
    {
      name: 'a new instance is UNKNOWN at version 0',
      run: async () => {
        const s = unwrap(await h.store.getState(h.instance()), 'getState');
        check(s.state === 'UNKNOWN' && s.version === 0 && s.fencingToken === null, `got ${JSON.stringify(s)}`);
      },
    },
    {
      name: 'a legal path applies with gap-free versions, history newest first, the audit log verifies',
      run: async () => {
        const i = h.instance();
        const path: DeploymentState[] = ['INITIALIZING', 'DEPLOYING', 'CONFIGURING', 'VERIFYING', 'COMPLETE'];
        for (const [n, to] of path.entries()) {
          const r = unwrap(
            await h.store.transition(i, to, opts(1, { deploymentId: 'd1', metadata: { n, ü: 'ß' } })),
            to,
          );
          check(
            r.version === n + 1 && r.to === to && r.from === (n === 0 ? 'UNKNOWN' : path[n - 1]),
            `record ${JSON.stringify(r)}`,
          );
        }
        const s = unwrap(await h.store.getState(i), 'getState');
        check(s.state === 'COMPLETE' && s.version === 5 && s.fencingToken === 1, `state ${JSON.stringify(s)}`);
        const hist = unwrap(await h.store.history(i), 'history');
        check(
          hist.map((r) => r.version).join() === '5,4,3,2,1',
          `history versions ${hist.map((r) => r.version).join()}`,
        );
        check(hist[4]?.metadata['ü'] === 'ß' && hist[4]?.deploymentId === 'd1', 'metadata round-trips');
        const page = unwrap(await h.store.history(i, { limit: 2, before: 4 }), 'history page');
        check(page.map((r) => r.version).join() === '3,2', `page ${page.map((r) => r.version).join()}`);
        const v = unwrap(await h.store.verifyAuditLog(i), 'verifyAuditLog');
        check(v.rows === 5 && v.head === hist[0]?.hash, 'verification covers every row');
        check(unwrap(await h.store.instances(), 'instances').includes(i), 'instances lists it');
      },
    },
    {
      name: 'exactly the eighteen legal edges are accepted',
      run: async () => {
        let accepted = 0;
        for (const from of DEPLOYMENT_STATES) {
          for (const to of DEPLOYMENT_STATES) {
            const i = h.instance();
            await walk(h.store, i, from);
            const r = await h.store.transition(i, to, opts());
            if (canTransition(from, to)) {
              unwrap(r, `${from} -> ${to}`);
              accepted++;
            } else {
              failsWith(r, 'InvalidTransitionError', `${from} -> ${to}`);
              const s = unwrap(await h.store.getState(i), 'getState');
              check(s.state === from, `refused ${from} -> ${to} left ${s.state}`);
            }
          }
        }
        check(accepted === 18, `accepted ${accepted}`);
      },
    },
    {
      name: 'a wrong expectedVersion is ConcurrentModificationError; the right one applies',
      run: async () => {
        const i = h.instance();
        failsWith(
          await h.store.transition(i, 'INITIALIZING', opts(1, { expectedVersion: 3 })),
          'ConcurrentModificationError',
          'new instance v3',
        );
        unwrap(await h.store.transition(i, 'INITIALIZING', opts(1, { expectedVersion: 0 })), 'v0');
        failsWith(
          await h.store.transition(i, 'DEPLOYING', opts(1, { expectedVersion: 0 })),
          'ConcurrentModificationError',
          'v0 again',
        );
        unwrap(await h.store.transition(i, 'DEPLOYING', opts(1, { expectedVersion: 1 })), 'v1');
      },
    },
    {
      name: 'a fencing token older than the highest accepted is StaleFencingTokenError; equal and newer apply',
      run: async () => {
        const i = h.instance();
        unwrap(await h.store.transition(i, 'INITIALIZING', opts(5)), 'token 5');
        unwrap(await h.store.transition(i, 'DEPLOYING', opts(5)), 'token 5 again');
        failsWith(await h.store.transition(i, 'FAILED', opts(4)), 'StaleFencingTokenError', 'token 4');
        unwrap(await h.store.transition(i, 'FAILED', opts(9, { reason: 'interrupted' })), 'token 9');
        failsWith(await h.store.transition(i, 'ROLLING_BACK', opts(5)), 'StaleFencingTokenError', 'token 5 after 9');
        const s = unwrap(await h.store.getState(i), 'getState');
        check(s.fencingToken === 9 && s.version === 3, `state ${JSON.stringify(s)}`);
      },
    },
    {
      name: 'racing writers with the same expectedVersion: exactly one applies',
      run: async () => {
        const i = h.instance();
        unwrap(await h.store.transition(i, 'INITIALIZING', opts()), 'init');
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, n) =>
            h.store.transition(i, n % 2 === 0 ? 'DEPLOYING' : 'FAILED', opts(1, { expectedVersion: 1 })),
          ),
        );
        const won = results.filter((r) => r.isOk()).length;
        check(won === 1, `${won} writers won`);
        for (const r of results)
          if (r.isErr())
            check(
              r.error._tag === 'ConcurrentModificationError' || r.error._tag === 'InvalidTransitionError',
              r.error._tag,
            );
        unwrap(await h.store.verifyAuditLog(i), 'verify');
      },
    },
    {
      name: 'steps are recorded and replaced by (deploymentId, step)',
      run: async () => {
        const i = h.instance();
        const d = `dep-${i}`;
        unwrap(
          await h.store.recordStep({ deploymentId: d, instance: i, step: 'pull', status: 'running', startedAt: 10 }),
          'step',
        );
        unwrap(
          await h.store.recordStep({ deploymentId: d, instance: i, step: 'start', status: 'running', startedAt: 20 }),
          'step',
        );
        unwrap(
          await h.store.recordStep({
            deploymentId: d,
            instance: i,
            step: 'pull',
            status: 'succeeded',
            startedAt: 10,
            endedAt: 15,
            detail: { bytes: 3 },
          }),
          'step',
        );
        const steps = unwrap(await h.store.steps(d), 'steps');
        check(
          steps.length === 2 && steps[0]?.step === 'pull' && steps[0].status === 'succeeded' && steps[0].endedAt === 15,
          JSON.stringify(steps),
        );
        check(steps[1]?.endedAt === null && steps[0]?.detail?.['bytes'] === 3, JSON.stringify(steps));
      },
    },
    {
      name: 'checkpoints: create, list newest first, get verified, prune, not found',
      run: async () => {
        const i = h.instance();
        const ids: string[] = [];
        for (let n = 0; n < 3; n++) {
          ids.push(unwrap(await h.store.createCheckpoint(i, { n, services: ['a'] }), 'create').id);
        }
        const [oldest = '', middle = '', newest = ''] = ids;
        const list = unwrap(await h.store.listCheckpoints(i), 'list');
        check(list.map((c) => c.id).join() === [...ids].reverse().join(), `list order ${list.map((c) => c.id).join()}`);
        const got = unwrap(await h.store.getCheckpoint(middle), 'get');
        check(
          JSON.stringify(got.payload) === JSON.stringify({ n: 1, services: ['a'] }) && got.instance === i,
          'payload',
        );
        check(unwrap(await h.store.pruneCheckpoints(i, 1), 'prune') === 2, 'pruned 2');
        check(
          unwrap(await h.store.listCheckpoints(i), 'list')
            .map((c) => c.id)
            .join() === newest,
          'newest kept',
        );
        failsWith(await h.store.getCheckpoint(oldest), 'CheckpointNotFoundError', 'pruned one');
      },
    },
    {
      name: 'errors are counted by code and severity, with top causes and a trend',
      run: async () => {
        const i = h.instance();
        const e = (code: number, severity: 'HIGH' | 'LOW', message: string) => ({
          _tag: `E${code}`,
          code,
          severity,
          message,
        });
        const base = 1_700_000_000_000;
        unwrap(await h.store.recordError(e(2001, 'HIGH', 'timeout'), { instance: i, at: base }), 'record');
        for (let n = 0; n < 3; n++)
          unwrap(
            await h.store.recordError(e(4001, 'LOW', 'check failed'), { instance: i, at: base + 3_600_000 + n }),
            'record',
          );
        const a = unwrap(await h.store.errorAnalytics({ instance: i, bucket: 'hour' }), 'analytics');
        check(a.total === 4 && a.bySeverity.HIGH === 1 && a.bySeverity.LOW === 3, JSON.stringify(a));
        check(
          a.byCode[0]?.code === 4001 && a.byCode[0].count === 3 && a.topCauses[0]?.message === 'check failed',
          JSON.stringify(a.byCode),
        );
        check(a.buckets.length === 2 && a.trend === 'rising', JSON.stringify(a.buckets));
        const since = unwrap(await h.store.errorAnalytics({ instance: i, since: base + 1, bucket: 'day' }), 'since');
        check(since.total === 3, `since ${since.total}`);
      },
    },
    {
      name: 'the metrics snapshot round-trips',
      run: async () => {
        const doc = { version: 1, series: [{ name: 'dive_deployments_total', value: 3 }] };
        unwrap(await h.store.saveMetricsSnapshot(doc), 'save');
        check(
          JSON.stringify(unwrap(await h.store.loadMetricsSnapshot(), 'load')) === JSON.stringify(doc),
          'same document',
        );
      },
    },
  ];
}
