import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { isoInZone } from '../content/dates.js';
import { describeCode } from '../diagnostics/codes.js';
import { fallbackSlug, slugify, slugLengthProblem, tagProblem } from '../content/slug.js';
import { codePointName, findUnprintable } from '../content/printable.js';
import { escapeControl } from '../diagnostics/format.js';
import { CommandFileError, describeFileError, makeDirectory, reportFileError } from './file-errors.js';
import { createReporter } from './output.js';

/** Flags of `blogbuild new`. */
export interface NewFlags {
  tags?: string;
  draft?: boolean;
  config?: string;
  posts?: string;
  /** Print the causes of errors, with their stacks. */
  debug?: boolean;
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
    createReporter({ cwd, debug: flags.debug }).diagnostics(diagnostics);
    return 2;
  }
  for (const [what, text] of [['the title', title], ['--tags', flags.tags ?? '']]) {
    const found = findUnprintable(text, false);
    if (found) {
      process.stderr.write(`error: ${what} holds the control character ${codePointName(found.codePoint)}, which a web page cannot hold; nothing was written\n  hint: remove it\n`);
      return 2;
    }
  }
  const slug = slugify(title) || fallbackSlug(title);
  const tooLong = slugLengthProblem(slug);
  if (tooLong) {
    process.stderr.write(`error: the title is too long for a post's URL: ${tooLong}; nothing was written\n  hint: use a shorter title (you can lengthen \`title:\` in the new file afterwards)\n`);
    return 2;
  }
  // The same rules the build applies to tags, so `new` never writes a post the build then rejects.
  const tags = (flags.tags ?? '').split(',').map((tag) => tag.trim().replace(/\s+/g, ' ')).filter(Boolean);
  for (const tag of tags) {
    const problem = tagProblem(tag);
    if (problem) {
      process.stderr.write(`error: --tags: ${escapeControl(describeCode('SlugUnsafe', problem).message)}; nothing was written\n  hint: use plain, short names separated by commas, e.g. --tags news,recipes\n`);
      return 2;
    }
  }
  const file = path.join(config.postsDir, `${slug}.md`);
  const shown = (path.relative(cwd, file) || file).split(path.sep).join('/');
  const shownDir = (path.relative(cwd, config.postsDir) || config.postsDir).split(path.sep).join('/');
  try {
    return await writePost({ file, shown, shownDir, slug, title, tags, cwd, flags, config });
  } catch (cause) {
    if (cause instanceof CommandFileError) return reportFileError(cause, flags.debug);
    throw cause;
  }
}

async function writePost(options: {
  file: string; shown: string; shownDir: string; slug: string; title: string; tags: string[]; cwd: string; flags: NewFlags;
  config: { postsDir: string; timezone: string; author: string };
}): Promise<number> {
  const { file, shown, shownDir, slug, title, tags, cwd, flags, config } = options;
  // A posts folder that does not exist yet is made below; only a file in its place is an error.
  const postsStat = await fs.stat(config.postsDir).catch(() => undefined);
  if (postsStat && !postsStat.isDirectory()) {
    throw new CommandFileError(`${shownDir} is a file, but posts go in a folder of that name; nothing was written`, 'rename or move that file, or pass --posts DIR');
  }
  const taken = await postWithSlug(config.postsDir, slug, config.timezone);
  if (taken && path.resolve(taken) !== path.resolve(file)) {
    const other = (path.relative(cwd, taken) || taken).split(path.sep).join('/');
    process.stderr.write(
      `error: ${other} already has the slug "${slug}", so a new post would collide with it at posts/${slug}/; nothing was written\n` +
        `  hint: choose another title, or edit ${other}\n`,
    );
    return 1;
  }
  const text = newPostText({
    title,
    date: isoInZone(new Date(), config.timezone).slice(0, 10),
    author: config.author,
    tags,
    isDraft: Boolean(flags.draft),
  });
  await makeDirectory(config.postsDir, shownDir);
  try {
    // 'wx' fails if the file exists, even if it appeared since we looked.
    await fs.writeFile(file, text, { flag: 'wx' });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') {
      process.stderr.write(`error: ${shown} already exists; nothing was written\n  hint: edit that file, or choose another title\n`);
      return 1;
    }
    throw describeFileError(cause, shown);
  }
  process.stdout.write(`${shown}\n`);
  return 0;
}
