import { NextdeployError } from '@nextdeploy/core';
import { importModule } from '../startup/host.js';

/** Upper bound on a piped secret: tokens are a few KiB; anything bigger is the wrong file piped in. */
const MAX_SECRET_BYTES = 64 * 1024;

/**
 * Reads a password piped on stdin (`echo "$TOKEN" | … --password-stdin`). Exactly one trailing
 * newline is dropped, as `echo` adds one; anything else is kept, since passwords may end in spaces.
 */
export async function readSecretFromStdin(stdin: NodeJS.ReadStream, signal: AbortSignal): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin.iterator({ destroyOnReturn: false })) {
    signal.throwIfAborted();
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buf.length;
    if (total > MAX_SECRET_BYTES) {
      throw new NextdeployError('USAGE', `standard input is longer than ${MAX_SECRET_BYTES / 1024} KiB; pipe only the password or token to --password-stdin`);
    }
    chunks.push(buf);
  }
  const secret = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (secret.length === 0) {
    throw new NextdeployError('USAGE', 'standard input was empty; pipe the password or token to --password-stdin');
  }
  return secret;
}

/**
 * Prompts on the terminal with echo off (raw mode) and reads one line. Ctrl-C aborts rather than
 * being swallowed by raw mode; Ctrl-D on an empty line and Enter end the input.
 */
export async function promptSecret(
  prompt: string,
  stdin: NodeJS.ReadStream,
  stderr: NodeJS.WritableStream,
  signal: AbortSignal,
): Promise<string> {
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const cleanup = (): void => {
        stdin.off('data', onData);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal.reason);
      };
      const onData = (data: Buffer | string): void => {
        for (const ch of data.toString('utf8')) {
          if (ch === '\u0003') {
            cleanup();
            reject(Object.assign(new Error('interrupted'), { name: 'AbortError' }));
            return;
          }
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            cleanup();
            resolve(value);
            return;
          }
          // Backspace / DEL remove one character; the terminal shows nothing either way.
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else value += ch;
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    stderr.write('\n');
  }
}

/** Reads one visible line from the terminal (the user name prompt). */
export async function promptLine(prompt: string, stdin: NodeJS.ReadStream, stderr: NodeJS.WritableStream, signal: AbortSignal): Promise<string> {
  const { createInterface } = await importModule<typeof import('node:readline/promises')>('node:readline/promises');
  const rl = createInterface({ input: stdin, output: stderr, terminal: true });
  try {
    return (await rl.question(prompt, { signal })).trim();
  } finally {
    rl.close();
  }
}
