import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { extract, type Header } from 'tar-stream';
import { ArchiveError } from '../errors/index.js';
import type { FileRange } from '../layout/file-blobs.js';

/** Where one member's data sits inside the (uncompressed) tar file. */
export interface TarEntry extends FileRange {
  name: string;
  type: Header['type'];
  /** For symlinks relative to the entry's directory, for hard links relative to the archive root. */
  linkname?: string;
}

export interface TarIndex {
  file: string;
  entries: ReadonlyMap<string, TarEntry>;
}

/**
 * Canonical member name (`./a//b` -> `a/b`), refusing names that would land outside an extraction
 * directory. We never extract, but a name like `../x` or `/etc/x` only appears in hostile archives,
 * and refusing the archive outright is safer than reasoning about every later use of the name.
 */
export function safeMemberName(file: string, name: string): string {
  if (name.includes('\0') || name.includes('\\')) throw new ArchiveError(file, `refusing entry "${printable(name)}": backslash or NUL in name`);
  if (name.startsWith('/')) throw new ArchiveError(file, `refusing entry "${printable(name)}": absolute path`);
  const normal = posix.normalize(name).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) throw new ArchiveError(file, `refusing entry "${printable(name)}": path escapes the archive`);
  return normal === '.' ? '' : normal.replace(/^\.\//, '');
}

/** The member a link points at, refusing targets outside the archive. */
function linkTarget(file: string, entry: TarEntry): string {
  const target = entry.linkname ?? '';
  const base = entry.type === 'symlink' ? posix.dirname(entry.name) : '';
  if (target.startsWith('/')) throw new ArchiveError(file, `refusing ${entry.type} entry "${printable(entry.name)}": absolute target "${printable(target)}"`);
  const joined = posix.normalize(posix.join(base, target));
  if (joined === '..' || joined.startsWith('../')) {
    throw new ArchiveError(file, `refusing ${entry.type} entry "${printable(entry.name)}": target "${printable(target)}" escapes the archive`);
  }
  return joined;
}

/**
 * One sequential pass over the archive that records where every member's data starts, so later
 * reads are byte ranges of the original file (`fs.createReadStream({start, end})`) and nothing is
 * extracted. Links are checked here too, so a hostile archive fails before anything is read from it.
 */
export async function indexTar(file: string, signal?: AbortSignal): Promise<TarIndex> {
  const entries = new Map<string, TarEntry>();
  const input = createReadStream(file);
  const parser = extract();
  const onAbort = (): void => {
    input.destroy(signal?.reason as Error);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  input.on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  try {
    for await (const member of parser) {
      const header = member.header;
      const name = safeMemberName(file, header.name);
      // The header of a member (after any pax/GNU long-name blocks) is one 512-byte block; its data follows.
      const entry: TarEntry = { name, type: header.type, start: member.offset + 512, length: header.size ?? 0 };
      if (header.type === 'symlink' || header.type === 'link') entry.linkname = header.linkname;
      entries.set(name, entry);
      member.resume();
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    if (signal?.aborted) throw signal.reason;
    throw new ArchiveError(file, `not a readable tar archive: ${(err as Error).message}`, { cause: err });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    input.destroy();
  }
  for (const entry of entries.values()) {
    if (entry.type === 'symlink' || entry.type === 'link') linkTarget(file, entry);
  }
  return { file, entries };
}

/**
 * The regular file `name` refers to, following symlinks and hard links inside the archive (docker
 * save and skopeo both link repeated layers to one copy). Loops and dangling links are errors.
 */
export function resolveMember(index: TarIndex, name: string): TarEntry {
  let current = safeMemberName(index.file, name);
  for (let hops = 0; hops < 16; hops++) {
    const entry = index.entries.get(current);
    if (!entry) throw new ArchiveError(index.file, `entry "${printable(current)}" is missing from the archive`, { hint: 'the archive is incomplete or not a docker save archive' });
    if (entry.type === 'file' || entry.type === 'contiguous-file') return entry;
    if (entry.type !== 'symlink' && entry.type !== 'link') {
      throw new ArchiveError(index.file, `entry "${printable(current)}" is a ${entry.type}, not a file`);
    }
    current = linkTarget(index.file, entry);
  }
  throw new ArchiveError(index.file, `entry "${printable(name)}" is a chain of more than 16 links`);
}

function printable(name: string): string {
  const clean = name.replace(/[\0-\x1f\x7f]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
