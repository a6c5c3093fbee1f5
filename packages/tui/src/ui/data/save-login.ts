import { Readable, Writable } from 'node:stream';
import type { CommandContext } from '../../context.js';
import { run as runLoginCommand } from '../../commands/login.js';

export interface LoginResult {
  /** The login command's own success line (names the file written, never the secret). */
  message: string;
  /** Its warnings, e.g. that a credential helper shadows the saved entry. */
  warnings: string[];
}

/**
 * Verifies and saves credentials through the `login` command itself, so the UI and the CLI cannot
 * drift apart (verify first, write nothing on a rejected password, read back what was written).
 * The password travels the command's `--password-stdin` path on an in-memory stream, never argv.
 */
export async function saveLogin(context: CommandContext, registry: string, username: string, password: string): Promise<LoginResult> {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = Object.assign(Readable.from([Buffer.from(password, 'utf8')]), { isTTY: false }) as unknown as NodeJS.ReadStream;
  await runLoginCommand({
    args: [registry],
    options: { username, passwordStdin: true },
    context,
    stdin,
    stdout: collect(out) as NodeJS.WriteStream,
    stderr: collect(err) as NodeJS.WriteStream,
  });
  return { message: out.join('').trim(), warnings: err.join('').split('\n').filter((l) => l.trim() !== '') };
}

function collect(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      into.push(chunk.toString());
      callback();
    },
  });
}
