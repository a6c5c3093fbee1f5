/**
 * Verified TLS end to end: the built CLI against a real registry serving HTTPS (a CA made for it
 * alone) with htpasswd auth, and skopeo as the independent client that checks what arrived.
 *
 * Which host name. Our scheme rules (core `schemeMode` / `isLoopbackRegistry`) send `localhost`
 * and 127.x registries over plain http, always, and `--insecure` only turns that into https
 * WITHOUT verification; so no loopback name can ever take the verified path. The test therefore
 * names the registry `registry.nextdeploy.test` (`.test` is reserved and never resolves publicly),
 * which the CLI process resolves to 127.0.0.1 through a preload (`NODE_OPTIONS=--import`) that
 * answers `dns.lookup` for those names only, like an /etc/hosts line would; the registry's
 * certificate carries the name (testkit `tls.dnsNames`). That exercises the real thing: CA trust
 * from NODE_EXTRA_CA_CERTS, SNI and the certificate name check. skopeo reaches the same registry
 * as 127.0.0.1 (an IP name in the certificate), trusting only the registry's CA.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAccessLog, pushRandomImage, skopeoCreds, skopeoOk, startRegistry, stopAll, type PushedImage, type TestRegistry } from '@nextdeploy/testkit';
import { expectOneErrorLine, makeHome, runCli, type CliResult } from './cli-harness.js';

afterAll(stopAll);

const NAME = 'registry.nextdeploy.test';
/** Resolves to the registry too, but is not in its certificate. */
const WRONG_NAME = 'elsewhere.nextdeploy.test';
const USER = 'alice';
const PASSWORD = 'wonderland-secret';
const SECRETS = [PASSWORD, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')];

/** `--import` module answering dns.lookup for our test names with 127.0.0.1, and nothing else. */
const RESOLVE_TEST_NAMES = `data:text/javascript,${encodeURIComponent(
  [
    "import dns from 'node:dns';",
    `const names = new Set(${JSON.stringify([NAME, WRONG_NAME])});`,
    'const lookup = dns.lookup;',
    'dns.lookup = function (host, ...rest) { return lookup.call(this, names.has(host) ? "127.0.0.1" : host, ...rest); };',
  ].join(' '),
)}`;

let reg: TestRegistry;
let image: PushedImage;
let port: string;
let home: Awaited<ReturnType<typeof makeHome>>;

beforeAll(async () => {
  [reg, home] = await Promise.all([startRegistry({ tls: { dnsNames: [NAME] }, auth: 'htpasswd' }), makeHome()]);
  port = reg.host.split(':')[1]!;
  image = await pushRandomImage(reg, 'src/app:v1', { layers: 3, layerSize: 4096 });
});
afterAll(() => home.remove());

function cli(args: string[], opts: { trustCa: boolean; input?: string }): Promise<CliResult> {
  return runCli(args, {
    home: home.dir,
    ...(opts.input === undefined ? {} : { input: opts.input }),
    env: { NODE_OPTIONS: `--import=${RESOLVE_TEST_NAMES}`, ...(opts.trustCa ? { NODE_EXTRA_CA_CERTS: reg.caCertPath! } : {}) },
  });
}

/** The manifest digest skopeo sees at `location`, trusting only the registry's CA. */
async function skopeoDigest(location: string): Promise<string> {
  const creds = location.startsWith('docker://') ? skopeoCreds(reg) : [];
  return (await skopeoOk(['inspect', '--format', '{{.Digest}}', ...creds, location])).stdout.trim();
}

function expectNoSecrets(r: CliResult): void {
  for (const secret of SECRETS) {
    expect(r.stdout).not.toContain(secret);
    expect(r.stderr).not.toContain(secret);
  }
}

describe('a TLS registry the CLI trusts through NODE_EXTRA_CA_CERTS', () => {
  it('logs in, copies within the registry and into an OCI layout, over reused connections', async () => {
    const login = await cli(['login', `${NAME}:${port}`, '-u', USER, '--password-stdin'], { trustCa: true, input: `${PASSWORD}\n` });
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Login succeeded: ${USER} at ${NAME}:${port}`);
    expectNoSecrets(login);

    const since = reg.logs().length;
    const copy = await cli(['copy', `${NAME}:${port}/src/app:v1`, `${NAME}:${port}/dst/app:v1`], { trustCa: true });
    expect(copy.stderr).toBe('');
    expect(copy.code).toBe(0);

    // Every request of the copy, and the client ports they came from: fewer connections than
    // requests means keep-alive connections were reused (TLS handshakes saved).
    const log = await reg.waitForLog(/"PUT \/v2\/dst\/app\/manifests\/v1 HTTP\/1\.1" 201/, { since });
    const requests = parseAccessLog(log).filter((e) => e.userAgent === 'nextdeploy-tui');
    const ports = new Set(
      log
        .split('\n')
        .filter((l) => l.includes('http.request.useragent=nextdeploy-tui'))
        .map((l) => /http\.request\.remoteaddr="127\.0\.0\.1:(\d+)"/.exec(l)?.[1])
        .filter((p) => p !== undefined),
    );
    expect(requests.length).toBeGreaterThanOrEqual(6);
    expect(ports.size).toBeGreaterThan(0);
    expect(ports.size).toBeLessThan(requests.length);

    expect(await skopeoDigest(`docker://${reg.host}/dst/app:v1`)).toBe(image.digest);

    const layout = await mkdtemp(join(tmpdir(), 'nextdeploy-cli-tls-layout-'));
    try {
      const pull = await cli(['copy', `${NAME}:${port}/src/app:v1`, `oci:${layout}:v1`], { trustCa: true });
      expect(pull.stderr).toBe('');
      expect(pull.code).toBe(0);
      expect(await skopeoDigest(`oci:${layout}:v1`)).toBe(image.digest);
    } finally {
      await rm(layout, { recursive: true, force: true });
    }
  });

  it('refuses a certificate that does not name the host it was reached under', async () => {
    const r = await cli(['inspect', `${WRONG_NAME}:${port}/src/app:v1`], { trustCa: true });
    expect(r.code).not.toBe(0);
    expect(expectOneErrorLine(r)).toContain('TLS certificate not trusted (ERR_TLS_CERT_ALTNAME_INVALID)');
  });
});

describe('the same registry without its CA', () => {
  it('login fails with one line naming the certificate problem and the fix, and saves nothing', async () => {
    const fresh = await makeHome();
    try {
      const r = await runCli(['login', `${NAME}:${port}`, '-u', USER, '--password-stdin'], {
        home: fresh.dir,
        input: `${PASSWORD}\n`,
        env: { NODE_OPTIONS: `--import=${RESOLVE_TEST_NAMES}` },
      });
      expect(r.code).not.toBe(0);
      const line = expectOneErrorLine(r);
      expect(line).toContain(`https://${NAME}:${port}/v2/`);
      expect(line).toContain('TLS certificate not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
      expect(line).toContain('NODE_EXTRA_CA_CERTS');
      expect(r.stdout).toBe('');
      expectNoSecrets(r);
    } finally {
      await fresh.remove();
    }
  });

  it('a command with saved credentials fails the same way without printing them', async () => {
    await cli(['login', `${NAME}:${port}`, '-u', USER, '--password-stdin'], { trustCa: true, input: `${PASSWORD}\n` });
    const r = await cli(['inspect', `${NAME}:${port}/src/app:v1`], { trustCa: false });
    expect(r.code).not.toBe(0);
    expect(expectOneErrorLine(r)).toMatch(/TLS certificate not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); add its CA to NODE_EXTRA_CA_CERTS/);
    expectNoSecrets(r);
  });
});

describe('the same registry under a loopback name', () => {
  it('is plain http unless --insecure (the error says so), which reaches it over TLS without verification', async () => {
    const host = `localhost:${port}`;
    const plain = await cli(['login', host, '-u', USER, '--password-stdin'], { trustCa: true, input: `${PASSWORD}\n` });
    expect(plain.code).not.toBe(0);
    const line = expectOneErrorLine(plain);
    expect(line).toContain(`http://${host}/v2/`);
    // the registry's own 400 ("Client sent an HTTP request to an HTTPS server") turned into the way in
    expect(line).toMatch(/this port serves https: .*pass --insecure/);
    expectNoSecrets(plain);

    const insecure = await cli(['login', '--insecure', host, '-u', USER, '--password-stdin'], { trustCa: false, input: `${PASSWORD}\n` });
    expect(insecure.stderr).toBe('');
    expect(insecure.code).toBe(0);
  });
});
