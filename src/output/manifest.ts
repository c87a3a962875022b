// The write manifest: what each output file held when a build wrote it, so the next build can tell an unchanged
// file from its stat and a hash of the new bytes, without reading the old file. Kept with the cache.
import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import type { OutputFile } from '../render/render-pages.js';

/** One output file as last written: the SHA-1 of its bytes, the stat of the file and the stat of its source (copies). */
export type ManifestEntry = [hash: string, size: number, mtimeNs: string, ino: string, source?: string | null];
export interface Manifest {
  format: 1;
  outDir: string;
  files: Record<string, ManifestEntry>;
  /**
   * Folders (`''`: the output folder) a build found holding exactly these files, each by its `mtimeMs:ino` then: one
   * whose stat is the same has had nothing added, removed or renamed in it since (see {@link holdsExactly}).
   */
  dirs?: Record<string, string>;
}

/**
 * Where the manifest is kept between builds (the build hands in the cache folder's file, see
 * cache/output-manifest.ts): the writer reads it before writing and writes the next one on commit.
 */
export interface ManifestFile {
  /** The manifest of `outDir`'s files as the last build wrote them, or undefined when missing, damaged or foreign. */
  read(outDir: string): Manifest | undefined;
  /** Writes the manifest, or removes the old one when it cannot; never throws. Returns the failure, if any. */
  write(manifest: Manifest): unknown;
}

/**
 * Whether `dir` holds exactly the output files (no other files, folders or links), so a swap would drop nothing; and
 * the folders found so, by their stat (see {@link Manifest.dirs}). A folder whose stat is the one in `trusted` is not
 * listed: nothing was added, removed or renamed in it since a build found it holding exactly its files. The caller
 * passes `trusted` only from a manifest of the same files, each of which it found still there.
 */
export function holdsExactly(dir: string, outputs: OutputFile[], trusted: Readonly<Record<string, string>> = {},
  /** Called with each folder's stat as it is checked (for the record of the output, see Writer.outputTree). */
  onFolder?: (rel: string, stat: fsSync.Stats) => void): { isExact: boolean; verified: Record<string, string> } {
  const files = new Set(outputs.map((file) => file.path));
  // Each folder's files and folders, as the outputs have them.
  const folders = new Map<string, { files: number; dirs: string[] }>([['', { files: 0, dirs: [] }]]);
  for (const file of files) {
    let child = file;
    for (let at = file.lastIndexOf('/'); ; at = child.lastIndexOf('/')) {
      const parent = at > 0 ? child.slice(0, at) : '';
      let known = folders.get(parent);
      const isNew = !known;
      if (!known) folders.set(parent, (known = { files: 0, dirs: [] }));
      if (child === file) known.files++;
      else known.dirs.push(child);
      if (!isNew || parent === '') break;
      child = parent;
    }
  }
  const verified: Record<string, string> = Object.create(null);
  // A folder changed within the clock's granularity of this check could change again with the same mtime: such a
  // folder is not recorded, so the next build lists it again.
  const startedAt = Date.now();
  let found = 0;
  const walk = (rel: string): boolean => {
    const full = rel ? `${dir}/${rel}` : dir;
    // Stat'ed before it is listed: a change after the stat gives the folder another one, seen by the next build.
    const stat = fsSync.statSync(full, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) return false;
    onFolder?.(rel, stat);
    const signature = `${stat.mtimeMs}:${stat.ino}`;
    const expected = folders.get(rel)!;
    if (trusted[rel] === signature) {
      verified[rel] = signature;
      found += expected.files;
      return expected.dirs.every(walk);
    }
    let entries: fsSync.Dirent[];
    try {
      entries = fsSync.readdirSync(full, { withFileTypes: true });
    } catch {
      // A folder that cannot be read holds nothing the manifest can vouch for: it is not the output blogbuild wrote.
      return false;
    }
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!folders.has(child) || !walk(child)) return false;
      } else if (entry.isFile() && files.has(child)) found++;
      else return false;
    }
    if (stat.mtimeMs < startedAt - (stat.mtimeMs % 1000 === 0 ? 2000 : 50)) verified[rel] = signature;
    return true;
  };
  const isExact = walk('') && found === files.size;
  return { isExact, verified: isExact ? verified : {} };
}

export function tryStat(file: string): fsSync.BigIntStats | undefined {
  return fsSync.statSync(file, { bigint: true, throwIfNoEntry: false }) ?? undefined;
}

/** Size, mtime and inode of a source file, or undefined when it cannot be read. */
export function statSignature(file: string): string | undefined {
  const s = tryStat(file);
  return s ? `${s.size}:${s.mtimeNs}:${s.ino}` : undefined;
}

export function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}
