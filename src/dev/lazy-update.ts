import type { SourceFile } from '../content/discover.js';
import { loadPosts } from '../content/load-posts.js';
import { readSource } from '../content/read-source.js';
import { hasErrors } from '../diagnostics/error.js';
import type { Post, RenderedPost } from '../site/model.js';
import type { LazySite } from './lazy-site.js';

/**
 * Gives the lazy site the saved posts' new bodies, when each changed file is a published post of the site whose
 * front matter (everything but the body: title, dates, tags, slug, links to other posts…) loads as before: the site
 * model (lists, tags, related posts, feeds' order) is then unchanged, and only the pages showing those posts are
 * stale. False (and the site unchanged) when it must be loaded again: another file changed, a post's front matter changed or
 * has errors, or a file cannot be read.
 */
export function updateBodies(lazy: LazySite, changed: readonly string[]): boolean {
  if (changed.length === 0) return false;
  const replaced = new Map<RenderedPost, Post>();
  const options = { timezone: lazy.config.timezone, author: lazy.config.author, shouldScanBodies: false };
  for (const file of changed) {
    const shell = lazy.shellOf(file);
    if (!shell) return false;
    const before = lazy.postOf(shell);
    const source = readPost(before);
    if (!source) return false;
    const { posts, diagnostics } = loadPosts([source], options);
    if (posts.length !== 1 || hasErrors(diagnostics) || !isSameFrontMatter(before, posts[0])) return false;
    replaced.set(shell, posts[0]);
  }
  lazy.replaceBodies(replaced);
  return true;
}

/** The post's source file as discoverSources reads it, or undefined if it cannot be read (loading the site again reports it). */
function readPost(post: Post): SourceFile | undefined {
  const read = readSource({ path: post.sourcePath, relPath: post.relPath, bundleDir: post.bundleDir, assets: post.assets }, undefined, undefined);
  return 'source' in read ? read.source : undefined;
}

/** Whether two loads of one post differ in their body alone. */
function isSameFrontMatter(a: Post, b: Post): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  keys.delete('body');
  const fields = a as unknown as Record<string, unknown>;
  const others = b as unknown as Record<string, unknown>;
  for (const key of keys) if (JSON.stringify(fields[key]) !== JSON.stringify(others[key])) return false;
  return true;
}
