export { loadNextdeployConfig, type LoadedConfig, type LoadConfigOptions } from './load-config.js';
export { createConfiguredKeychain, type ConfiguredKeychain, type ConfiguredKeychainOptions } from './keychain.js';
export { searchConfig, globalConfigDir, SEARCH_PLACES, MODULE_NAME, type FoundConfig, type SearchOptions } from './search.js';
export { parseConfigShape, DEFAULT_PROVIDER, TOP_LEVEL, DEFAULT_KEYS, type NextdeployConfig, type ProfileConfig, type ConfigDefaults } from './shape.js';
export { loadPlugins, resolvePlugin, type LoadedPlugin, type PluginLoadWarning } from './load-plugins.js';
export { BUILTIN_PROVIDERS, packageCandidates, PLUGIN_PREFIX } from './plugin-specifiers.js';
export type { ConfiguredProfile, ProfileProblem } from './profiles.js';
export { LazyConfiguredKeychain, type LazyKeychainOptions } from './lazy-keychain.js';
