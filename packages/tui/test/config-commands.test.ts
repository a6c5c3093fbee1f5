import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, stopAll, pushRandomImage, type TestRegistry } from '@nextdeploy/testkit';
import { expectOneErrorLine, makeHome, runCli } from './cli-harness.js';

afterAll(stopAll);

let home: Awaited<ReturnType<typeof makeHome>>;
let registry: TestRegistry;
let good: string;
let broken: string;

beforeAll(async () => {
  home = await makeHome();
  registry = await startRegistry({ auth: 'htpasswd' });
  await pushRandomImage(registry, 'team/app:v1');
  mkdirSync(join(home.dir, 'proj'), { recursive: true });
  good = join(home.dir, 'proj', '.nextdeployrc.yaml');
  writeFileSync(
    good,
    `plugins:
  - missing-plugin
profiles:
  local:
    registry: ${registry.host}
    username: alice
    passwordEnv: LOCAL_REGISTRY_PASSWORD
  ghcr:
    registry: ghcr.io
    credHelper: pass
    insecure: false
  typo:
    registry: typo.example.test
    password: oops
`,
  );
  broken = join(home.dir, 'proj', 'broken.json');
  writeFileSync(broken, '{\n  "profiles": {\n    "x": {\n  }\n');
});
afterAll(() => home?.remove());

describe('profiles, plugins and config validate', () => {
  it('profiles --json lists what was found and from where, with problems and warnings', async () => {
    const r = await runCli(['--config', good, 'profiles', '--json'], { home: home.dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { file: string; scope: string; profiles: Array<{ name: string; registry: string }>; problems: Array<{ profile: string; message: string }>; warnings: string[] };
    expect(out.file).toBe(good);
    expect(out.scope).toBe('explicit');
    expect(out.profiles.map((p) => [p.name, p.registry])).toEqual([['local', registry.host], ['ghcr', 'ghcr.io']]);
    expect(out.problems).toEqual([{ profile: 'typo', message: `${good}: profile "typo": unknown option "password" (known: username, passwordEnv, passwordFile, credHelper)` }]);
    expect(out.warnings[0]).toMatch(/^provider plugin "missing-plugin": cannot find nextdeploy-provider-missing-plugin or missing-plugin from /);
    expect(out.warnings[1]).toContain('profile "typo": "password" looks like a secret written in plain text');
    expect(r.stdout).not.toContain('oops');
  });

  it('profiles and plugins as text, with load failures as warnings on stderr', async () => {
    const profiles = await runCli(['--config', good, 'profiles'], { home: home.dir });
    expect(profiles.code).toBe(0);
    expect(profiles.stdout.split('\n')[0]).toBe(`config: ${good} (explicit)`);
    expect(profiles.stdout).toMatch(/local\s+basic\s+127\.0\.0\.1:\d+\s+ok/);
    expect(profiles.stdout).toMatch(/typo\s+basic\s+typo\.example\.test\s+unusable: /);
    expect(profiles.stderrLines.every((l) => l.startsWith('nextdeploy-tui: warning: '))).toBe(true);

    const plugins = await runCli(['--config', good, 'plugins', '--json'], { home: home.dir });
    const parsed = JSON.parse(plugins.stdout) as { plugins: Array<{ name: string; builtin: boolean; registryTypes: string[] }>; warnings: string[] };
    expect(parsed.plugins).toMatchObject([{ name: 'basic', builtin: true, registryTypes: ['basic', 'dockerhub', 'ghcr', 'digitalocean', 'generic'] }]);
    expect(parsed.warnings).toHaveLength(2);
  });

  it('config validate fails listing every problem; a broken file gives file and line', async () => {
    const invalid = await runCli(['config', 'validate', good], { home: home.dir });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('profile "typo": unknown option "password"');
    expect(invalid.stderr).toContain('provider plugin "missing-plugin": cannot find');
    expect(invalid.stderrLines.at(-1)).toBe(`nextdeploy-tui: error: ${good}: 2 problems found; see the lines above`);

    const parse = await runCli(['config', 'validate', broken], { home: home.dir });
    expect(parse.code).toBe(1);
    expect(expectOneErrorLine(parse)).toMatch(new RegExp(`^nextdeploy-tui: error: ${broken}:5: not valid JSON: `));

    const clean = join(home.dir, 'proj', 'clean.yml');
    writeFileSync(clean, `profiles:\n  local:\n    registry: ${registry.host}\n    username: alice\n    passwordEnv: LOCAL_REGISTRY_PASSWORD\ndefaults:\n  jobs: 8\n  platform: linux/amd64\n`);
    const ok = await runCli(['config', 'validate', clean], { home: home.dir });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(`${clean}: valid (1 profile, 1 plugin)\n`);

    const usage = await runCli(['config', 'check'], { home: home.dir });
    expect(usage.code).toBe(2);
    expect(expectOneErrorLine(usage)).toBe('nextdeploy-tui: error: unknown config action "check"; the only action is: config validate [FILE]');
  });

  it('a broken package.json in the working directory (which cosmiconfig reads first) is one line with file and line', async () => {
    const project = join(home.dir, 'broken-project');
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), '{\n  "name": "app",\n  oops\n}\n');
    const r = await runCli(['profiles'], { home: home.dir, cwd: project });
    expect(r.code).toBe(1);
    expect(expectOneErrorLine(r)).toMatch(
      new RegExp(`^nextdeploy-tui: error: ${join(project, 'package.json')}:3: not valid JSON: .*; fix the file, or run from a directory outside that project$`),
    );
  });

  it('registry commands get credentials from the profile (env var named by passwordEnv)', async () => {
    const clean = join(home.dir, 'proj', 'clean.yml');
    const withPassword = await runCli(['--config', clean, 'catalog', registry.host], { home: home.dir, env: { LOCAL_REGISTRY_PASSWORD: registry.users.alice! } });
    expect(withPassword.stderr).toBe('');
    expect(withPassword.stdout).toBe('team/app\n');

    const missing = await runCli(['--config', clean, 'catalog', registry.host], { home: home.dir });
    expect(missing.code).not.toBe(0);
    expect(expectOneErrorLine(missing)).toBe(
      `nextdeploy-tui: error: provider plugin "basic": profile "local" failed for ${registry.host}: environment variable LOCAL_REGISTRY_PASSWORD (passwordEnv) is not set; export LOCAL_REGISTRY_PASSWORD or change passwordEnv`,
    );
  });
});
