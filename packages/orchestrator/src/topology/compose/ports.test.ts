import { describe, expect, it } from 'vitest';
import { containerOf, importText, messages } from './test-support.js';

const ports = (list: string): unknown =>
  containerOf(importText(`services:\n  a:\n    image: x\n    ports: ${list}\n`))['ports'];

describe('ports', () => {
  it.each([
    ['["3000"]', [{ target: 3000 }]],
    ['[8080]', [{ target: 8080 }]],
    ['["8000:80"]', [{ target: 80, published: 8000 }]],
    ['["127.0.0.1:8001:8001"]', [{ target: 8001, published: 8001, hostIp: '127.0.0.1' }]],
    ['["127.0.0.1::80"]', [{ target: 80, hostIp: '127.0.0.1' }]],
    ['["[::1]:6001:6001"]', [{ target: 6001, published: 6001, hostIp: '::1' }]],
    ['["6060:6060/udp"]', [{ target: 6060, published: 6060, protocol: 'udp' }]],
    [
      '["9090-9091:8080-8081"]',
      [
        { target: 8080, published: 9090 },
        { target: 8081, published: 9091 },
      ],
    ],
    ['["3000-3001"]', [{ target: 3000 }, { target: 3001 }]],
    [
      '[{ target: 80, published: "8080", host_ip: 127.0.0.1, protocol: udp }]',
      [{ target: 80, published: 8080, hostIp: '127.0.0.1', protocol: 'udp' }],
    ],
  ])('%s', (list, expected) => {
    expect(ports(list)).toEqual(expected);
  });

  it.each([
    ['["80-81:90"]', /same length/],
    ['["abc"]', /must be a port/],
    ['["1:2:3:4"]', /HOST_IP/],
    ['["80/sctp"]', /tcp or udp/],
  ])('refuses %s with its path', (list, message) => {
    const result = importText(`services:\n  a:\n    image: x\n    ports: ${list}\n`);
    expect(messages(result.problems)).toEqual([expect.stringMatching(message)]);
    expect(result.problems[0]?.path).toEqual(['services', 'a', 'ports', 0]);
  });

  it('maps expose with ranges and protocols', () => {
    const c = containerOf(importText('services:\n  a:\n    image: x\n    expose: ["3000", 4000-4001, "5000/tcp"]\n'));
    expect(c['expose']).toEqual([3000, 4000, 4001, 5000]);
  });

  it('warns about long-syntax keys it does not apply', () => {
    const result = importText('services:\n  a:\n    image: x\n    ports: [{ target: 80, name: web }]\n');
    expect(messages(result.warnings)).toEqual(["services.a.ports.0.name: service 'a': port 'name' is ignored"]);
  });
});
