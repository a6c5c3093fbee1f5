/** Helpers shared by the copy engine tests: endpoints over one pool, event capture, registry checks. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestRegistry } from '@nextdeploy/testkit';
import {
  TransportPool,
  copyImage,
  createRegistryClient,
  isIndex,
  manifestBlobs,
  openDestination,
  openSource,
  parseReference,
  referenceIdentifier,
  staticKeychain,
  type CopyEvent,
  type CopyOptions,
  type CopySummary,
  type Keychain,
} from '../src/index.js';

export function keychainFor(...registries: TestRegistry[]): Keychain {
  const entries: Record<string, { username: string; password: string }> = {};
  for (const r of registries) {
    const [user, password] = Object.entries(r.users)[0] ?? [];
    if (r.mode !== 'none' && user && password) entries[r.host] = { username: user, password };
  }
  return staticKeychain(entries);
}

/** Runs one copy the way the CLI does (one transport pool for both ends), recording every event. */
export async function runCopy(
  src: string,
  dst: string,
  options: CopyOptions & { keychain?: Keychain } = {},
): Promise<{ summary: CopySummary; events: CopyEvent[] }> {
  const events: CopyEvent[] = [];
  const transports = new TransportPool(options.keychain ? { keychain: options.keychain } : {});
  try {
    const summary = await copyImage(openSource(src, { transports }), openDestination(dst, { transports }), {
      ...options,
      onEvent: (e) => {
        events.push(e);
        options.onEvent?.(e);
      },
    });
    return { summary, events };
  } finally {
    await transports.close();
  }
}

export function eventsOf<T extends CopyEvent['type']>(events: CopyEvent[], type: T): Extract<CopyEvent, { type: T }>[] {
  return events.filter((e): e is Extract<CopyEvent, { type: T }> => e.type === type);
}

/**
 * The invariant a killed copy must keep: the tag is absent, or it and everything it reaches
 * (children, configs, layers) exist in the repository.
 */
export async function tagIsAbsentOrComplete(ref: string, keychain?: Keychain): Promise<'absent' | 'complete'> {
  const r = parseReference(ref);
  const client = createRegistryClient(r.registry, keychain ? { keychain } : {});
  try {
    const head = await client.headManifest(r.repository, referenceIdentifier(r));
    if (!head) return 'absent';
    const top = await client.getManifest(r.repository, head.digest);
    const images = isIndex(top.manifest) ? await Promise.all(top.manifest.manifests.map((d) => client.getManifest(r.repository, d.digest))) : [top];
    for (const image of images) {
      for (const blob of manifestBlobs(image.manifest)) {
        const found = await client.headBlob(r.repository, blob.digest);
        if (found?.size !== blob.size) throw new Error(`${ref} references missing blob ${blob.digest}`);
      }
    }
    return 'complete';
  } finally {
    await client.transport.close?.();
  }
}

export async function tempDir(purpose: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `nextdeploy-${purpose}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
