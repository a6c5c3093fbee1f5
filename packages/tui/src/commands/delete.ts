import { NextdeployError, formatReference, formatRepository, parseReference, type Digest } from '@nextdeploy/core';
import { writeJson, writeLine } from '../output/write.js';
import type { CommandInvocation } from './types.js';

export async function run({ args, options, context, stdout }: CommandInvocation): Promise<void> {
  const input = args[0]!;
  // No implied `latest` here: deleting whatever `latest` happens to be is rarely what was meant.
  const ref = parseReference(input, { defaultTag: false });
  if (ref.digest === undefined && ref.tag === undefined) {
    throw new NextdeployError('USAGE', `"${input}" names no tag or digest; say which image to delete, e.g. ${input}:TAG or ${input}@sha256:…`);
  }
  const client = context.client(ref.registry);
  const repository = formatRepository(ref);
  let digest: Digest;
  if (ref.digest !== undefined) {
    digest = ref.digest as Digest;
  } else {
    // Registries delete by digest only, so the tag is resolved to the manifest it points at first.
    const head = await client.headManifest(ref.repository, ref.tag!, { signal: context.signal });
    if (!head) {
      throw new NextdeployError('MANIFEST_UNKNOWN', `${formatReference(ref)} not found; list the tags with "nextdeploy-tui tags ${repository}"`);
    }
    digest = head.digest;
  }
  await client.deleteManifest(ref.repository, digest, { signal: context.signal });

  const deleted = `${repository}@${digest}`;
  if (options.json === true) {
    writeJson(stdout, { deleted, repository, digest, ...(ref.digest === undefined ? { tag: ref.tag } : {}) });
    return;
  }
  writeLine(stdout, ref.digest === undefined ? `Deleted ${deleted} (tag ${ref.tag} pointed at it; every tag pointing at it is gone too)` : `Deleted ${deleted}`);
}
