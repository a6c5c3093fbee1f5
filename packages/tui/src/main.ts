import { runCli } from './program/run.js';
import { exitQuietlyOnBrokenPipe, flushAndExit } from './program/exit.js';
import { setCliHost, type CliHost } from './startup/host.js';

/** The whole CLI, run by the bin (dist/cli.cjs, written by build.mjs) with what only it can know. */
export async function main(argv: string[], host: CliHost = {}): Promise<never> {
  setCliHost(host);
  exitQuietlyOnBrokenPipe();
  return flushAndExit(await runCli(argv));
}
