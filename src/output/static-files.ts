import fs from 'node:fs/promises';
import path from 'node:path';
import { skippedLink } from '../content/discover.js';
import { walk } from '../content/walk.js';
import type { Diagnostic } from '../diagnostics/error.js';
import type { FileRoute } from '../render/routes.js';
import type { RenderedPost } from '../site/model.js';
import { outputPath, postPath } from '../site/urls.js';

/** Routes of the files copied as they are: the theme's assets, `public/`, and page-bundle files beside their post. */
export async function collectStaticFiles(options: {
  publicDir: string;
  themeAssets: Map<string, string>;
  posts: readonly RenderedPost[];
  /** The blog's folder: symbolic links in `public/` to files inside it are followed. @default publicDir's parent */
  root?: string;
  /** Receives a warning for each symbolic link that is not followed. */
  diagnostics?: Diagnostic[];
}): Promise<FileRoute[]> {
  const files: FileRoute[] = [];
  for (const [rel, source] of options.themeAssets) files.push({ path: rel, kind: 'static', source });
  if (await isDirectory(options.publicDir)) {
    const root = options.root ?? path.dirname(options.publicDir);
    const onSkippedLink = (link: string, reason: string) => options.diagnostics?.push(skippedLink(link, reason));
    for (const source of (await walk(options.publicDir, { root, onSkippedLink })).sort()) {
      files.push({ path: path.relative(options.publicDir, source).split(path.sep).join('/'), kind: 'static', source });
    }
  }
  for (const post of options.posts) {
    if (!post.bundleDir) continue;
    const dir = outputPath(postPath(post.slug)).replace(/index\.html$/, '');
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
