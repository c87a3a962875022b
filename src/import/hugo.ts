import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';
import { slugify } from '../content/slug.js';
import { canonicalDate } from './canonical-dates.js';
import type { ReportItem, SourcePost, SourceSite } from './model.js';
import { expandPermalink } from './permalink.js';
import { firstExisting, readPosts, siteUrl, text } from './site-files.js';

const configNames = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json', 'config.toml', 'config.yaml', 'config.yml', 'config.json']
  .flatMap((name) => [name, `config/_default/${name}`]);

/** Reads a Hugo site: its config, the posts of every section under `content/` (bundles too), and `static/`. */
export async function readHugo(root: string): Promise<SourceSite> {
  const notes: ReportItem[] = [];
  const config = await readConfig(root, notes);
  const params = (config.params ?? {}) as Record<string, unknown>;
  const baseUrl = text(config.baseURL ?? config.baseurl);
  const timezone = text(config.timeZone ?? config.timezone) ?? 'UTC';
  const permalinks = (config.permalinks ?? {}) as Record<string, unknown>;
  const contentDir = path.join(root, text(config.contentDir) ?? 'content');
  const posts = (await readPosts(root, contentDir)).filter((post) => {
    const isSectionPost = path.relative(contentDir, post.file).includes(path.sep);
    if (!isSectionPost) notes.push({ kind: 'page', file: post.rel, detail: 'a page outside a section, not a post; not imported' });
    return isSectionPost;
  });
  for (const post of posts) post.oldUrl = oldUrl(post, contentDir, permalinks, timezone);
  const author = params.author ?? config.author;
  const staticDir = await firstExisting(root, [text(config.staticDir) ?? 'static']);
  return {
    settings: {
      title: text(config.title),
      description: text(params.description ?? params.subtitle),
      url: siteUrl(baseUrl),
      language: text(config.languageCode ?? config.defaultContentLanguage),
      author: text(author) ?? text((author as { name?: unknown } | undefined)?.name),
      timezone,
    },
    posts,
    staticDirs: staticDir ? [{ from: staticDir, to: '' }] : [],
    includeDirs: [],
    notes,
  };
}

/** The post's URL under Hugo's rules: its `url`, else the section's permalink pattern, else /section/slug/. */
function oldUrl(post: SourcePost, contentDir: string, permalinks: Record<string, unknown>, timezone: string): string {
  const d = post.data;
  if (text(d.url)) return expandPermalink(text(d.url)!, { slug: '' });
  const relParts = path.relative(contentDir, post.file).split(path.sep);
  const section = relParts[0]!;
  const date = canonicalDate(d.date ?? d.publishDate, timezone)?.slice(0, 10);
  const slug = text(d.slug) ?? (text(d.title) ? slugify(text(d.title)!) : post.name);
  const pattern = text(permalinks[section]);
  if (pattern) return expandPermalink(pattern, { date, slug, title: text(d.title) ?? post.name, section, filename: post.name });
  // Without a pattern, the URL is the file's path in its section, the slug replacing the file name.
  const folders = relParts.slice(0, post.assets.length > 0 || /^index\./.test(relParts.at(-1)!) ? -2 : -1);
  return `/${[...folders, text(d.slug) ?? post.name].map((part) => part.toLowerCase()).join('/')}/`;
}

/** Reads the first Hugo config file found: TOML, YAML or JSON. */
async function readConfig(root: string, notes: ReportItem[]): Promise<Record<string, unknown>> {
  const file = await firstExisting(root, configNames);
  if (!file) {
    notes.push({ kind: 'config', file: 'hugo.toml', detail: 'not found; title, url and time zone not imported' });
    return {};
  }
  const source = await fs.readFile(file, 'utf8');
  try {
    const data = file.endsWith('.toml') ? parseToml(source) : file.endsWith('.json') ? JSON.parse(source) : yaml.load(source, { schema: yaml.CORE_SCHEMA });
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch (cause) {
    notes.push({ kind: 'config', file: path.relative(root, file), line: (cause as { line?: number }).line, detail: `cannot be read: ${(cause as Error).message.split('\n')[0]}` });
    return {};
  }
}
