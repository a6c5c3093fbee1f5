import { loadPlugins, type LoadedPlugin, type PluginLoadWarning } from './load-plugins.js';
import { buildProfiles, type ConfiguredProfile, type ProfileProblem } from './profiles.js';
import { searchConfig, type SearchOptions } from './search.js';
import { parseConfigShape, type NextdeployConfig } from './shape.js';

export interface LoadedConfig {
  /** Absolute path of the config file, or undefined when none was found. */
  file?: string;
  scope: 'explicit' | 'project' | 'global' | 'none';
  config: NextdeployConfig;
  plugins: LoadedPlugin[];
  profiles: ConfiguredProfile[];
  /** Profiles that cannot be used; the rest work. */
  problems: ProfileProblem[];
  /** `plugins:` entries that could not be loaded (also in `warnings`). */
  pluginFailures: PluginLoadWarning[];
  /** One-line, non-fatal findings: plugins that failed to load, plain secrets, shadowed profiles. */
  warnings: string[];
}

export interface LoadConfigOptions extends SearchOptions {
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Finds, parses and validates the configuration and loads its plugins. Throws `ConfigError` only
 * for a file that cannot be read or parsed or has the wrong structure; everything that affects a
 * single plugin or profile is reported in `warnings` / `problems` instead.
 */
export async function loadNextdeployConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const found = await searchConfig(options);
  const config = parseConfigShape(found?.raw, found?.file);
  const loaded = await loadPlugins(config.plugins, found?.file);
  const built = buildProfiles(config, loaded.plugins, { env, ...(found ? { file: found.file } : {}) });
  return {
    ...(found ? { file: found.file } : {}),
    scope: found?.scope ?? 'none',
    config,
    plugins: loaded.plugins,
    profiles: built.profiles,
    problems: built.problems,
    pluginFailures: loaded.failures,
    warnings: [...loaded.failures, ...loaded.warnings].map((w) => w.message).concat(built.warnings),
  };
}
