import { TransportPool, copyImage, openDestination, openSource, type CopyEvent, type CopySummary, type TransportReference } from '@nextdeploy/core';
import type { CommandContext } from '../context.js';
import type { CommandInvocation } from '../commands/types.js';
import { formatSize } from '../output/size.js';
import { writeJson, writeLine } from '../output/write.js';
import { formatElapsed } from './format.js';
import { LineReporter } from './line-reporter.js';
import type { Reporter } from './reporter.js';
import { TtyReporter } from './tty-reporter.js';

export interface TransferRequest {
  source: string | TransportReference;
  destination: string | TransportReference;
  platforms: string[];
  jobs?: number;
}

/**
 * One copy with the CLI's transport settings: both ends share a transport pool (tokens and
 * connections), and the pool is closed whatever happens. The commands and the UI both run this.
 */
export async function copyWithContext(
  context: CommandContext,
  request: TransferRequest,
  onEvent: ((event: CopyEvent) => void) | undefined,
  signal: AbortSignal = context.signal,
): Promise<CopySummary> {
  const transports = new TransportPool((registry) => context.transportOptionsFor(registry));
  try {
    return await copyImage(openSource(request.source, { transports }), openDestination(request.destination, { transports }), {
      platforms: request.platforms,
      ...(request.jobs !== undefined ? { jobs: request.jobs } : {}),
      signal,
      ...(onEvent ? { onEvent } : {}),
    });
  } finally {
    await transports.close();
  }
}

/**
 * What copy, pull and push share: the copy with the right progress display (live on a terminal,
 * plain lines in a pipe, none with --json), then the summary. Ctrl-C aborts `context.signal`; the
 * engine then cleans the destination up.
 */
export async function runTransfer(invocation: CommandInvocation, request: TransferRequest): Promise<CopySummary> {
  const { context, stdout, options } = invocation;
  const json = options.json === true;
  const reporter: Reporter | undefined = json ? undefined : stdout.isTTY ? new TtyReporter(stdout) : new LineReporter(stdout);
  try {
    const summary = await copyWithContext(context, request, reporter ? (e) => reporter.onEvent(e) : undefined);
    reporter?.stop();
    if (json) writeJson(stdout, summary);
    else writeLine(stdout, formatSummary(summary));
    return summary;
  } finally {
    reporter?.stop();
  }
}

export function formatSummary(s: CopySummary): string {
  const verb = s.upToDate ? 'Up to date' : 'Copied';
  const blobs = `${s.blobs.total} blobs: ${s.blobs.copied} copied, ${s.blobs.skipped} skipped, ${s.blobs.mounted} mounted`;
  const lines = [
    `${verb}: ${s.source} -> ${s.destination}`,
    `Digest: ${s.digest}${s.rewritten ? ` (source ${s.sourceDigest}, rewritten: ${s.rewritten})` : ''}`,
    `${blobs}; ${formatSize(s.bytes.moved)} moved of ${formatSize(s.bytes.total)} in ${formatElapsed(s.durationMs)}`,
  ];
  if (s.platforms.length > 0) lines.push(`Platforms: ${s.platforms.join(', ')}`);
  for (const note of s.notes) lines.push(`Note: ${note}`);
  return lines.join('\n');
}
