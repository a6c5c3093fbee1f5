import type { AuthConfig } from '../auth/types.js';
import { PluginError } from '../errors/index.js';

const STRING_FIELDS = ['username', 'password', 'identityToken', 'registryToken'] as const;
const KNOWN_FIELDS = new Set<string>([...STRING_FIELDS, 'expiresAt']);

/**
 * Checks what a plugin's `resolve` returned. undefined/null means "not mine". Anything else must be
 * a well-formed credential set; messages name fields and types only, never values, because a
 * malformed answer is exactly where a token ends up in the wrong field.
 */
export function checkResolvedCredentials(plugin: string, value: unknown, now = Date.now()): AuthConfig | undefined {
  if (value === undefined || value === null) return undefined;
  const fail = (message: string): never => {
    throw new PluginError(plugin, `resolve() ${message}`, { hint: 'this is a bug in the plugin; report it to its author' });
  };
  if (typeof value !== 'object' || Array.isArray(value)) return fail(`returned ${Array.isArray(value) ? 'a list' : `a ${typeof value}`} instead of credentials or undefined`);
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (!KNOWN_FIELDS.has(key)) return fail(`returned unknown field "${key}" (expected ${[...KNOWN_FIELDS].join(', ')})`);
  }
  const out: AuthConfig = {};
  for (const key of STRING_FIELDS) {
    const field = v[key];
    if (field === undefined || field === null) continue;
    if (typeof field !== 'string') return fail(`returned ${key} as a ${typeof field}, expected a string`);
    if (field !== '') out[key] = field;
  }
  if (v.expiresAt !== undefined && v.expiresAt !== null) {
    if (!(v.expiresAt instanceof Date) || Number.isNaN(v.expiresAt.getTime())) return fail('returned expiresAt that is not a valid Date');
    if (v.expiresAt.getTime() <= now) return fail('returned credentials that have already expired');
    out.expiresAt = v.expiresAt;
  }
  if (out.username !== undefined && out.password === undefined && out.identityToken === undefined) {
    return fail('returned a username without a password or identityToken');
  }
  if (out.password !== undefined && out.username === undefined) return fail('returned a password without a username');
  return out;
}
