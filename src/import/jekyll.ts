import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { canonicalDate, fileNameDate } from './canonical-dates.js';
import type { ReportItem, SourcePost, SourceSite } from './model.js';
import { expandPermalink } from './permalink.js';
import { firstExisting, readPosts, relPosix, siteUrl, text, walkFiles } from './site-files.js';

const styles: Record<string, string> = {
  date: '/:categories/:year/:month/:day/:title:output_ext',
  pretty: '/:categories/:year/:month/:day/:title/',
  ordinal: '/:categories/:year/:y_day/:title:output_ext',
  none: '/:categories/:title:output_ext',
};

/** Reads a Jekyll site: `_config.yml`, `_posts/` and `_drafts/`, `_includes/`, and the usual asset folders. */
export async function readJekyll(root: string): Promise<SourceSite> {
  const notes: ReportItem[] = [];
  const config = await readYamlConfig(root, notes);
  const base = text(config.baseurl) ?? '';
  const authorValue = config.author as unknown;
  const timezone = text(config.timezone) ?? 'UTC';
  const permalink = styles[text(config.permalink) ?? 'date'] ?? text(config.permalink)!;
  const posts = [
    ...(await readPosts(root, path.join(root, '_posts'))),
    ...(await readPosts(root, path.join(root, '_drafts'), { isDraftFolder: true })),
  ];
  for (const post of posts) post.oldUrl = oldUrl(post, permalink, timezone);
  // Posts written as HTML (or Textile) have no markdown to convert to; say so rather than drop them unseen.
  for (const file of await walkFiles(path.join(root, '_posts'))) {
    if (/\.(html?|textile)$/i.test(file)) notes.push({ kind: 'post', file: relPosix(root, file), detail: 'not markdown; not imported' });
  }
  const staticDirs = [];
  for (const name of ['assets', 'images', 'img', 'uploads', 'files']) {
    const dir = await firstExisting(root, [name]);
    if (dir) staticDirs.push({ from: dir, to: name });
  }
  return {
    settings: {
      title: text(config.title),
      description: text(config.description),
      url: siteUrl(text(config.url), base),
      language: text(config.lang) ?? text(config.locale)?.replace('_', '-'),
      author: text(authorValue) ?? text((authorValue as { name?: unknown } | undefined)?.name),
      timezone,
    },
    posts,
    staticDirs,
    includeDirs: [path.join(root, '_includes')],
    notes,
  };
}

/** The post's URL under Jekyll's rules: its own `permalink`, else the site's, with the folder categories. */
function oldUrl(post: SourcePost, sitePermalink: string, timezone: string): string {
  const d = post.data;
  const folderCategories = path.dirname(post.rel).split('/').filter((part) => !['_posts', '_drafts', '.'].includes(part));
  const ownCategories = d.categories ?? d.category;
  const categories = [
    ...folderCategories,
    ...(Array.isArray(ownCategories) ? ownCategories.map(String) : typeof ownCategories === 'string' ? ownCategories.split(/\s+/) : []),
  ].filter(Boolean);
  const date = (canonicalDate(d.date, timezone) ?? fileNameDate(post.name))?.slice(0, 10);
  const fileSlug = post.name.replace(/^\d{4}-\d{2}-\d{2}-/, '');
  const pattern = text(d.permalink) ?? sitePermalink;
  return expandPermalink(pattern, { date, slug: text(d.slug) ?? fileSlug, categories }).replace(/:y_day/, '');
}

async function readYamlConfig(root: string, notes: ReportItem[]): Promise<Record<string, unknown>> {
  for (const name of ['_config.yml', '_config.yaml']) {
    let source: string;
    try {
      source = await fs.readFile(path.join(root, name), 'utf8');
    } catch {
      // The config file named is optional: a site without it is read with the defaults.
      continue;
    }
    try {
      const data = yaml.load(source, { schema: yaml.CORE_SCHEMA });
      return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
    } catch (cause) {
      notes.push({ kind: 'config', file: name, line: ((cause as { mark?: { line: number } }).mark?.line ?? 0) + 1, detail: `cannot be read as YAML; title, url and time zone not imported` });
      return {};
    }
  }
  notes.push({ kind: 'config', file: '_config.yml', detail: 'not found; title, url and time zone not imported' });
  return {};
}
