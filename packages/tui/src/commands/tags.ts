import { formatRepository, parseRepository } from '@nextdeploy/core';
import { writeJson, writeLine } from '../output/write.js';
import { pageOptions } from '../registry/page-options.js';
import type { CommandInvocation } from './types.js';

export async function run({ args, options, context, stdout }: CommandInvocation): Promise<void> {
  const repo = parseRepository(args[0]!);
  const tags = context.client(repo.registry).tags(repo.repository, { signal: context.signal, ...pageOptions(options) });
  if (options.json === true) {
    // One document means waiting for the last page; a failure midway prints nothing at all.
    const all: string[] = [];
    for await (const tag of tags) all.push(tag);
    writeJson(stdout, { repository: formatRepository(repo), tags: all });
    return;
  }
  // Text mode streams: each page's tags appear as soon as that page arrives.
  for await (const tag of tags) writeLine(stdout, tag);
}
