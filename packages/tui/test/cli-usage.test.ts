import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { expectOneErrorLine, makeHome, runCli } from './cli-harness.js';

let home: Awaited<ReturnType<typeof makeHome>>;
beforeAll(async () => {
  home = await makeHome();
});
afterAll(() => home.remove());

describe('help and version', () => {
  it('--help lists every command of the table and the exit codes', async () => {
    const r = await runCli(['--help'], { home: home.dir });
    expect(r.code).toBe(0);
    for (const name of ['inspect', 'tags', 'catalog', 'delete', 'login', 'logout']) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).toMatch(/^ {2}3 +authentication failed/m);
    expect(r.stdout).toMatch(/^ {2}4 +not found/m);
    for (const flag of ['--insecure ', '--insecure-registry <host>', '--retry <n>', '--retry-delay <duration>', '--debug', '--config <file>', '--profile <name>']) {
      expect(r.stdout).toContain(flag);
    }
  });

  it('a command help shows its own flags and examples', async () => {
    const r = await runCli(['login', '--help'], { home: home.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--password-stdin');
    expect(r.stdout).toContain('-u, --username <user>');
    expect(r.stdout).toContain('Examples:');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCli(['--version'], { home: home.dir });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('with no subcommand and no terminal prints the help and succeeds', async () => {
    const r = await runCli([], { home: home.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: nextdeploy-tui');
    expect(r.stderr).toBe('');
  });
});

describe('usage errors exit 2 with one line', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown command', ['inspcet', 'x'], /unknown command 'inspcet'/],
    ['unknown flag', ['inspect', '--bogus', 'alpine'], /unknown option '--bogus'/],
    ['missing argument', ['inspect'], /missing required argument 'REF'/],
    ['extra argument', ['tags', 'a', 'b'], /too many arguments for 'tags'/],
    ['bad duration', ['--retry-delay', '5', 'tags', 'alpine'], /"5" is not a duration/],
    ['bad retry count', ['--retry', '-1', 'tags', 'alpine'], /--retry/],
    ['malformed reference', ['inspect', 'Foo/Bar:latest'], /invalid reference "Foo\/Bar:latest": repository name must be lowercase/],
    ['bad digest', ['inspect', 'localhost:5000/app@sha256:abc'], /invalid reference "localhost:5000\/app@sha256:abc".*digest/],
    ['tag on a repository', ['tags', 'localhost:5000/app:v1'], /cannot carry a tag/],
    ['single-word registry', ['catalog', 'myhost'], /invalid reference "myhost": not a registry host/],
    ['delete without tag', ['delete', 'localhost:5000/app'], /names no tag or digest/],
    ['--raw with --json', ['inspect', '--raw', '--json', 'localhost:5000/app:v1'], /--raw and --json cannot be combined/],
    ['login without password source', ['login', 'localhost:5000', '-u', 'alice'], /no password given; pipe it to --password-stdin/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await runCli(args, { home: home.dir });
      expect(r.code).toBe(2);
      expect(expectOneErrorLine(r)).toMatch(message);
      expect(r.stdout).toBe('');
    });
  }
});

describe('global flags', () => {
  it('are accepted after the subcommand too', async () => {
    // 127.0.0.1:9 (discard) refuses connections: a network error, exit 1, never a usage error.
    const r = await runCli(['tags', '127.0.0.1:9/app', '--retry', '0', '--retry-delay', '10ms', '--insecure-registry', 'x.example'], { home: home.dir });
    expect(r.code).toBe(1);
    expect(expectOneErrorLine(r)).toMatch(/127\.0\.0\.1:9/);
  });

  it('--config after the subcommand reaches the configuration loader', async () => {
    const r = await runCli(['tags', '127.0.0.1:9/app', '--config', 'no-such-config.yml'], { home: home.dir });
    expect(r.code).toBe(1);
    expect(expectOneErrorLine(r)).toContain('no-such-config.yml');
  });
});
