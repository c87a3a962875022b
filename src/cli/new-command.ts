import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { isoInZone } from '../content/dates.js';
import { fallbackSlug, slugify } from '../content/slug.js';
import { createReporter } from './output.js';

/** Flags of `blogbuild new`. */
export interface NewFlags {
  tags?: string;
  draft?: boolean;
  config?: string;
  posts?: string;
}

/** Options for {@link newPostText}. */
export interface NewPostOptions {
  title: string;
  /** `YYYY-MM-DD` in the site's time zone. */
  date: string;
  author: string;
  tags: string[];
  isDraft: boolean;
}

/** The text of a new post: front matter filled in, an empty body. */
export function newPostText(options: NewPostOptions): string {
  const scalar = (value: string) => yaml.dump(value, { lineWidth: -1, flowLevel: 0 }).trimEnd();
  const lines = ['---', `title: ${scalar(options.title)}`, `date: ${options.date}`];
  if (options.author) lines.push(`author: ${scalar(options.author)}`);
  lines.push(`tags: [${options.tags.map(scalar).join(', ')}]`);
  lines.push(`draft: ${options.isDraft}`);
  lines.push('---', '', '');
  return lines.join('\n');
}

/** The file of an existing post whose slug is `slug` (a dated file name or a `slug:` in front matter), if any. */
async function postWithSlug(postsDir: string, slug: string, timezone: string): Promise<string | undefined> {
  const { discoverSources } = await import('../content/discover.js');
  const { loadPosts } = await import('../content/load-posts.js');
  const { sources } = await discoverSources(postsDir);
  const { posts } = loadPosts(sources, { timezone, author: '' });
  return posts.find((post) => post.slug === slug)?.sourcePath;
}

/** `blogbuild new "<title>"`: writes posts/<slug>.md and prints its path; never overwrites. */
export async function newCommand(title: string, flags: NewFlags): Promise<number> {
  const cwd = process.cwd();
  title = title.trim();
  if (!title) {
    process.stderr.write('error: the title is empty\n  hint: blogbuild new "My first post"\n');
    return 2;
  }
  const { loadConfig } = await import('../config/load.js');
  const { config, diagnostics } = await loadConfig(cwd, { config: flags.config, posts: flags.posts });
  if (!config) {
    createReporter({ cwd }).diagnostics(diagnostics);
    return 2;
  }
  const slug = slugify(title) || fallbackSlug(title);
  const file = path.join(config.postsDir, `${slug}.md`);
  const shown = (path.relative(cwd, file) || file).split(path.sep).join('/');
  const taken = await postWithSlug(config.postsDir, slug, config.timezone);
  if (taken && path.resolve(taken) !== path.resolve(file)) {
    const other = (path.relative(cwd, taken) || taken).split(path.sep).join('/');
    process.stderr.write(
      `error: ${other} already has the slug "${slug}", so a new post would collide with it at posts/${slug}/; nothing was written\n` +
        `  hint: choose another title, or edit ${other}\n`,
    );
    return 1;
  }
  const tags = (flags.tags ?? '').split(',').map((tag) => tag.trim()).filter(Boolean);
  const text = newPostText({
    title,
    date: isoInZone(new Date(), config.timezone).slice(0, 10),
    author: config.author,
    tags,
    isDraft: Boolean(flags.draft),
  });
  await fs.mkdir(config.postsDir, { recursive: true });
  try {
    // 'wx' fails if the file exists, even if it appeared since we looked.
    await fs.writeFile(file, text, { flag: 'wx' });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      process.stderr.write(`error: ${shown} already exists; nothing was written\n  hint: edit that file, or choose another title\n`);
      return 1;
    }
    throw cause;
  }
  process.stdout.write(`${shown}\n`);
  return 0;
}
