import type { ProviderPlugin } from '@nextdeploy/core';
import { loadNextdeployConfig, type LoadedConfig } from '../config/index.js';
import { formatTable } from '../output/table.js';
import { writeJson, writeLine } from '../output/write.js';
import { warn } from '../program/report-error.js';
import type { CommandInvocation } from './types.js';

export async function run({ options, context, stdout, stderr }: CommandInvocation): Promise<void> {
  const loaded = await loadNextdeployConfig(context.globals.config ? { configFile: context.globals.config } : {});
  if (options.json === true) {
    writeJson(stdout, profilesJson(loaded));
    return;
  }
  for (const warning of loaded.warnings) warn(warning, stderr);
  writeLine(stdout, describeSource(loaded));
  const rows = [
    ...loaded.profiles.map((p) => [p.name, p.plugin.meta.name, p.registry ?? '(any host, with --profile)', p.insecure ? 'ok, insecure' : 'ok']),
    ...loaded.problems.map((p) => [p.profile, loaded.config.profiles[p.profile]?.provider ?? '', loaded.config.profiles[p.profile]?.registry ?? '', `unusable: ${p.error.message}`]),
  ];
  if (rows.length === 0) {
    writeLine(stdout, 'no profiles; registries use the built-in providers, docker\'s config.json, or anonymous access');
    return;
  }
  writeLine(stdout, formatTable(['NAME', 'PROVIDER', 'REGISTRY', 'STATUS'], rows));
}

/** `config: FILE (project)`, or where one would be looked for. */
export function describeSource(loaded: LoadedConfig): string {
  return loaded.file ? `config: ${loaded.file} (${loaded.scope})` : 'config: none found (searched up from the current directory, then ~/.config/nextdeploy/)';
}

function profilesJson(loaded: LoadedConfig) {
  return {
    file: loaded.file ?? null,
    scope: loaded.scope,
    profiles: loaded.profiles.map((p) => ({
      name: p.name,
      provider: p.plugin.meta.name,
      registry: p.registry ?? null,
      insecure: p.insecure,
      options: maskSecrets(p.plugin, p.options),
    })),
    problems: loaded.problems.map((p) => ({ profile: p.profile, message: p.error.message })),
    warnings: loaded.warnings,
  };
}

/** Options a plugin marks secret are shown as `***`: the listing is for pasting into issues. */
function maskSecrets(plugin: ProviderPlugin, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, plugin.options[k]?.secret ? '***' : v]));
}
