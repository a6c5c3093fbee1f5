import { NextdeployError, isDigest, type Digest, type RegistryClient } from '@nextdeploy/core';

/**
 * Deletes the manifest `reference` names and returns `repo@digest`. Registries delete by digest
 * only, so a tag is resolved first, exactly as the `delete` command does.
 */
export async function deleteImage(client: RegistryClient, repository: string, reference: string, signal: AbortSignal): Promise<string> {
  let digest: Digest;
  if (isDigest(reference)) {
    digest = reference;
  } else {
    const head = await client.headManifest(repository, reference, { signal });
    if (!head) throw new NextdeployError('MANIFEST_UNKNOWN', `${client.registry}/${repository}:${reference} not found; press r to reload the tags`);
    digest = head.digest;
  }
  await client.deleteManifest(repository, digest, { signal });
  return `${client.registry}/${repository}@${digest}`;
}
