import type { CopyEvent } from '@nextdeploy/core';
import { formatSize } from '../output/size.js';
import { shortDigest } from './format.js';
import type { Reporter } from './reporter.js';

/** One plain line per finished blob and written manifest: for logs and pipes, where redrawing is noise. */
export class LineReporter implements Reporter {
  constructor(private readonly out: NodeJS.WritableStream) {}

  onEvent(event: CopyEvent): void {
    const line = describe(event);
    if (line !== undefined) this.out.write(`${line}\n`);
  }

  stop(): void {
    // every line is already complete
  }
}

function describe(e: CopyEvent): string | undefined {
  switch (e.type) {
    case 'image-start':
      return `copying ${e.source} to ${e.destination}: ${e.blobs} blobs, ${formatSize(e.bytes)}`;
    case 'blob-done':
      return `copied  ${shortDigest(e.digest)} ${formatSize(e.size)}`;
    case 'blob-skip':
      return `exists  ${shortDigest(e.digest)} ${formatSize(e.size)}`;
    case 'blob-mount':
      return `mounted ${shortDigest(e.digest)} ${formatSize(e.size)} from ${e.from}`;
    case 'blob-compressed':
      return `gzipped ${shortDigest(e.digest)} ${formatSize(e.size)} -> ${shortDigest(e.compressed.digest)} ${formatSize(e.compressed.size)}`;
    case 'blob-fail':
      return `failed  ${shortDigest(e.digest)}: ${e.error}`;
    case 'manifest-put':
      return `wrote   ${e.root ? 'manifest' : 'child manifest'} ${e.digest}`;
    default:
      return undefined;
  }
}
