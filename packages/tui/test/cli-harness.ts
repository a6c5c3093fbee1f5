/**
 * Runs the BUILT binary as a user would: a child process with its own throwaway HOME and
 * DOCKER_CONFIG, so no test ever reads or writes the real ~/.docker.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  /** Non-empty stderr lines. */
  stderrLines: string[];
}

export interface CliOptions {
  /** Directory used as HOME and DOCKER_CONFIG (from `makeHome()`). */
  home: string;
  input?: string;
  env?: Record<string, string>;
  /** Working directory of the CLI (default: the test's). */
  cwd?: string;
  /** Called with the child once it is running (e.g. to send SIGINT). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  timeoutMs?: number;
}

/** A fresh directory to serve as HOME and DOCKER_CONFIG; `config.json` inside it is docker's file. */
export async function makeHome(): Promise<{ dir: string; configPath: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nextdeploy-cli-test-'));
  return { dir, configPath: join(dir, 'config.json'), remove: () => rm(dir, { recursive: true, force: true }) };
}

export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing; run "pnpm --filter nextdeploy-tui build" first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: options.home,
        DOCKER_CONFIG: options.home,
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({
        code,
        signal,
        stdout: stdoutBytes.toString('utf8'),
        stdoutBytes,
        stderr,
        stderrLines: stderr.split('\n').filter((l) => l.length > 0),
      });
    });
    child.stdin.end(options.input ?? '');
    options.onSpawn?.(child);
  });
}

/** The top-level error contract: exactly one `nextdeploy-tui: error: …` line on stderr. */
export function expectOneErrorLine(result: CliResult): string {
  const errors = result.stderrLines.filter((l) => l.startsWith('nextdeploy-tui: error: '));
  if (errors.length !== 1 || result.stderrLines.length !== 1) {
    throw new Error(`expected exactly one error line on stderr, got:\n${result.stderr}`);
  }
  return errors[0]!;
}
