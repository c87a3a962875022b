import fs from 'node:fs/promises';
import path from 'node:path';

/** Options for {@link walk}. */
export interface WalkOptions {
  /** Symbolic links whose target is inside this folder (the blog) are followed; without it, links are skipped silently. */
  root?: string;
  /** Called for each link that is skipped, with why. */
  onSkippedLink?: (link: string, reason: string) => void;
}

/**
 * Every file under `dir`, skipping dot-files and node_modules. With `options.root`, a symbolic link is followed when
 * it points inside the blog: to a file, or to a folder outside `dir` (a folder inside `dir` is read anyway, and
 * following it would read its files twice or loop). Other links are skipped and passed to `onSkippedLink`.
 */
export async function walk(dir: string, options: WalkOptions = {}, top = dir, ancestors = new Set<string>()): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      if (!options.root) continue;
      const followed = await followLink(full, options.root, top, ancestors);
      if (typeof followed === 'string') {
        options.onSkippedLink?.(full, followed);
        continue;
      }
      ({ isDirectory, isFile } = followed);
      if (isDirectory) {
        const inner = new Set(ancestors).add(followed.target);
        out.push(...(await walk(full, options, top, inner)));
        continue;
      }
    }
    if (isDirectory) out.push(...(await walk(full, options, top, ancestors)));
    else if (isFile) out.push(full);
  }
  return out;
}

/** What a link is when it may be followed, or why not. */
async function followLink(link: string, root: string, top: string, ancestors: Set<string>): Promise<{ target: string; isDirectory: boolean; isFile: boolean } | string> {
  // realpath fails for a dangling link or a loop: the link is skipped with that reason.
  const target = await fs.realpath(link).catch(() => undefined);
  if (!target) return 'it points to nothing';
  const inside = (folder: string, file: string) => {
    const rel = path.relative(folder, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  // A root that cannot be resolved is compared as written.
  const realRoot = await fs.realpath(root).catch(() => root);
  if (!inside(realRoot, target)) return `it points outside the blog (to ${target})`;
  const stat = await fs.stat(link);
  if (stat.isDirectory()) {
    // A folder that cannot be resolved is compared as written.
    const realTop = await fs.realpath(top).catch(() => top);
    if (inside(realTop, target) || inside(target, realTop) || ancestors.has(target)) return 'it points to a folder that is read anyway, or that holds the link (a loop)';
  }
  return { target, isDirectory: stat.isDirectory(), isFile: stat.isFile() };
}
