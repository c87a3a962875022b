import fs from 'node:fs/promises';
import path from 'node:path';
import { readSplitFile } from './source-file.js';
import type { SourcePost } from './model.js';

/** Markdown extensions generators read as posts. */
export const markdownExtensions = /\.(md|markdown|mdown|mkd|mkdn|mdx)$/i;

/** Every file under `dir`, absolute, sorted; [] when it does not exist. Dot-files and node_modules are skipped. */
export async function walkFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    // A folder that cannot be read contributes no files to the import.
    return [];
  }
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walkFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/** The first of `names` (relative to `dir`) that exists as a file or folder. */
export async function firstExisting(dir: string, names: string[]): Promise<string | undefined> {
  for (const name of names) {
    try {
      await fs.stat(path.join(dir, name));
      return path.join(dir, name);
    } catch {
      // try the next
    }
  }
  return undefined;
}

/** `/`-separated path of `file` relative to `root`. */
export function relPosix(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/**
 * Reads the markdown posts under `dir`. A markdown file named `index` or named like its folder, with other files
 * beside it, is a bundle: its name is the folder's and those files are its assets.
 */
export async function readPosts(siteRoot: string, dir: string, options: { isDraftFolder?: boolean } = {}): Promise<SourcePost[]> {
  const files = await walkFiles(dir);
  const posts: SourcePost[] = [];
  for (const file of files.filter((f) => markdownExtensions.test(f))) {
    const base = path.basename(file).replace(markdownExtensions, '');
    if (base === '_index') continue;
    const folder = path.dirname(file);
    const isBundle = folder !== dir && (base === 'index' || base === path.basename(folder));
    const assets = isBundle ? files.filter((f) => f.startsWith(folder + path.sep) && !markdownExtensions.test(f)) : [];
    const { data, body, bodyStartLine } = await readSplitFile(file);
    posts.push({
      file, rel: relPosix(siteRoot, file), data, body, bodyStartLine, assets,
      name: isBundle ? path.basename(folder) : base,
      isDraftFolder: options.isDraftFolder,
    });
  }
  return posts;
}

/** Reads a config value that is a string, else undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** A site URL and base path joined (`https://x.org` + `/blog` → `https://x.org/blog/`), or undefined. */
export function siteUrl(url: string | undefined, base = ''): string | undefined {
  if (!url || !/^https?:\/\//.test(url)) return undefined;
  const joined = `${url.replace(/\/+$/, '')}/${base.replace(/^\/+|\/+$/g, '')}`;
  return joined.endsWith('/') ? joined : `${joined}/`;
}
