import { readFile } from 'node:fs/promises';
import { ConfigError, type ProviderContext } from '@nextdeploy/core';

/**
 * The secret a profile points at with `passwordEnv` or `passwordFile`, or undefined when it points
 * at neither. Pointing at something empty or missing is an error: the user asked for that source.
 */
export async function profileSecret(ctx: ProviderContext): Promise<string | undefined> {
  const { passwordEnv, passwordFile } = ctx.options as { passwordEnv?: string; passwordFile?: string };
  if (passwordEnv !== undefined) {
    const value = ctx.env[passwordEnv];
    if (!value) throw new ConfigError(`environment variable ${passwordEnv} (passwordEnv) is not set`, { hint: `export ${passwordEnv} or change passwordEnv` });
    return value;
  }
  if (passwordFile !== undefined) {
    let text: string;
    try {
      text = await readFile(passwordFile, { encoding: 'utf8', signal: ctx.signal });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError(`passwordFile ${passwordFile} cannot be read (${code})`, { hint: 'check the path, relative paths start at the config file', cause: err });
    }
    // Files written with `echo` end in a newline that is not part of the password.
    const secret = text.replace(/\r?\n$/, '');
    if (!secret) throw new ConfigError(`passwordFile ${passwordFile} is empty`);
    return secret;
  }
  return undefined;
}
