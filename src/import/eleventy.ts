import fs from 'node:fs/promises';
import path from 'node:path';
import type { ReportItem, SourcePost, SourceSite } from './model.js';
import { firstExisting, readPosts, relPosix, siteUrl, text } from './site-files.js';

const collectionTags = new Set(['posts', 'post', 'blog']);

/** A `key: "value"` in JavaScript source, the way config files and `_data/metadata.js` write them. */
function jsString(source: string, key: string): string | undefined {
  return new RegExp(`\\b${key}\\s*:\\s*(["'\`])([^"'\`]*)\\1`).exec(source)?.[2];
}

/**
 * Reads an Eleventy site without running its code: the input folder from `eleventy.config.*`/`.eleventy.js`,
 * `_data/metadata.*` for the site's title and url, posts from `posts/` or `blog/` (under `src/` or `content/`
 * too), and passthrough-copied folders.
 */
export async function readEleventy(root: string): Promise<SourceSite> {
  const notes: ReportItem[] = [];
  const configFile = await firstExisting(root, ['eleventy.config.js', 'eleventy.config.mjs', 'eleventy.config.cjs', '.eleventy.js']);
  const configSource = configFile ? await fs.readFile(configFile, 'utf8') : '';
  const input = path.join(root, (configSource && /\binput\s*:/.test(configSource) ? jsString(configSource, 'input') : undefined) ?? (await firstExisting(root, ['src']) ? 'src' : '.'));
  const metadataFile = await firstExisting(input, ['_data/metadata.json', '_data/metadata.js', '_data/metadata.mjs', '_data/metadata.cjs', '_data/site.json', '_data/site.js']);
  const metadata = metadataFile ? await fs.readFile(metadataFile, 'utf8') : '';
  if (!metadataFile) notes.push({ kind: 'config', file: '_data/metadata.js', detail: 'not found; title and url not imported' });
  const read = (key: string) => (metadataFile?.endsWith('.json') ? text((JSON.parse(metadata) as Record<string, unknown>)[key]) : jsString(metadata, key));
  const authorBlock = /\bauthor\s*:\s*\{([^}]*)\}/.exec(metadata)?.[1];
  const postsDir = await firstExisting(input, ['posts', 'blog', 'content/blog', 'content/posts']);
  const posts = postsDir ? (await readPosts(root, postsDir)).filter((post) => !/^index\.(md|markdown)$/.test(path.basename(post.file)) || post.assets.length > 0) : [];
  if (!postsDir) notes.push({ kind: 'posts', file: relPosix(root, input) || '.', detail: 'no posts/ or blog/ folder found' });
  for (const post of posts) {
    post.oldUrl = oldUrl(post, input);
    // `tags: [posts]` is Eleventy's way to put a post in the collection its lists loop over, not a topic.
    if (Array.isArray(post.data.tags)) post.data.tags = post.data.tags.filter((tag) => !collectionTags.has(String(tag)));
    await fileDate(post, notes);
  }
  const url = siteUrl(read('url'));
  return {
    settings: {
      title: read('title'),
      description: read('description'),
      url,
      language: read('language'),
      author: authorBlock ? jsString(authorBlock, 'name') : read('author'),
    },
    posts,
    staticDirs: await passthroughDirs(root, input, configSource),
    includeDirs: [path.join(input, '_includes')],
    notes,
  };
}

/**
 * Eleventy's `date: Last Modified` / `Created` (and their `git` forms) mean the file's dates, which a copy of the
 * file does not keep: the date is written out, and the report says so.
 */
async function fileDate(post: SourcePost, notes: ReportItem[]): Promise<void> {
  const keyword = typeof post.data.date === 'string' ? /^(git )?(last modified|created)$/i.exec(post.data.date.trim()) : null;
  if (!keyword) return;
  const stat = await fs.stat(post.file);
  const date = (keyword[2]!.toLowerCase() === 'created' ? stat.birthtime : stat.mtime).toISOString().slice(0, 10);
  notes.push({ kind: 'date', file: post.rel, line: 1, detail: `"${post.data.date}" written as the file's date today, ${date}; check it` });
  post.data.date = date;
}

/** Eleventy's URL: the `permalink` when it is a plain path, else the file's path under the input folder. */
function oldUrl(post: SourcePost, input: string): string {
  const own = text(post.data.permalink);
  if (own && !/[{}]/.test(own)) return `/${own.replace(/^\/+/, '').replace(/index\.html$/, '')}`;
  const rel = relPosix(input, post.file).replace(/\.[^./]+$/, '');
  const parts = rel.split('/');
  // `blog/post/post.md` and `blog/post/index.md` are both /blog/post/ (Eleventy strips an index and a name equal to its folder).
  if (parts.at(-1) === 'index' || parts.at(-1) === parts.at(-2)) parts.pop();
  return `/${parts.join('/')}/`;
}

/**
 * Folders copied as they are: `addPassthroughCopy("src/img")` (to /img/, its path under the input folder) and
 * `addPassthroughCopy({ "./public/": "/" })` (to the given path).
 */
async function passthroughDirs(root: string, input: string, config: string): Promise<{ from: string; to: string }[]> {
  const dirs: { from: string; to: string }[] = [];
  for (const m of config.matchAll(/addPassthroughCopy\(\s*(\{)?\s*["'`]([^"'`*]+)["'`](?:\s*:\s*["'`]([^"'`]*)["'`])?/g)) {
    const name = m[2]!.replace(/^\.\//, '').replace(/\/+$/, '');
    const from = path.join(root, name);
    // A passthrough folder that does not exist is skipped, as Eleventy skips it.
    if (!(await fs.stat(from).catch(() => undefined))?.isDirectory()) continue;
    const to = m[1] ? (m[3] ?? name) : relPosix(input, from).startsWith('..') ? name : relPosix(input, from);
    dirs.push({ from, to: to.replace(/^\/+|\/+$/g, '') });
  }
  return dirs;
}
