import { ConfigError, NextdeployError } from '@nextdeploy/core';
import { loadNextdeployConfig } from '../config/index.js';
import { writeJson, writeLine } from '../output/write.js';
import { warn } from '../program/report-error.js';
import type { CommandInvocation } from './types.js';

/** `config validate [FILE]`: parses, checks structure, loads plugins and checks every profile. */
export async function run({ args, options, context, stdout, stderr }: CommandInvocation): Promise<void> {
  const [action, file] = args;
  if (action !== 'validate') {
    throw new NextdeployError('USAGE', `unknown config action "${action ?? ''}"`, { hint: 'the only action is: config validate [FILE]' });
  }
  const configFile = file ?? context.globals.config;
  const loaded = await loadNextdeployConfig(configFile ? { configFile } : {});
  if (!loaded.file) throw new ConfigError('no config file found', { hint: 'create .nextdeployrc, or name one: config validate FILE' });

  // plugins that failed to load would silently drop their hosts back to anonymous: an error here
  const failedPlugins = loaded.pluginFailures.map((f) => f.message);
  const errors = [...loaded.problems.map((p) => p.error.message), ...failedPlugins];
  const warnings = loaded.warnings.filter((w) => !failedPlugins.includes(w));
  if (options.json === true) {
    writeJson(stdout, { file: loaded.file, valid: errors.length === 0, errors, warnings, profiles: loaded.profiles.length, plugins: loaded.plugins.length });
  } else {
    for (const warning of warnings) warn(warning, stderr);
    for (const error of errors) stderr.write(`${error}\n`);
  }
  if (errors.length > 0) {
    throw new ConfigError(`${errors.length} problem${errors.length === 1 ? '' : 's'} found`, { file: loaded.file, hint: 'see the lines above' });
  }
  if (options.json !== true) {
    writeLine(stdout, `${loaded.file}: valid (${loaded.profiles.length} profile${loaded.profiles.length === 1 ? '' : 's'}, ${loaded.plugins.length} plugin${loaded.plugins.length === 1 ? '' : 's'})`);
  }
}
