import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isPidAlive, liveCount, startRecordingServer, startRegistry, stopAll } from '../src/index.js';

afterAll(stopAll);

const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

/** Run a child node process that starts a token-mode registry via the built dist, then `ending`. */
function childWithRegistry(ending: string): Promise<{ child: ReturnType<typeof spawn>; info: { pid: number; rootDir: string; tokenUrl: string } }> {
  const script = `
    const { startRegistry } = await import(${JSON.stringify(distEntry)});
    const reg = await startRegistry({ auth: 'token' });
    process.stdout.write(JSON.stringify({ pid: reg.pid, rootDir: reg.rootDir, tokenUrl: reg.tokenServer.url }) + '\\n');
    ${ending}
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) resolve({ child, info: JSON.parse(out.split('\n')[0] ?? '{}') });
    });
    child.on('exit', (code) => {
      if (!out.includes('\n')) reject(new Error(`child exited ${code} before starting a registry`));
    });
  });
}

describe('lifecycle', () => {
  it.skipIf(!existsSync(distEntry))('stop() kills the registry and token server and removes the temp dir', async () => {
    const reg = await startRegistry({ auth: 'token' });
    expect(isPidAlive(reg.pid)).toBe(true);
    expect(existsSync(reg.rootDir)).toBe(true);
    await reg.stop();
    expect(isPidAlive(reg.pid)).toBe(false);
    expect(existsSync(reg.rootDir)).toBe(false);
    await expect(fetch(`${reg.tokenServer?.url}/token`)).rejects.toThrow();
    await expect(fetch(`${reg.url}/v2/`)).rejects.toThrow();
  });

  it('stopAll() ends every registry and server started in this process', async () => {
    const regs = await Promise.all([startRegistry(), startRegistry({ auth: 'htpasswd' })]);
    const rec = await startRecordingServer();
    expect(liveCount()).toBeGreaterThanOrEqual(3);
    await stopAll();
    expect(liveCount()).toBe(0);
    for (const r of regs) {
      expect(isPidAlive(r.pid)).toBe(false);
      expect(existsSync(r.rootDir)).toBe(false);
    }
    await expect(fetch(rec.url)).rejects.toThrow();
  });

  it('kills the registry when the test process exits without stopping it', async () => {
    const { child, info } = await childWithRegistry('process.exit(0);');
    await new Promise((r) => child.once('exit', r));
    expect(await waitFor(() => !isPidAlive(info.pid), 3000)).toBe(true);
  });

  it('kills the registry and removes its temp dir when the test process is SIGKILLed', async () => {
    const { child, info } = await childWithRegistry('setInterval(() => {}, 1000);');
    expect(isPidAlive(info.pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitFor(() => !isPidAlive(info.pid), 3000)).toBe(true);
    expect(await waitFor(() => !existsSync(info.rootDir), 3000)).toBe(true);
    await expect(fetch(info.tokenUrl)).rejects.toThrow();
  });

  it('kills the registry when the test process gets SIGTERM', async () => {
    const { child, info } = await childWithRegistry('setInterval(() => {}, 1000);');
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(await waitFor(() => !isPidAlive(info.pid), 3000)).toBe(true);
  });
});
