import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMON_PROFILE_OPTIONS } from '@nextdeploy/core';
import { basicProvider } from '@nextdeploy/provider-basic';
import { DEFAULT_KEYS, TOP_LEVEL, parseConfigShape } from '../src/config/index.js';

interface Schema {
  properties: Record<string, { properties?: Record<string, unknown> }>;
  $defs: { profile: { properties: Record<string, { default?: unknown }> } };
}
const schema = JSON.parse(readFileSync(new URL('../schema/nextdeploy.schema.json', import.meta.url), 'utf8')) as Schema;
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { files: string[] };

describe('the published JSON Schema', () => {
  it('is shipped with the package and describes exactly the keys the loader accepts', () => {
    expect(pkg.files).toContain('schema');
    expect(Object.keys(schema.properties).sort()).toEqual([...TOP_LEVEL].sort());
    expect(Object.keys(schema.properties.defaults?.properties ?? {}).sort()).toEqual([...DEFAULT_KEYS].sort());
    expect(Object.keys(schema.$defs.profile.properties).sort()).toEqual([...COMMON_PROFILE_OPTIONS, ...Object.keys(basicProvider.options)].sort());
  });

  it('states the same profile defaults the loader applies', () => {
    const parsed = parseConfigShape({ profiles: { p: { registry: 'ghcr.io' } } }, undefined);
    expect(parsed.profiles.p).toMatchObject({ provider: schema.$defs.profile.properties.provider?.default, insecure: schema.$defs.profile.properties.insecure?.default });
  });
});
