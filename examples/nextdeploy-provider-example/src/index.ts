import { readFile } from 'node:fs/promises';
import { defineProvider, type ProviderContext, type ResolvedCredentials } from '@nextdeploy/core';

/**
 * An example third-party provider. It stands for any in-house secret store: credentials for each
 * registry live in a JSON "vault" file (`{"<host>": {"username": "...", "password": "..."}}`) that
 * some other tool keeps fresh, and are handed out with a short lifetime so nextdeploy asks again
 * before they go stale. Everything it uses is public API of @nextdeploy/core.
 */
export default defineProvider({
  meta: { name: 'example', version: '0.1.0' },
  displayName: 'Example team vault (JSON file of registry credentials)',
  // Auto-detect only the hosts this vault is known to serve; other hosts need a profile.
  matches: (registry) => registry.endsWith('.vault.example'),
  options: {
    vaultFile: {
      type: 'path',
      description: 'JSON file mapping registry host to {username, password}',
      required: true,
      env: 'EXAMPLE_VAULT_FILE',
    },
    ttlSeconds: {
      type: 'number',
      description: 'how long handed-out credentials are trusted before the vault is read again',
      integer: true,
      min: 10,
      default: 300,
    },
  },
  loginFields: [
    { name: 'username', label: 'Vault user' },
    { name: 'password', label: 'Vault password', secret: true, env: ['EXAMPLE_VAULT_PASSWORD'] },
  ],
  resolve,
});

interface VaultEntry {
  username?: unknown;
  password?: unknown;
}

async function resolve(ctx: ProviderContext): Promise<ResolvedCredentials | undefined> {
  const file = ctx.options.vaultFile as string;
  const ttl = ctx.options.ttlSeconds as number;
  const vault = JSON.parse(await readFile(file, { encoding: 'utf8', signal: ctx.signal })) as Record<string, VaultEntry>;
  const entry = vault[ctx.registry];
  // Not in the vault: "not mine", so docker's config.json and then anonymous access get their turn.
  if (!entry) {
    ctx.logger.debug(`example: no vault entry for ${ctx.registry}`);
    return undefined;
  }
  if (typeof entry.username !== 'string' || typeof entry.password !== 'string') {
    // Name the host and file, never the values.
    throw new Error(`vault entry for ${ctx.registry} in ${file} needs string "username" and "password"`);
  }
  return { username: entry.username, password: entry.password, expiresAt: new Date(Date.now() + ttl * 1000) };
}
