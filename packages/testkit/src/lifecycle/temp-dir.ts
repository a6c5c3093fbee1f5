import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetDirOnParentDeath, removeOnParentDeath } from './watchdog.js';

/** A fresh directory under the OS temp dir, prefixed so leftovers are easy to spot. */
export async function makeTempDir(purpose: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `nextdeploy-testkit-${purpose}-`));
  removeOnParentDeath(dir);
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  forgetDirOnParentDeath(dir);
}
