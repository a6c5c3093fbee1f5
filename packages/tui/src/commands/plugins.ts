import { loadNextdeployConfig } from '../config/index.js';
import { formatTable } from '../output/table.js';
import { writeJson, writeLine } from '../output/write.js';
import { warn } from '../program/report-error.js';
import { describeSource } from './profiles.js';
import type { CommandInvocation } from './types.js';

export async function run({ options, context, stdout, stderr }: CommandInvocation): Promise<void> {
  const loaded = await loadNextdeployConfig(context.globals.config ? { configFile: context.globals.config } : {});
  const plugins = loaded.plugins.map(({ plugin, spec, from, builtin }) => ({
    name: plugin.meta.name,
    version: plugin.meta.version,
    displayName: plugin.displayName,
    apiVersion: plugin.apiVersion,
    registryTypes: [plugin.meta.name, ...(plugin.registryTypes ?? [])],
    spec,
    builtin,
    from,
  }));
  if (options.json === true) {
    writeJson(stdout, { file: loaded.file ?? null, plugins, warnings: loaded.warnings });
    return;
  }
  for (const warning of loaded.warnings) warn(warning, stderr);
  writeLine(stdout, describeSource(loaded));
  writeLine(
    stdout,
    formatTable(
      ['NAME', 'VERSION', 'TYPES', 'SOURCE', 'DESCRIPTION'],
      plugins.map((p) => [p.name, p.version, p.registryTypes.join(','), p.builtin ? 'built-in' : p.from, p.displayName]),
    ),
  );
}
