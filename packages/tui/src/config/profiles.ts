import { ConfigError, validateProviderOptions, type ProviderProfile } from '@nextdeploy/core';
import type { LoadedPlugin } from './load-plugins.js';
import { BUILTIN_PROVIDERS } from './plugin-specifiers.js';
import type { NextdeployConfig } from './shape.js';

export interface ConfiguredProfile extends ProviderProfile {
  insecure: boolean;
}

/** A profile that cannot be used (unknown provider, bad option); the others still work. */
export interface ProfileProblem {
  profile: string;
  error: ConfigError;
}

export interface BuildProfilesResult {
  profiles: ConfiguredProfile[];
  problems: ProfileProblem[];
  warnings: string[];
}

/** Key names that hold secrets in other tools' configs; written literally here they get a warning. */
const SECRET_KEY_RE = /(pass(word|wd)?|secret|token|auth|api[-_]?key|access[-_]?key)$/i;

/** Binds each profile to its loaded provider and validates its options against that provider's spec. */
export function buildProfiles(
  config: NextdeployConfig,
  plugins: readonly LoadedPlugin[],
  input: { file?: string; env: Readonly<Record<string, string | undefined>> },
): BuildProfilesResult {
  const result: BuildProfilesResult = { profiles: [], problems: [], warnings: [] };
  const where = (name: string) => `profile "${name}"`;
  const fileOpt = input.file ? { file: input.file } : {};
  const claimed = new Map<string, string>();

  for (const [name, profile] of Object.entries(config.profiles)) {
    const loaded = plugins.find((p) => p.plugin.meta.name === profile.provider);
    const spec = loaded?.plugin.options ?? {};
    for (const [key, value] of Object.entries(profile.options)) {
      if (!Object.hasOwn(spec, key) && typeof value === 'string' && SECRET_KEY_RE.test(key)) {
        result.warnings.push(`${input.file ? `${input.file}: ` : ''}${where(name)}: "${key}" looks like a secret written in plain text; reference it with an environment variable, a file or a credential helper`);
      }
    }
    if (!loaded) {
      const pkg = BUILTIN_PROVIDERS[profile.provider];
      const known = plugins.map((p) => p.plugin.meta.name).join(', ') || 'none';
      result.problems.push({
        profile: name,
        error: new ConfigError(`${where(name)}: provider "${profile.provider}" is not ${pkg ? 'installed' : 'loaded'}`, {
          ...fileOpt,
          hint: pkg ? `install it with npm i ${pkg}` : `add its package to "plugins" (loaded providers: ${known})`,
        }),
      });
      continue;
    }
    try {
      const validated = validateProviderOptions(spec, profile.options, { where: where(name), env: input.env, ...fileOpt });
      result.warnings.push(...validated.warnings.map((w) => `${input.file ? `${input.file}: ` : ''}${w}`));
      result.profiles.push({
        name,
        plugin: loaded.plugin,
        options: validated.values,
        insecure: profile.insecure,
        ...(profile.registry !== undefined ? { registry: profile.registry } : {}),
      });
      if (profile.registry !== undefined) {
        const first = claimed.get(profile.registry);
        if (first) result.warnings.push(`${where(name)}: ${profile.registry} is also claimed by profile "${first}", which wins unless --profile ${name} is given`);
        else claimed.set(profile.registry, name);
      }
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      result.problems.push({ profile: name, error: err });
    }
  }
  return result;
}
