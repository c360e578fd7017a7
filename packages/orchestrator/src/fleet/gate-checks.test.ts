import type { ServerResponse } from 'node:http';
import { createFakeClock } from '@dive/errors/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryHttp, tryTcp, type Try } from './gate-checks.js';
import { LOOPBACK, type LoopbackServers, startLoopbackServers } from './loopback-servers.test-helpers.js';

// One try of the http and tcp checks of a gate against loopback servers this file starts on 127.0.0.1. Deadlines are
// on a fake clock: time moves only when a test moves it, so an answer is never "late" and a deadline is exact.
const HOST = LOOPBACK;
let servers: LoopbackServers;
let httpPort = 0;
let tcpPort = 0;
let closedPort = 0;
/** Requests the HTTP server holds without answering (path /hang), to be closed by the client. */
const hanging = new Set<ServerResponse>();
let onHang: (() => void) | undefined;

beforeAll(async () => {
  servers = await startLoopbackServers({
    onRequest: (req, res) => {
      if (req.url !== '/hang') return false;
      hanging.add(res);
      res.once('close', () => hanging.delete(res));
      onHang?.();
      return true;
    },
  });
  ({ httpPort, tcpPort, closedPort } = servers);
});

afterAll(() => servers.close());

/** Whether `p` settled by the time the event loop turned `turns` times (real I/O may land in between). */
async function settledWithin(p: Promise<Try>, turns = 20): Promise<boolean> {
  let settled = false;
  void p.then(() => {
    settled = true;
  });
  for (let i = 0; i < turns && !settled; i++) await new Promise((r) => setImmediate(r));
  return settled;
}

describe('gate check: http', () => {
  it('passes when the URL answers the expected status (200 by default, or the one given)', async () => {
    const clock = createFakeClock();
    const url = `http://${HOST}:${httpPort}/200`;
    expect(await tryHttp({ url }, clock, 5_000)).toEqual({
      passed: true,
      detail: `GET ${url}: HTTP 200 (want 200)`,
    });
    const created = `http://${HOST}:${httpPort}/201`;
    expect(await tryHttp({ url: created, expectStatus: 201 }, clock, 5_000)).toMatchObject({ passed: true });
    expect(clock.pendingTimers()).toBe(0); // its deadline was cleared
  });

  it('fails on another status, naming the status it got and the one it wanted', async () => {
    const clock = createFakeClock();
    const url = `http://${HOST}:${httpPort}/503`;
    expect(await tryHttp({ url }, clock, 5_000)).toEqual({
      passed: false,
      detail: `GET ${url}: HTTP 503 (want 200)`,
    });
    const other = await tryHttp({ url: `http://${HOST}:${httpPort}/200`, expectStatus: 204 }, clock, 5_000);
    expect(other.passed).toBe(false);
    expect(other.detail).toMatch(/HTTP 200 \(want 204\)$/);
  });

  it('fails when nothing listens, naming the refused connection', async () => {
    const clock = createFakeClock();
    const url = `http://${HOST}:${closedPort}/`;
    const t = await tryHttp({ url }, clock, 5_000);
    expect(t.passed).toBe(false);
    expect(t.detail).toMatch(new RegExp(`^GET ${url}: .*ECONNREFUSED`));
  });

  it('fails at its deadline (not before) when the server does not answer, and closes the request', async () => {
    const clock = createFakeClock();
    const url = `http://${HOST}:${httpPort}/hang`;
    const arrived = new Promise<void>((resolve) => {
      onHang = resolve;
    });
    const t = tryHttp({ url }, clock, 5_000);
    await arrived;
    expect(await settledWithin(t)).toBe(false);
    clock.advance(4_999);
    expect(await settledWithin(t)).toBe(false);
    clock.advance(1);
    expect(await t).toEqual({ passed: false, detail: `GET ${url}: no answer within 5000 ms`, noAnswer: true });
    // the request was aborted: the server sees it close (real I/O, no sleep)
    while (hanging.size > 0) await new Promise((r) => setImmediate(r));
    onHang = undefined;
  });
});

describe('gate check: tcp', () => {
  it('passes when host:port accepts a connection', async () => {
    const clock = createFakeClock();
    expect(await tryTcp({ host: HOST, port: tcpPort }, clock, 5_000)).toEqual({
      passed: true,
      detail: `connected to ${HOST}:${tcpPort}`,
    });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('fails when nothing listens, naming the refused connection', async () => {
    const clock = createFakeClock();
    const t = await tryTcp({ host: HOST, port: closedPort }, clock, 5_000);
    expect(t.passed).toBe(false);
    expect(t.detail).toMatch(new RegExp(`^connect ${HOST}:${closedPort}: .*ECONNREFUSED`));
  });

  it('fails at its deadline when the connection is not made by then', async () => {
    const clock = createFakeClock();
    const t = tryTcp({ host: HOST, port: tcpPort }, clock, 2_000);
    // the deadline passes before the event loop turns, so before the connection can be made
    clock.advance(1_999);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(1);
    expect(await t).toEqual({
      passed: false,
      detail: `connect ${HOST}:${tcpPort}: no answer within 2000 ms`,
      noAnswer: true,
    });
    expect(clock.pendingTimers()).toBe(0);
  });
});
