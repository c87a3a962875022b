import fsSync from 'node:fs';
import { packFile, readPackedFile, writeFileAtomic } from '../incremental/packed-file.js';
import type { Manifest, ManifestEntry, ManifestFile } from '../output/manifest.js';

/** The writer's manifest of an output folder, kept in `file` in the cache folder in the cache files' one format. */
export function outputManifest(file: string): ManifestFile {
  return { read: (outDir) => readOutputManifest(file, outDir), write: (manifest) => writeManifest(file, manifest) };
}

/**
 * The manifest's header in the cache files' one format (see incremental/packed-file.ts). Version 3 records no
 * render keys: whether a page is rendered again is decided before the writer (see PageHashes in render-pages.ts).
 */
const magic = 'blogbuild-manifest 4';

/** The manifest of `outDir`'s files as the last build wrote them, or undefined when missing, damaged or foreign. */
function readOutputManifest(file: string, outDir: string): Manifest | undefined {
  // Missing, unreadable or damaged: every output file is compared with the new bytes instead.
  const read = readPackedFile(file, magic);
  if ('reason' in read) return undefined;
  const data = read.data as Manifest;
  if (typeof data !== 'object' || data === null || data.format !== 1 || data.outDir !== outDir || typeof data.files !== 'object' || data.files === null) return undefined;
  for (const key in data.files) {
    const e = data.files[key];
    if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number' || typeof e[2] !== 'string' || typeof e[3] !== 'string') return undefined;
  }
  const dirs = typeof data.dirs === 'object' && data.dirs !== null && Object.values(data.dirs).every((v) => typeof v === 'string') ? Object.assign(Object.create(null), data.dirs) as Record<string, string> : undefined;
  return { ...data, files: Object.assign(Object.create(null), data.files) as Record<string, ManifestEntry>, dirs };
}

/**
 * Writes the manifest atomically (writeFileAtomic, the one write helper of the cache files); never throws. A
 * manifest that cannot be written only makes the next build read more: the old one is removed if it can be (it no
 * longer describes the output). Returns the failure, if any.
 */
function writeManifest(file: string, manifest: Manifest): unknown {
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
