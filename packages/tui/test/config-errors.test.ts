import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nextdeploy/core';
import { createConfiguredKeychain, loadNextdeployConfig } from '../src/config/index.js';

const root = mkdtempSync(join(tmpdir(), 'nd-config-err-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Writes `name` in a fresh directory and loads it by search, returning the error it raised. */
async function brokenLoad(name: string, text: string): Promise<{ file: string; error: ConfigError }> {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  const error = await loadNextdeployConfig({ cwd: dir, stopDir: root, env: {} }).then(
    () => {
      throw new Error(`expected ${name} to fail`);
    },
    (e: unknown) => e as ConfigError,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect(error.message).not.toContain('\n');
  return { file, error };
}

async function load(name: string, text: string) {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  return { file: join(dir, name), loaded: await loadNextdeployConfig({ cwd: dir, stopDir: root, env: {} }) };
}

describe('a broken config file names the file and the line', () => {
  it('YAML', async () => {
    const { file, error } = await brokenLoad('.nextdeployrc', 'profiles:\n  ghcr:\n    registry: ghcr.io\n   provider: basic\n');
    expect(error.file).toBe(file);
    expect(error.line).toBe(4);
    expect(error.message).toMatch(new RegExp(`^${file}:4: not valid YAML: bad indentation of a mapping entry.*; fix the file, or point --config at another one$`));
  });

  it('JSON', async () => {
    const { file, error } = await brokenLoad('.nextdeployrc.json', '{\n  "profiles": {\n    "ghcr": { "registry": "ghcr.io", }\n  }\n}\n');
    expect(error.line).toBe(3);
    expect(error.message.startsWith(`${file}:3: not valid JSON: `)).toBe(true);
  });

  it('JavaScript', async () => {
    const { file, error } = await brokenLoad('nextdeploy.config.mjs', 'export default {\n  profiles: {},\n  plugins: [oops here],\n};\n');
    expect(error.line).toBe(3);
    expect(error.message.startsWith(`${file}:3: failed to load: `)).toBe(true);
  });

  it('a wrong structure names the key path', async () => {
    const cases: Array<[string, string]> = [
      ['profile:\n  x: {}\n', '(unknown key \\(known: plugins, profiles, defaults\\))|profile: unknown key'],
      ['profiles:\n  ghcr:\n    registry: 42\n', 'profiles.ghcr.registry: "42"|profiles.ghcr.registry: expected a registry host'],
      ['profiles:\n  hub:\n    registry: myregistry\n', 'profiles.hub.registry: "myregistry" is not a registry host'],
      ['defaults:\n  jobs: 0\n', 'defaults.jobs: expected a whole number from 1 to 256'],
      ['defaults:\n  platform: linux\n', 'defaults.platform: platform "linux" is invalid'],
      ['plugins: nextdeploy-provider-x\n', 'plugins: expected a list of package names or paths'],
    ];
    for (const [text, expected] of cases) {
      const { file, error } = await brokenLoad('.nextdeployrc.yaml', text);
      expect(error.message).toMatch(new RegExp(`^${file}: (${expected})`));
    }
  });
});

describe('problems that affect one profile are reported, not fatal', () => {
  it('unknown provider, bad option and plain secrets become problems and warnings', async () => {
    const { file, loaded } = await load(
      '.nextdeployrc.yaml',
      [
        'profiles:',
        '  good:',
        '    registry: good.example.test',
        '    username: ci',
        '    passwordEnv: GOOD_PASSWORD',
        '  cloud:',
        '    provider: aws',
        '    registry: 123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        '  typo:',
        '    registry: typo.example.test',
        '    usrname: ci',
        '  leaky:',
        '    registry: leaky.example.test',
        '    username: ci',
        '    password: hunter2-in-plain-text',
        '',
      ].join('\n'),
    );
    expect(loaded.profiles.map((p) => p.name)).toEqual(['good']);
    expect(Object.fromEntries(loaded.problems.map((p) => [p.profile, p.error.message]))).toEqual({
      cloud: `${file}: profile "cloud": provider "aws" is not installed; install it with npm i @nextdeploy/provider-aws`,
      typo: `${file}: profile "typo": unknown option "usrname" (known: username, passwordEnv, passwordFile, credHelper)`,
      leaky: `${file}: profile "leaky": unknown option "password" (known: username, passwordEnv, passwordFile, credHelper)`,
    });
    expect(loaded.warnings).toEqual([
      `${file}: profile "leaky": "password" looks like a secret written in plain text; reference it with an environment variable, a file or a credential helper`,
    ]);
    expect(loaded.warnings.join()).not.toContain('hunter2');

    // the good profile works; choosing a broken one explicitly says why it cannot be used
    const { keychain } = createConfiguredKeychain(loaded, { env: { GOOD_PASSWORD: 'pw' }, dockerConfigPath: join(root, 'no-docker.json') });
    expect(await (await keychain.resolve({ registry: 'good.example.test' })).authorization()).toEqual({ username: 'ci', password: 'pw' });
    expect(() => createConfiguredKeychain(loaded, { profile: 'typo', env: {} })).toThrow('profile "typo": unknown option "usrname"');
  });
});
