import { describe, expect, it } from 'vitest';
import { containerOf, importText, messages } from './test-support.js';

describe('networks', () => {
  it('maps top-level networks and the default one', () => {
    const result = importText(
      [
        'services:',
        '  a: { image: x }',
        'networks:',
        '  front:',
        '  back: { internal: true, driver: bridge, attachable: true, enable_ipv6: false, labels: { a: b } }',
        '  ext: { external: true, name: corp }',
        '  old: { external: { name: legacy } }',
        '  default: { name: custom, driver_opts: { com.docker.network.bridge.name: br0 } }',
        '',
      ].join('\n'),
    );
    expect(result.topology['networks']).toEqual({
      front: {},
      back: { internal: true, driver: 'bridge', attachable: true, enableIpv6: false, labels: { a: 'b' } },
      ext: { external: true, name: 'corp' },
      old: { external: true, name: 'legacy' },
      default: { name: 'custom', driverOpts: { 'com.docker.network.bridge.name': 'br0' } },
    });
    expect(messages(result.warnings)).toEqual([
      "networks.old.external: 'external: { name }' is deprecated; use 'external: true' with 'name'",
    ]);
  });

  it('warns about ipam', () => {
    const result = importText('services:\n  a: { image: x }\nnetworks:\n  n: { ipam: { driver: default } }\n');
    expect(messages(result.warnings)).toEqual([
      "networks.n.ipam: network 'n': 'ipam' is ignored (Docker's defaults apply)",
    ]);
  });

  it('maps service networks as a list or a map with aliases and an address', () => {
    const result = importText(
      'services:\n  a:\n    image: x\n    networks:\n      front:\n      back: { aliases: [db, database], ipv4_address: 172.16.238.10, priority: 5 }\n  b:\n    image: x\n    networks: [front, default]\nnetworks: { front: {}, back: {} }\n',
    );
    expect(containerOf(result)['networks']).toEqual({
      front: {},
      back: { aliases: ['db', 'database'], ipv4Address: '172.16.238.10' },
    });
    expect(containerOf(result, 'b')['networks']).toEqual({ front: {}, default: {} });
    expect(messages(result.warnings)).toEqual([
      "services.a.networks.back.priority: service 'a': network 'back': 'priority' is ignored",
    ]);
  });

  it.each([
    ['none', 'none'],
    ['host', 'host'],
    ['service:b', 'service:b'],
    ['container:abc', 'container:abc'],
  ])('maps network_mode %s', (mode, expected) => {
    const result = importText(`services:\n  a:\n    image: x\n    network_mode: "${mode}"\n  b: { image: x }\n`);
    expect(result.problems).toEqual([]);
    expect(containerOf(result)['networkMode']).toBe(expected);
  });

  it('reads network_mode bridge as the instance network, with a warning', () => {
    const result = importText('services:\n  a:\n    image: x\n    network_mode: bridge\n');
    expect(containerOf(result)['networkMode']).toBeUndefined();
    expect(messages(result.warnings)).toEqual([
      "services.a.network_mode: service 'a': network_mode bridge means the instance's own network here",
    ]);
  });

  it('refuses undeclared networks, unknown services and both network_mode and networks', () => {
    const result = importText(
      'services:\n  a:\n    image: x\n    networks: [nope]\n  b:\n    image: x\n    network_mode: service:ghost\n  c:\n    image: x\n    network_mode: host\n    networks: [default]\n  d:\n    image: x\n    network_mode: weird\n',
    );
    expect(messages(result.problems)).toEqual([
      'services.d.network_mode: must be none, host, bridge, service:NAME or container:NAME',
      "services.a.networks.nope: service 'a' uses network 'nope', which is not declared",
      "services.b.network_mode: service 'b' shares the network of 'ghost', which is not defined",
      "services.c.network_mode: service 'c' sets both network_mode and networks",
    ]);
  });
});

describe('ports with a shared network stack', () => {
  it('drops the ports of a network_mode host service with a warning, as Compose does', () => {
    const result = importText('services:\n  a:\n    image: x\n    network_mode: host\n    ports: ["80:80"]\n');
    expect(containerOf(result)['ports']).toBeUndefined();
    expect(messages(result.warnings)).toEqual([
      "services.a.ports: service 'a': ports are not published with network_mode host (as Compose)",
    ]);
  });
});
