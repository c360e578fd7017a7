import { describe, expect, it } from 'vitest';
import { containerName } from './container-name.js';
import { engineError, engineMessage, statusCode } from './docker-errors.js';
import { dockerHealthcheck } from './docker-healthcheck.js';
import { demuxDockerLogs as demultiplex } from '@dive/health';
import { logLines } from './log-lines.js';
import Docker from 'dockerode';

const frame = (stream: 1 | 2, text: string): Buffer => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('containerName', () => {
  it('is dive-<instance>-<service>-<8 chars of the deployment id>, lower-case, Docker-safe', () => {
    expect(containerName('USA', 'keycloak', '1a2b3c4d-5e6f-7081')).toBe('dive-usa-keycloak-1a2b3c4d');
    expect(containerName('EST', 'My Svc/1', 'dep_X')).toBe('dive-est-my-svc-1-depx');
  });
});

describe('dockerHealthcheck', () => {
  it('converts milliseconds to nanoseconds and keeps unset fields unset', () => {
    expect(
      dockerHealthcheck({ test: ['CMD-SHELL', 'true'], intervalMs: 2, timeoutMs: 3, retries: 4, startPeriodMs: 5 }),
    ).toEqual({
      Test: ['CMD-SHELL', 'true'],
      Interval: 2_000_000,
      Timeout: 3_000_000,
      Retries: 4,
      StartPeriod: 5_000_000,
    });
    expect(dockerHealthcheck({ test: ['NONE'] })).toEqual({ Test: ['NONE'] });
  });
});

describe('demultiplex', () => {
  it('joins stdout and stderr frames in order, splitting into lines', () => {
    const buf = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'o\nerr\n'), frame(1, 'three\n')]);
    expect(logLines(demultiplex(buf))).toEqual(['one', 'two', 'err', 'three']);
  });
  it('passes a TTY (unframed) log through', () => {
    expect(logLines(demultiplex(Buffer.from('plain\r\ntext\n')))).toEqual(['plain', 'text']);
    expect(logLines(demultiplex(Buffer.alloc(0)))).toEqual([]);
  });
});

describe('engineError', () => {
  const docker = new Docker({ socketPath: '/run/nowhere.sock' });
  it('turns a socket error into RuntimeUnavailableError naming the socket', () => {
    const e = engineError(
      docker,
      Object.assign(new Error('connect ENOENT /run/nowhere.sock'), { code: 'ENOENT' }),
      'pinging',
      {},
    );
    expect(e._tag).toBe('RuntimeUnavailableError');
    expect(e.message).toContain('/run/nowhere.sock');
  });
  it('reads the engine message and status of an HTTP error', () => {
    const http = Object.assign(new Error('(HTTP code 500) server error'), {
      statusCode: 500,
      json: { message: 'boom' },
    });
    expect(statusCode(http)).toBe(500);
    expect(engineMessage(http)).toBe('boom');
    expect(engineError(docker, http, 'x', {})._tag).toBe('UnexpectedError');
  });
});
