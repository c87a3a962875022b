// Which folder a build may replace. A build replaces everything in its output folder, so it writes a marker file
// into every output it makes, and replaces only a folder that has one, is empty, or does not exist yet.
import fsSync from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../render/render-pages.js';
import type { ManifestFile } from './manifest.js';

/** The marker file in every output folder `fsWriter` writes: a dotfile, which static hosts serve or skip harmlessly. */
export const markerName = '.blogbuild';

/** The marker as an output file, added by `fsWriter` to the files it writes (the memory writer never sees it). */
export const markerFile: OutputFile = {
  path: markerName,
  contents: 'This folder is the output of blogbuild: every build replaces all of its contents.\n',
};

/** The folder the output really goes to: a symlinked output folder's target (which need not exist yet), else `outDir`. */
export function resolveOutputDir(outDir: string): string {
  try {
    return fsSync.realpathSync(outDir);
  } catch {
    // Not there yet (or not resolvable): resolved as a dangling link or as written, just below.
    try {
      // A dangling link: its target is made by the build, and the link stays a link.
      return path.resolve(path.dirname(outDir), fsSync.readlinkSync(outDir));
    } catch {
      // Not a link either: the folder does not exist yet and the build makes it.
      return outDir;
    }
  }
}

/**
 * Why a build may not replace `outDir`, or undefined when it may: it does not exist, is empty, holds the marker, or
 * (made by a blogbuild without the marker) holds only files that the cache's output manifest (`manifest`) lists.
 */
export function outputFolderProblem(outDir: string, manifest: ManifestFile | undefined): string | undefined {
  const dir = resolveOutputDir(outDir);
  let entries: fsSync.Dirent[];
  try {
    const stat = fsSync.statSync(dir);
    if (!stat.isDirectory()) return 'is not a folder';
    entries = fsSync.readdirSync(dir, { withFileTypes: true });
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? undefined : `cannot be read (${code ?? (cause as Error).message})`;
  }
  if (entries.length === 0) return undefined;
  if (entries.some((entry) => entry.name === markerName && entry.isFile())) return undefined;
  const known = manifest?.read(outDir);
  if (known && listFiles(dir).every((file) => file in known.files)) return undefined;
  return `holds files blogbuild did not write (it has no ${markerName} marker)`;
}

/** Every file and link under `dir`, relative and `/`-separated (folders are walked, not listed). */
function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of fsSync.readdirSync(rel ? path.join(dir, rel) : dir, { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, child));
    else out.push(child);
  }
  return out;
}
