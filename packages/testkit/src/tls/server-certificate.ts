import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openssl } from './openssl.js';

export interface ServerTlsMaterial {
  /** PEM of the throwaway CA that signed the server certificate: the only thing a client must trust. */
  caPem: string;
  /** `DIR/ca.crt`, alone in its directory so DIR works as skopeo's `--cert-dir` / docker's certs.d entry. */
  caCertPath: string;
  certPath: string;
  keyPath: string;
}

// EC keys: each key takes ~10 ms to make, where RSA 2048 takes 100 ms and more.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256'];
// Valid from now: enough for any test run, and useless to anyone who finds a leftover key.
const DAYS = '2';

/**
 * A CA made for this one server, and a server certificate it signs for 127.0.0.1, localhost and
 * `dnsNames`. A fresh CA per server keeps servers from trusting each other's clients by accident:
 * a test that trusts one registry's CA gets a certificate error from every other registry.
 */
export async function makeServerTlsMaterial(dir: string, dnsNames: readonly string[] = []): Promise<ServerTlsMaterial> {
  const caDir = join(dir, 'ca');
  await mkdir(caDir, { recursive: true });
  const caCertPath = join(caDir, 'ca.crt');
  const caKeyPath = join(dir, 'ca.key');
  const keyPath = join(dir, 'server.key');
  const csrPath = join(dir, 'server.csr');
  const certPath = join(dir, 'server.pem');
  const extPath = join(dir, 'server.ext');

  await openssl(
    [
      'req', '-x509', ...EC_KEY, '-days', DAYS,
      '-subj', '/CN=nextdeploy-testkit throwaway CA',
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout', caKeyPath, '-out', caCertPath,
    ],
    'the test registry CA',
  );
  const san = ['IP:127.0.0.1', 'DNS:localhost', ...dnsNames.map((n) => `DNS:${n}`)].join(',');
  await writeFile(
    extPath,
    [
      `subjectAltName=${san}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  );
  await openssl(['req', '-new', ...EC_KEY, '-subj', '/CN=localhost', '-keyout', keyPath, '-out', csrPath], 'the test registry key');
  await openssl(
    [
      'x509', '-req', '-sha256', '-days', DAYS, '-in', csrPath,
      '-CA', caCertPath, '-CAkey', caKeyPath, '-set_serial', `0x${randomBytes(8).toString('hex')}`,
      '-extfile', extPath, '-out', certPath,
    ],
    'the test registry certificate',
  );
  // Nothing may sign anything else with this CA once the one certificate it exists for is made.
  await Promise.all([rm(caKeyPath), rm(csrPath), rm(extPath)]);
  return { caPem: await readFile(caCertPath, 'utf8'), caCertPath, certPath, keyPath };
}
