import {
  AuthenticationError,
  ConfigError,
  DockerConfigFile,
  NextdeployError,
  staticKeychain,
  storeCredentials,
  type RegistryClient,
} from '@nextdeploy/core';
import { promptLine, promptSecret, readSecretFromStdin } from '../input/secret.js';
import { exitCodeFor, ExitCode } from '../program/exit-codes.js';
import { warn } from '../program/report-error.js';
import { writeLine } from '../output/write.js';
import { parseRegistryArgument } from '../registry/host-argument.js';
import type { CommandContext } from '../context.js';
import type { CommandInvocation } from './types.js';

export async function run(invocation: CommandInvocation): Promise<void> {
  const { args, context, stdout } = invocation;
  const registry = parseRegistryArgument(args[0]!);
  const username = await readUsername(invocation);
  const password = await readPassword(invocation);
  writeLine(stdout, await loginWithCredentials(context, registry, username, password));
}

/**
 * Verifies the credentials, then stores them where docker would look: the credential helper its
 * config names for the registry, else config.json `auths` (read back to prove it). Resolves to the
 * success line, which names where they went and never the secret. Shared by the full-screen UI.
 */
export async function loginWithCredentials(context: CommandContext, registry: string, username: string, password: string): Promise<string> {
  // Verify before writing anything: a wrong password must leave config.json exactly as it was.
  await verifyCredentials(context.client(registry, staticKeychain({ [registry]: { username, password } })), username, context.signal);

  const file = await DockerConfigFile.load();
  // As docker does: a credential helper named for this registry gets the secret, and config.json does not.
  const helper = await storeCredentials(file, registry, { username, password }, { signal: context.signal });
  if (helper) return `Login succeeded: ${username} at ${registry}, credentials stored by docker-credential-${helper}`;
  file.setAuth(registry, { username, password });
  await file.save();
  const stored = (await DockerConfigFile.load(file.path)).getAuth(registry);
  if (stored?.username !== username || stored.password !== password) {
    throw new ConfigError(`credentials for ${registry} did not read back as written`, { file: file.path, hint: 'check for another program rewriting the file' });
  }
  return `Login succeeded: ${username} at ${registry}, credentials saved in ${file.path}`;
}

async function readUsername({ options, stdin, stderr, context }: CommandInvocation): Promise<string> {
  if (typeof options.username === 'string' && options.username.length > 0) return options.username;
  if (options.passwordStdin === true || !stdin.isTTY) {
    throw new NextdeployError('USAGE', 'no user name given; pass -u USER');
  }
  const name = await promptLine('Username: ', stdin, stderr, context.signal);
  if (!name) throw new NextdeployError('USAGE', 'no user name given; pass -u USER');
  return name;
}

async function readPassword({ options, stdin, stderr, context }: CommandInvocation): Promise<string> {
  const flag = typeof options.password === 'string' ? options.password : undefined;
  if (flag !== undefined && options.passwordStdin === true) {
    throw new NextdeployError('USAGE', '--password and --password-stdin cannot be combined; use --password-stdin alone');
  }
  if (flag !== undefined) {
    warn('--password on the command line is insecure (other users see it in the process list, and it stays in shell history); use --password-stdin', stderr);
    if (flag.length === 0) throw new NextdeployError('USAGE', '--password is empty; pipe the password to --password-stdin instead');
    return flag;
  }
  if (stdin.isTTY) {
    const secret = await promptSecret('Password: ', stdin, stderr, context.signal);
    if (!secret) throw new NextdeployError('USAGE', 'no password entered; type it at the prompt or pipe it to --password-stdin');
    return secret;
  }
  if (options.passwordStdin === true) return readSecretFromStdin(stdin, context.signal);
  throw new NextdeployError('USAGE', 'no password given; pipe it to --password-stdin (e.g. echo "$TOKEN" | nextdeploy-tui login HOST -u USER --password-stdin)');
}

/** A ping that must succeed with these credentials: a 200 from /v2/ after any Basic or Bearer round trip. */
async function verifyCredentials(client: RegistryClient, username: string, signal: AbortSignal): Promise<void> {
  try {
    await client.ping({ signal });
  } catch (err) {
    if (exitCodeFor(err) !== ExitCode.AUTH) throw err;
    throw new AuthenticationError(client.registry, `login failed: the registry rejected the credentials for "${username}"`, {
      hint: 'check the user name and password or token; nothing was saved',
      cause: err,
    });
  }
}
