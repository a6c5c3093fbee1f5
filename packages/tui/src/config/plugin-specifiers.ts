import { isAbsolute } from 'node:path';

export const PLUGIN_PREFIX = 'nextdeploy-provider';

/**
 * Our own providers, by the name a profile uses. They are separate packages so the cloud SDKs stay
 * out of installs that do not need them; one that is not installed is simply not offered.
 */
export const BUILTIN_PROVIDERS: Readonly<Record<string, string>> = {
  basic: '@nextdeploy/provider-basic',
  aws: '@nextdeploy/provider-aws',
  azure: '@nextdeploy/provider-azure',
  google: '@nextdeploy/provider-google',
};

/** A `plugins:` entry that is a file or directory rather than a package name. */
export function isPathSpecifier(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || isAbsolute(spec) || spec.startsWith('file:');
}

/**
 * Package names to try for a `plugins:` entry, shorthand first (eslint/prettier convention):
 * `foo` -> `nextdeploy-provider-foo`, then `foo`; `@scope/foo` -> `@scope/nextdeploy-provider-foo`,
 * then `@scope/foo`; `@scope` -> `@scope/nextdeploy-provider`. Full names are used as they are.
 */
export function packageCandidates(spec: string): string[] {
  if (spec.startsWith('@')) {
    const [scope, name] = spec.split('/', 2) as [string, string | undefined];
    if (!name) return [`${scope}/${PLUGIN_PREFIX}`];
    if (name === PLUGIN_PREFIX || name.startsWith(`${PLUGIN_PREFIX}-`)) return [spec];
    return [`${scope}/${PLUGIN_PREFIX}-${name}`, spec];
  }
  if (spec.startsWith(`${PLUGIN_PREFIX}-`)) return [spec];
  return [`${PLUGIN_PREFIX}-${spec}`, spec];
}
