import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:https';
import { connect, type PeerCertificate } from 'node:tls';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pushRandomImage, skopeo, skopeoCreds, startRegistry, stopAll, type TestRegistry } from '../src/index.js';

afterAll(stopAll);

const portOf = (reg: TestRegistry): number => Number(reg.host.split(':')[1]);

interface Probe {
  ca?: string;
  /** Name to send as SNI and to check the certificate against; the connection always goes to 127.0.0.1. */
  servername?: string;
  authorization?: string;
}

/** Status of `GET /v2/`, or the error code when TLS refuses the connection. */
function status(reg: TestRegistry, probe: Probe = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const req = get(
      {
        host: '127.0.0.1',
        port: portOf(reg),
        path: '/v2/',
        agent: false,
        ...(probe.ca ? { ca: probe.ca } : {}),
        ...(probe.servername ? { servername: probe.servername } : {}),
        headers: probe.authorization ? { authorization: probe.authorization } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

function peer(reg: TestRegistry, ca: string, servername: string): Promise<{ cert: PeerCertificate; alpn: string | false }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: portOf(reg), ca, servername, ALPNProtocols: ['http/1.1'] }, () => {
      resolve({ cert: socket.getPeerCertificate(), alpn: socket.alpnProtocol ?? false });
      socket.end();
    });
    socket.on('error', reject);
  });
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('tls: true', () => {
  it('serves /v2/ over https to a client that trusts its CA, under 127.0.0.1 and localhost', async () => {
    const reg = await startRegistry({ tls: true });
    expect(reg.url).toBe(`https://${reg.host}`);
    const caPath = reg.caCertPath!;
    expect(readdirSync(dirname(caPath))).toEqual(['ca.crt']);
    const ca = readFileSync(caPath, 'utf8');
    expect(ca).toMatch(/^-----BEGIN CERTIFICATE-----/);

    expect(await status(reg, { ca })).toBe(200);
    expect(await status(reg, { ca, servername: 'localhost' })).toBe(200);
    // Only the CA makes it trusted, and only for the names the certificate carries.
    expect(await status(reg)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(await status(reg, { ca, servername: 'elsewhere.example' })).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    // Plain http to the TLS port is not served (Go answers 400 to an HTTP request on a TLS port).
    expect((await fetch(`http://${reg.host}/v2/`)).status).toBe(400);

    const { cert, alpn } = await peer(reg, ca, 'localhost');
    expect(cert.subjectaltname).toBe('IP Address:127.0.0.1, DNS:localhost');
    expect(cert.ca).toBe(false);
    expect(alpn).toBe('http/1.1');
  });

  it('adds dnsNames to the certificate', async () => {
    const reg = await startRegistry({ tls: { dnsNames: ['registry.testkit.test'] } });
    const ca = readFileSync(reg.caCertPath!, 'utf8');
    expect(await status(reg, { ca, servername: 'registry.testkit.test' })).toBe(200);
    expect((await peer(reg, ca, 'registry.testkit.test')).cert.subjectaltname).toBe(
      'IP Address:127.0.0.1, DNS:localhost, DNS:registry.testkit.test',
    );
  });

  it('works with htpasswd auth, and skopeo verifies it against the CA directory', async () => {
    const reg = await startRegistry({ tls: true, auth: 'htpasswd' });
    const ca = readFileSync(reg.caCertPath!, 'utf8');
    expect(await status(reg, { ca })).toBe(401);
    expect(await status(reg, { ca, authorization: basic('alice', 'nope') })).toBe(401);
    expect(await status(reg, { ca, authorization: basic('alice', 'wonderland-secret') })).toBe(200);

    const pushed = await pushRandomImage(reg, 'tls/app:1');
    const inspect = await skopeo(['inspect', '--raw', ...skopeoCreds(reg), `docker://${reg.host}/tls/app:1`]);
    expect(inspect.stderr).toBe('');
    expect(JSON.parse(inspect.stdout).config.digest).toBe(pushed.images[0]?.configDigest);
    const untrusted = await skopeo(['inspect', '--raw', '--creds', 'alice:wonderland-secret', `docker://${reg.host}/tls/app:1`]);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/certificate signed by unknown authority/);
  });

  it('gives every registry its own CA, removed on stop', async () => {
    const [a, b] = await Promise.all([startRegistry({ tls: true }), startRegistry({ tls: true })]);
    const caA = readFileSync(a.caCertPath!, 'utf8');
    expect(caA).not.toBe(readFileSync(b.caCertPath!, 'utf8'));
    expect(await status(b, { ca: caA })).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    // The CA key is gone once the server certificate is signed; only the server's own key remains.
    expect(readdirSync(dirname(dirname(a.caCertPath!))).sort()).toEqual(['ca', 'server.key', 'server.pem']);
    await a.stop();
    expect(existsSync(a.caCertPath!)).toBe(false);
    expect(existsSync(a.rootDir)).toBe(false);
  });
});
