import { basename } from 'node:path';
import { familiarReference, parseReference, type Reference } from '@nextdeploy/core';
import { runTransfer } from '../progress/transfer.js';
import type { CommandInvocation } from './types.js';

/** Node's architecture names where they differ from the OCI ones. */
const OCI_ARCH: Partial<Record<string, string>> = { x64: 'amd64', ia32: '386' };

export async function run(invocation: CommandInvocation): Promise<void> {
  const { args, options } = invocation;
  const reference = parseReference(args[0]!);
  const file = typeof options.output === 'string' ? options.output : defaultFileName(reference);
  const platforms = (options.platform as string[] | undefined) ?? [hostPlatform()];
  await runTransfer(invocation, {
    source: { transport: 'docker', reference },
    // A digest cannot be recorded in RepoTags; such an archive is loaded untagged, as docker does.
    destination: { transport: 'docker-archive', file, ...(reference.tag !== undefined ? { ref: { tag: familiarReference({ registry: reference.registry, repository: reference.repository, tag: reference.tag }) } } : {}) },
    platforms,
    ...(typeof options.jobs === 'number' ? { jobs: options.jobs } : {}),
  });
}

/** `NAME.tar` in the current directory, NAME being the repository's last path component (`ghcr.io/acme/app` -> `app.tar`). */
export function defaultFileName(reference: Reference): string {
  return `${basename(reference.repository)}.tar`;
}

/** A docker archive holds one platform; by default the one this machine runs (containers are Linux). */
function hostPlatform(): string {
  return `linux/${OCI_ARCH[process.arch] ?? process.arch}`;
}
