import { createDependencyGraph } from '@dive/dependency-graph';
import { CancelledError, TimeoutError, type DiveError } from '@dive/errors';
import { err, errAsync, ok, ResultAsync } from 'neverthrow';
import { describe, expect, it } from 'vitest';
import { runGraph, type StartOutcome } from './run-graph.js';

const graph = createDependencyGraph({
  fast: {},
  slow: {},
  needsFast: { dependsOn: ['fast'] },
  needsSlow: { dependsOn: ['slow'] },
})._unsafeUnwrap();

/** A start function whose services finish when the test says so; records the order of starts. */
function controlled() {
  const started: string[] = [];
  const finishers = new Map<string, (r: StartOutcome | DiveError) => void>();
  const start = (name: string) => {
    started.push(name);
    const settled = new Promise<StartOutcome | DiveError>((resolve) => finishers.set(name, resolve));
    return new ResultAsync(
      settled.then((r) => (typeof r === 'string' ? ok<StartOutcome, DiveError>(r) : err<StartOutcome, DiveError>(r))),
    );
  };
  const finish = async (name: string, r: StartOutcome | DiveError = 'healthy') => {
    finishers.get(name)?.(r);
    await new Promise((res) => setImmediate(res));
  };
  return { started, start, finish };
}

describe('runGraph', () => {
  it('ready: a dependent of a fast service starts without waiting for an unrelated slow one', async () => {
    const c = controlled();
    const done = runGraph({ scheduler: graph.createScheduler(), start: c.start, onFailed: () => true });
    await new Promise((r) => setImmediate(r));
    expect(c.started).toEqual(['fast', 'slow']);
    await c.finish('fast');
    expect(c.started).toEqual(['fast', 'slow', 'needsFast']);
    await c.finish('needsFast');
    await c.finish('slow');
    await c.finish('needsSlow');
    const result = await done;
    expect([...result.outcomes.keys()].sort()).toEqual(['fast', 'needsFast', 'needsSlow', 'slow']);
    expect(result.stoppedEarly).toBe(false);
  });

  it('levels: level 1 waits for the whole of level 0 (the seeds’ way)', async () => {
    const c = controlled();
    const done = runGraph({
      scheduler: graph.createScheduler(),
      start: c.start,
      onFailed: () => true,
      schedule: 'levels',
      levelOf: (n) => graph.levelOf(n),
    });
    await new Promise((r) => setImmediate(r));
    await c.finish('fast');
    expect(c.started).toEqual(['fast', 'slow']);
    await c.finish('slow');
    expect(c.started.slice(2).sort()).toEqual(['needsFast', 'needsSlow']);
    await c.finish('needsFast');
    await c.finish('needsSlow');
    expect((await done).outcomes.size).toBe(4);
  });

  it('a failure blocks its dependents and, when fatal, stops new starts', async () => {
    const c = controlled();
    const failures: string[] = [];
    const done = runGraph({
      scheduler: graph.createScheduler(),
      start: c.start,
      onFailed: (name, _e, blocked) => {
        failures.push(`${name}→${blocked.join(',')}`);
        return false;
      },
    });
    await new Promise((r) => setImmediate(r));
    await c.finish('slow', new TimeoutError('slow never healthy'));
    await c.finish('fast');
    const result = await done;
    expect(failures).toEqual(['slow→needsSlow']);
    expect(result.failed.get('slow')?._tag).toBe('TimeoutError');
    expect([...result.blocked]).toEqual(['needsSlow']);
    expect(result.notStarted).toEqual(['needsFast']);
    expect(result.stoppedEarly).toBe(true);
  });

  it('respects the concurrency limit', async () => {
    const c = controlled();
    const done = runGraph({ scheduler: graph.createScheduler(), start: c.start, onFailed: () => true, concurrency: 1 });
    await new Promise((r) => setImmediate(r));
    expect(c.started).toEqual(['fast']);
    await c.finish('fast');
    expect(c.started).toEqual(['fast', 'slow']);
    await c.finish('slow');
    await c.finish(c.started[2]!);
    await c.finish(c.started[3]!);
    expect((await done).outcomes.size).toBe(4);
  });

  it('abort: no new starts, in-flight ones awaited', async () => {
    const c = controlled();
    const controller = new AbortController();
    const done = runGraph({
      scheduler: graph.createScheduler(),
      start: c.start,
      onFailed: () => true,
      signal: controller.signal,
    });
    await new Promise((r) => setImmediate(r));
    controller.abort();
    await c.finish('fast');
    await c.finish('slow', new CancelledError('aborted'));
    const result = await done;
    expect(c.started).toEqual(['fast', 'slow']);
    expect(result.stoppedEarly).toBe(true);
    expect(result.notStarted).toEqual(['needsFast']);
    expect([...result.blocked]).toEqual(['needsSlow']);
  });

  it('finishes at once on an empty graph and with an erroring start', async () => {
    const empty = createDependencyGraph({})._unsafeUnwrap();
    expect(
      (
        await runGraph({
          scheduler: empty.createScheduler(),
          start: () => errAsync(new TimeoutError('x')),
          onFailed: () => true,
        })
      ).outcomes.size,
    ).toBe(0);
  });
});
