import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PEM files of a test CA, a server certificate signed by it and a client certificate signed by it. */
export interface TestCertificates {
  /** The CA certificate (both sides trust it). */
  readonly ca: string;
  /** The server's certificate and key (`dockerd --tlscert/--tlskey`). */
  readonly serverCert: string;
  readonly serverKey: string;
  /** The client's certificate and key (`docker --tlscert/--tlskey`, `dockerRuntime({ tls })`). */
  readonly clientCert: string;
  readonly clientKey: string;
}

const openssl = (dir: string, args: readonly string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
};

/** A P-256 key and a CSR (or, with `selfSigned`, a certificate) for `cn`. */
const request = (dir: string, name: string, cn: string, selfSigned = false): void =>
  openssl(dir, [
    'req',
    ...(selfSigned ? ['-x509', '-days', '2'] : []),
    ...['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-keyout', `${name}-key.pem`, '-out', selfSigned ? `${name}.pem` : `${name}.csr`, '-subj', `/CN=${cn}`],
    ...(selfSigned ? ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=keyCertSign,cRLSign'] : []),
  ]);

/** Sign `<name>.csr` with the CA into `<name>-cert.pem`, with the extensions in `extensions`. */
const sign = (dir: string, name: string, extensions: string): void => {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    ...['x509', '-req', '-days', '2', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem'],
    ...['-CAcreateserial', '-out', `${name}-cert.pem`, '-extfile', `${name}.ext`],
  ]);
};

/**
 * Generate, with the `openssl` CLI, a CA and a server and a client certificate it signs (P-256 keys, valid 2
 * days) into `dir` — what a `dockerd --tlsverify` and its clients need. The server certificate's subject
 * alternative names are `serverIps` (IP) and `localhost` (DNS).
 * @param dir - an existing directory the PEM files are written to
 * @param serverIps - the addresses the server answers on, e.g. `['127.0.0.2']`
 * @returns the paths of the PEM files
 */
export function generateTestCertificates(dir: string, serverIps: readonly string[]): TestCertificates {
  request(dir, 'ca', 'dive test CA', true);
  request(dir, 'server', serverIps[0] ?? 'localhost');
  const san = [...serverIps.map((ip) => `IP:${ip}`), 'DNS:localhost'].join(',');
  sign(dir, 'server', `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n`);
  request(dir, 'client', 'dive test client');
  sign(dir, 'client', 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n');
  return {
    ca: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server-cert.pem'),
    serverKey: join(dir, 'server-key.pem'),
    clientCert: join(dir, 'client-cert.pem'),
    clientKey: join(dir, 'client-key.pem'),
  };
}
