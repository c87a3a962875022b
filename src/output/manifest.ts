// The write manifest: what each output file held when a build wrote it, so the next build can tell an unchanged
// file from its stat and a hash of the new bytes, without reading the old file. Stored with the cache.
import { createHash } from 'node:crypto';
import fsSync from 'node:fs';
import path from 'node:path';
import { packFile, unpackFile, writeFileAtomic } from '../incremental/packed-file.js';
import type { OutputFile } from '../render/render-pages.js';

/** One output file as last written: the SHA-1 of its bytes, the stat of the file and the stat of its source (copies). */
export type ManifestEntry = [hash: string, size: number, mtimeNs: string, ino: string, source?: string | null];
export interface Manifest {
  format: 1;
  outDir: string;
  files: Record<string, ManifestEntry>;
}

/**
 * The manifest's header in the cache files' one format (see incremental/packed-file.ts). Version 3 records no
 * render keys: whether a page is rendered again is decided before the writer (see PageHashes in render-pages.ts).
 */
const magic = 'blogbuild-manifest 3';

/** The manifest of `outDir`'s files as the last build wrote them, or undefined when missing, damaged or foreign. */
export function readOutputManifest(file: string, outDir: string): Manifest | undefined {
  let bytes: Buffer;
  try {
    bytes = fsSync.readFileSync(file);
  } catch {
    // Missing or unreadable: every output file is compared with the new bytes instead.
    return undefined;
  }
  const read = unpackFile(bytes, magic);
  if ('reason' in read) return undefined;
  const data = read.data as Manifest;
  if (typeof data !== 'object' || data === null || data.format !== 1 || data.outDir !== outDir || typeof data.files !== 'object' || data.files === null) return undefined;
  for (const key in data.files) {
    const e = data.files[key];
    if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number' || typeof e[2] !== 'string' || typeof e[3] !== 'string') return undefined;
  }
  return { ...data, files: Object.assign(Object.create(null), data.files) as Record<string, ManifestEntry> };
}

/**
 * Writes the manifest atomically (writeFileAtomic, the one write helper of the cache files); never throws. A
 * manifest that cannot be written only makes the next build read more: the old one is removed if it can be (it no
 * longer describes the output). Returns the failure, if any.
 */
export function writeManifest(file: string, manifest: Manifest): unknown {
  try {
    writeFileAtomic(file, packFile(magic, manifest, []));
    return undefined;
  } catch (cause) {
    try {
      fsSync.rmSync(file, { force: true });
    } catch {
      // The cache folder is a file, or cannot be written: nothing stale can be there either.
    }
    return cause;
  }
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
