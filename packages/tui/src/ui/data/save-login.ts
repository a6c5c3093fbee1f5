import type { CommandContext } from '../../context.js';
import { loginWithCredentials } from '../../commands/login.js';

export interface LoginResult {
  /** The login's success line (names where the credentials went, never the secret). */
  message: string;
}

/**
 * Verifies and saves credentials exactly as the `login` command does, so the UI and the CLI cannot
 * drift apart (verify first, nothing written on a rejected password, credential helpers honoured).
 */
export async function saveLogin(context: CommandContext, registry: string, username: string, password: string): Promise<LoginResult> {
  return { message: await loginWithCredentials(context, registry, username, password) };
}
