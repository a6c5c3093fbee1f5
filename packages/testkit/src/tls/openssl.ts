import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Run the openssl CLI (node:crypto cannot issue X.509 certificates). `what` names the thing being
 * made, so a failure is one line saying what could not be made and how to get openssl.
 */
export async function openssl(args: string[], what: string): Promise<void> {
  try {
    await run('openssl', args);
  } catch (err) {
    throw new Error(
      `openssl could not create ${what} (${(err as Error).message.split('\n')[0]}); install it with: apt-get install openssl`,
    );
  }
}
