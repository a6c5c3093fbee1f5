/**
 * After every timed run (outside the clock) check the destination really holds the image with the
 * expected manifest digest, so a tool that "wins" by doing less is caught rather than praised.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');
const REF_NAME = 'org.opencontainers.image.ref.name';

/** `registryUrl` is the registry itself (not a proxy), so verification adds no shaped round trips. */
export async function expectRegistryImage(registryUrl, repo, tag, digest, label) {
  const res = await fetch(`${registryUrl}/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: MANIFEST_ACCEPT },
    signal: AbortSignal.timeout(10_000),
  });
  const got = res.headers.get('docker-content-digest');
  if (res.status !== 200) throw new Error(`${label}: destination ${repo}:${tag} answers ${res.status}, the copy did not land`);
  if (got !== digest) throw new Error(`${label}: destination ${repo}:${tag} has manifest ${got}, expected ${digest} (digests not preserved)`);
}

/** The layout's index.json names the tag, and the manifest and every blob it lists are on disk with the right size. */
export async function expectLayoutImage(dir, tag, expected, label) {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  const entry = index.manifests?.find((m) => m.annotations?.[REF_NAME] === tag);
  if (!entry) throw new Error(`${label}: ${dir}/index.json has no ref name "${tag}", the copy did not land`);
  if (entry.digest !== expected.digest) throw new Error(`${label}: layout tag ${tag} is ${entry.digest}, expected ${expected.digest} (digests not preserved)`);
  for (const blob of [{ digest: expected.digest, size: expected.size }, ...expected.blobs]) {
    const path = join(dir, 'blobs', ...blob.digest.split(':'));
    const size = await stat(path).then((s) => s.size, () => -1);
    if (size !== blob.size) throw new Error(`${label}: layout blob ${blob.digest} is ${size < 0 ? 'missing' : `${size} bytes`}, expected ${blob.size}`);
  }
}
