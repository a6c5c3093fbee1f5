import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * A hidden name next to `finalPath`: same directory, so the later rename is atomic (same file
 * system), dot-prefixed so directory listings and globbing tools pass it by.
 */
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.tmp-${randomBytes(6).toString('hex')}`);
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Size of a regular file, or undefined when there is none. */
export async function fileSize(path: string): Promise<number | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes to a temp name, fsyncs, then renames over `path`, so readers see the old file or the new
 * one and never a half-written one, even across a crash.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Buffer size for blob files. Node's 16 KiB (write) / 64 KiB (read) defaults cost one syscall per
 * small chunk; at 1 MiB, queued chunks go out in one writev and a 256 MiB layer takes a few hundred
 * syscalls instead of thousands.
 */
export const FILE_STREAM_HIGH_WATER_MARK = 1024 * 1024;

/** Streams `body` through `transforms` into a new file at `path` (which must not exist). */
export async function streamToFile(
  path: string,
  body: Readable,
  transforms: NodeJS.ReadWriteStream[],
  signal?: AbortSignal,
): Promise<void> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o644, highWaterMark: FILE_STREAM_HIGH_WATER_MARK });
  try {
    await pipeline([body, ...transforms, out], signal ? { signal } : {});
  } catch (err) {
    body.destroy();
    await rm(path, { force: true });
    throw err;
  }
}

/**
 * Remembers every temp file and every directory a destination created, so `abort()` can put the
 * file system back the way it was: temp files go, directories go only if they are empty again.
 */
export class CreatedPaths {
  private readonly files = new Set<string>();
  private readonly dirs: string[] = [];

  addFile(path: string): void {
    this.files.add(path);
  }

  forgetFile(path: string): void {
    this.files.delete(path);
  }

  /** mkdir -p that records which levels did not exist before. */
  async mkdirs(path: string): Promise<void> {
    const missing: string[] = [];
    for (let p = path; !(await pathExists(p)); p = dirname(p)) {
      missing.unshift(p);
      if (dirname(p) === p) break;
    }
    await mkdir(path, { recursive: true });
    this.dirs.push(...missing);
  }

  /** After a successful commit the directories are wanted; only stray temp files remain to clean. */
  keepDirectories(): void {
    this.dirs.length = 0;
  }

  async removeAll(): Promise<void> {
    await Promise.all([...this.files].map((f) => rm(f, { force: true })));
    this.files.clear();
    for (const dir of this.dirs.reverse()) {
      try {
        await rmdir(dir);
      } catch {
        // not empty: something else put files there meanwhile, and those are not ours to remove
      }
    }
    this.dirs.length = 0;
  }
}
