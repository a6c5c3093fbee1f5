/**
 * Start a real CNCF distribution 2.8 registry on a free loopback port, with temp storage, one of
 * three auth modes, and optionally HTTPS. Everything started is tracked so `stopAll()` (or process exit) ends it.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../net/free-port.js';
import { makeTempDir, removeDir } from '../lifecycle/temp-dir.js';
import { terminate } from '../lifecycle/child-process.js';
import { track, trackChild, untrack } from '../lifecycle/tracker.js';
import { startTokenServer } from '../token/token-server.js';
import { signingMaterial } from '../token/certificate.js';
import { makeServerTlsMaterial, type ServerTlsMaterial } from '../tls/server-certificate.js';
import { renderRegistryConfig, type RegistryConfigInput } from './config.js';
import { renderHtpasswd } from './htpasswd.js';
import { waitForLog, waitUntilServing } from './wait-ready.js';
import type { TokenServer } from '../token/types.js';
import type { RegistryOptions, TestRegistry } from './types.js';

export const REGISTRY_BINARY = '/usr/bin/docker-registry';
export const DEFAULT_USERS: Readonly<Record<string, string>> = Object.freeze({ alice: 'wonderland-secret' });
const TOKEN_SERVICE = 'nextdeploy-testkit-registry';
const TOKEN_ISSUER = 'nextdeploy-testkit-token-issuer';
const STARTUP_TIMEOUT_MS = 10_000;
// A free port can be taken between probing and the registry binding it; retry a few times.
const START_ATTEMPTS = 3;

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  if (!existsSync(REGISTRY_BINARY)) {
    throw new Error(
      `${REGISTRY_BINARY} not found; run \`bash scripts/ensure-test-deps.sh\` as root or \`apt-get install docker-registry\``,
    );
  }
  const mode = options.auth ?? 'none';
  const users = { ...(options.users ?? DEFAULT_USERS) };
  const rootDir = await makeTempDir('registry');
  let tokenServer: TokenServer | undefined;
  try {
    const storageDir = join(rootDir, 'data');
    await mkdir(storageDir);
    const configBase: Omit<RegistryConfigInput, 'port'> = { storageDir };
    if (mode === 'htpasswd') {
      configBase.htpasswdPath = join(rootDir, 'htpasswd');
      await writeFile(configBase.htpasswdPath, renderHtpasswd(users), { mode: 0o600 });
    }
    let tls: ServerTlsMaterial | undefined;
    if (options.tls) {
      tls = await makeServerTlsMaterial(join(rootDir, 'tls'), typeof options.tls === 'object' ? options.tls.dnsNames : []);
      configBase.tls = { certificatePath: tls.certPath, keyPath: tls.keyPath };
    }
    if (mode === 'token') {
      const material = await signingMaterial();
      const rootCertBundlePath = join(rootDir, 'token-signer.crt');
      await writeFile(rootCertBundlePath, material.certPem);
      tokenServer = await startTokenServer({
        users,
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        anonymousPull: options.anonymousPull,
        tokenTtlSeconds: options.tokenTtlSeconds,
        grant: options.grant,
      });
      configBase.token = { realm: tokenServer.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, rootCertBundlePath };
    }
    const logPath = join(rootDir, 'registry.log');
    const configPath = join(rootDir, 'config.yml');
    let lastFailure = '';
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const port = await freePort();
      await writeFile(configPath, renderRegistryConfig({ ...configBase, port }));
      const logFd = openSync(logPath, 'a');
      // Output goes straight to a file (not a pipe) so nothing is lost or blocks if unread.
      const child = spawn(REGISTRY_BINARY, ['serve', configPath], { stdio: ['ignore', logFd, logFd] });
      closeSync(logFd);
      trackChild(child);
      const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
      const failure = await waitUntilServing(url, child, STARTUP_TIMEOUT_MS, tls?.caPem);
      if (failure) {
        await terminate(child);
        lastFailure = failure;
        continue;
      }
      const registryTokenServer = tokenServer;
      const logs = (): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8') : '');
      const registry: TestRegistry = {
        host: `127.0.0.1:${port}`,
        url,
        mode,
        users,
        rootDir,
        pid: child.pid ?? -1,
        ...(registryTokenServer ? { tokenServer: registryTokenServer } : {}),
        ...(tls ? { caCertPath: tls.caCertPath } : {}),
        logs,
        waitForLog: (pattern, opts = {}) => waitForLog(logs, pattern, opts.since ?? 0, opts.timeoutMs ?? 5000),
        async stop() {
          untrack(registry);
          await terminate(child);
          await registryTokenServer?.stop();
          await removeDir(rootDir);
        },
      };
      return track(registry);
    }
    const log = existsSync(logPath) ? readFileSync(logPath, 'utf8').trim().split('\n').slice(-1)[0] : '';
    throw new Error(`docker-registry failed to start after ${START_ATTEMPTS} attempts: ${lastFailure}; last log line: ${log ?? ''}`);
  } catch (err) {
    await tokenServer?.stop();
    await removeDir(rootDir);
    throw err;
  }
}
