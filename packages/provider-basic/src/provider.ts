import { readFileSync } from 'node:fs';
import {
  CredentialHelper,
  defineProvider,
  helperServerUrl,
  type LoginField,
  type ProviderContext,
  type ResolvedCredentials,
} from '@nextdeploy/core';
import { BASIC_KINDS, firstEnv, kindFor } from './kinds.js';
import { profileSecret } from './secret.js';

// ../package.json from both src/ (tests) and dist/ (the bundle); cheaper than createRequire's loader
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Username/password registries: Docker Hub, GHCR, DigitalOcean and any other. Built with nothing a
 * third-party plugin could not use, so it doubles as the reference implementation of the contract.
 */
export const basicProvider = defineProvider({
  meta: { name: 'basic', version },
  displayName: 'Docker Hub, GHCR, DigitalOcean and any registry with a username and password',
  registryTypes: BASIC_KINDS,
  matches: (registry) => kindFor(registry).kind !== 'generic',
  options: {
    username: { type: 'string', description: 'login name (default: the registry kind\'s *_USERNAME variable, then USERNAME)' },
    passwordEnv: { type: 'string', description: 'name of the environment variable that holds the password or token' },
    passwordFile: { type: 'path', description: 'file holding the password or token (relative to the config file)' },
    credHelper: { type: 'string', description: 'docker-credential-<name> helper to read and store credentials with, e.g. "pass"' },
  },
  loginFields: (registry): LoginField[] => {
    const kind = kindFor(registry);
    return [
      { name: 'username', label: kind.tokenIsUsername ? 'Username (any; the token is what counts)' : 'Username', env: kind.usernameEnv },
      { name: 'password', label: kind.secretLabel, secret: true, env: kind.secretEnv },
    ];
  },
  resolve,
  logout: async (ctx) => {
    const helper = ctx.options.credHelper as string | undefined;
    if (helper) await new CredentialHelper(helper, { env: ctx.env }).erase(helperServerUrl(ctx.registry), ctx.signal);
  },
});

async function resolve(ctx: ProviderContext): Promise<ResolvedCredentials | undefined> {
  const kind = kindFor(ctx.registry, ctx.registryType);
  const helper = ctx.options.credHelper as string | undefined;
  if (helper) {
    ctx.logger.debug(`basic: asking docker-credential-${helper} for ${ctx.registry}`);
    return new CredentialHelper(helper, { env: ctx.env }).get(helperServerUrl(ctx.registry), ctx.signal);
  }
  const secret = (await profileSecret(ctx)) ?? firstEnv(ctx.env, kind.secretEnv);
  if (!secret) return undefined;
  const username = (ctx.options.username as string | undefined) ?? firstEnv(ctx.env, kind.usernameEnv) ?? (kind.tokenIsUsername ? secret : undefined);
  if (!username) {
    ctx.logger.warn(`basic: a ${kind.kind} secret is set for ${ctx.registry} but no username; set ${kind.usernameEnv[0]} or the profile's username`);
    return undefined;
  }
  return { username, password: secret };
}
