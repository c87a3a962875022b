// The write manifest: what each output file held when a build wrote it, so the next build can tell an unchanged
// file from its stat and a hash of the new bytes, without reading the old file. Kept with the cache.
import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../render/render-pages.js';

/** One output file as last written: the SHA-1 of its bytes, the stat of the file and the stat of its source (copies). */
export type ManifestEntry = [hash: string, size: number, mtimeNs: string, ino: string, source?: string | null];
export interface Manifest {
  format: 1;
  outDir: string;
  files: Record<string, ManifestEntry>;
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

/** Whether `dir` holds exactly the output files (no other files, folders or links), so a swap would drop nothing. */
export function holdsExactly(dir: string, outputs: OutputFile[]): boolean {
  const files = new Set(outputs.map((file) => file.path));
  const dirs = new Set<string>();
  for (const file of files) {
    for (let at = file.lastIndexOf('/'); at > 0; at = file.lastIndexOf('/', at - 1)) dirs.add(file.slice(0, at));
  }
  let found = 0;
  const walk = (rel: string): boolean => {
    let entries: fsSync.Dirent[];
    try {
      entries = fsSync.readdirSync(rel ? path.join(dir, rel) : dir, { withFileTypes: true });
    } catch {
      // A folder that cannot be read holds nothing the manifest can vouch for: it is not the output blogbuild wrote.
      return false;
    }
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!dirs.has(child) || !walk(child)) return false;
      } else if (entry.isFile() && files.has(child)) found++;
      else return false;
    }
    return true;
  };
  return walk('') && found === files.size;
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
