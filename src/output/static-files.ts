import fs from 'node:fs/promises';
import path from 'node:path';
import { skippedLink } from '../content/discover.js';
import { walk } from '../content/walk.js';
import type { Diagnostic } from '../diagnostics/error.js';
import type { FileRoute } from '../render/routes.js';
import type { RenderedPost } from '../site/model.js';
import { outputPath, postPath, type Permalinks } from '../site/urls.js';

/** Routes of the files copied as they are: the theme's assets, `public/`, and page-bundle files beside their post. */
export async function collectStaticFiles(options: {
  publicDir: string;
  /** The theme's `public/`: copied like the blog's, which wins file by file. @default undefined */
  themePublicDir?: string;
  themeAssets: Map<string, string>;
  posts: readonly RenderedPost[];
  /** Where posts are, for their bundles' files. @default the default permalinks */
  permalinks?: Permalinks;
  /** The blog's folder: symbolic links in `public/` to files inside it are followed. @default publicDir's parent */
  root?: string;
  /** Receives a warning for each symbolic link that is not followed. */
  diagnostics?: Diagnostic[];
}): Promise<FileRoute[]> {
  const files: FileRoute[] = [];
  for (const [rel, source] of options.themeAssets) files.push({ path: rel, kind: 'static', source });
  const copied = new Map<string, string>();
  for (const dir of [options.themePublicDir, options.publicDir]) {
    if (!dir || !(await isDirectory(dir))) continue;
    const root = dir === options.publicDir ? options.root ?? path.dirname(dir) : dir;
    const onSkippedLink = (link: string, reason: string) => options.diagnostics?.push(skippedLink(link, reason));
    for (const source of (await walk(dir, { root, onSkippedLink })).sort()) copied.set(path.relative(dir, source).split(path.sep).join('/'), source);
  }
  for (const [rel, source] of copied) files.push({ path: rel, kind: 'static', source });
  for (const post of options.posts) {
    if (!post.bundleDir) continue;
    const dir = outputPath(postPath(post, options)).replace(/index\.html$/, '');
    for (const asset of post.assets) files.push({ path: dir + asset, kind: 'static', source: path.join(post.bundleDir, asset) });
  }
  return files;
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    // A public folder that cannot be stat'ed is treated as absent: there are no static files to copy.
    return false;
  }
}
