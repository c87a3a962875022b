import fs from 'node:fs/promises';
import path from 'node:path';
import type { ReportItem, SourceSite } from './model.js';
import { firstExisting, readPosts, relPosix, siteUrl } from './site-files.js';

/** A `key: 'value'` or `KEY = 'value'` in JavaScript/TypeScript source. */
function jsValue(source: string, key: string): string | undefined {
  return new RegExp(`\\b${key}\\s*[:=]\\s*(["'\`])([^"'\`]*)\\1`).exec(source)?.[2];
}

/**
 * Reads an Astro site without running it: `site` and `base` from `astro.config.*`, the title and description from
 * `src/consts.*` (the blog template's `SITE_TITLE`), posts from `src/content/blog/` (or `posts/`), and `public/`.
 */
export async function readAstro(root: string): Promise<SourceSite> {
  const notes: ReportItem[] = [];
  const configFile = await firstExisting(root, ['astro.config.mjs', 'astro.config.js', 'astro.config.ts', 'astro.config.mts']);
  const config = configFile ? await fs.readFile(configFile, 'utf8') : '';
  if (!configFile) notes.push({ kind: 'config', file: 'astro.config.mjs', detail: 'not found; url not imported' });
  const constsFile = await firstExisting(root, ['src/consts.ts', 'src/consts.js', 'src/config.ts']);
  const consts = constsFile ? await fs.readFile(constsFile, 'utf8') : '';
  const base = (jsValue(config, 'base') ?? '').replace(/\/+$/, '');
  const postsDir = await firstExisting(root, ['src/content/blog', 'src/content/posts', 'src/data/blog']);
  if (!postsDir) notes.push({ kind: 'posts', file: 'src/content', detail: 'no blog/ or posts/ collection found' });
  const posts = postsDir ? await readPosts(root, postsDir) : [];
  const collection = postsDir ? path.basename(postsDir) : 'blog';
  for (const post of posts) {
    // The blog template's route is /blog/[...slug]/ with the entry's id: its path in the collection without extension.
    const id = relPosix(postsDir!, post.file).replace(/\.[^./]+$/, '').replace(/\/index$/, '').toLowerCase();
    post.oldUrl = `/${collection}/${id}/`;
  }
  const publicDir = await firstExisting(root, ['public']);
  return {
    settings: {
      title: jsValue(consts, 'SITE_TITLE') ?? jsValue(consts, 'title'),
      description: jsValue(consts, 'SITE_DESCRIPTION') ?? jsValue(consts, 'description'),
      url: siteUrl(jsValue(config, 'site'), base),
    },
    posts,
    staticDirs: publicDir ? [{ from: publicDir, to: '' }] : [],
    includeDirs: [],
    notes,
  };
}
