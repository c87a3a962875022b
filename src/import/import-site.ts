import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { BlogbuildError } from '../diagnostics/error.js';
import { escapeTemplateTags } from './escape-template-tags.js';
import { BodyText } from './body-text.js';
import { canonicalFrontMatter } from './canonical-front-matter.js';
import { bundleImages } from './bundle-images.js';
import { convertHugo } from './convert-hugo.js';
import { convertLiquid, type BodyContext } from './convert-liquid.js';
import { convertMdx } from './convert-mdx.js';
import { blogConfig } from './blog-config.js';
import { generators, type Generator, type ImportReport, type SourceSite } from './model.js';
import { planPosts, postResolver, type PlannedPost } from './plan-posts.js';
import { readAstro } from './astro.js';
import { readEleventy } from './eleventy.js';
import { readHugo } from './hugo.js';
import { readJekyll } from './jekyll.js';
import { relPosix, walkFiles } from './site-files.js';
import { writeBlog, type OutputFile } from './write-blog.js';

/** Options of {@link importSite}. */
export interface ImportOptions {
  generator: string;
  /** The source site's folder. */
  source: string;
  /** The blog folder to write. @default the current folder */
  out?: string;
  /** Write into a folder that is not empty. @default false */
  force?: boolean;
  /** Report only; write nothing. @default false */
  dryRun?: boolean;
}

const readers: Record<Generator, (root: string) => Promise<SourceSite>> = { jekyll: readJekyll, hugo: readHugo, eleventy: readEleventy, astro: readAstro };

/**
 * Converts a Jekyll, Hugo, Eleventy or Astro site into a blogbuild blog: config, posts with canonical front matter
 * and converted bodies, images beside their posts, static files in `public/`. Never writes into the source.
 * Throws a BlogbuildError (usage) for a bad generator, a missing source, or a non-empty target without `force`.
 */
export async function importSite(options: ImportOptions): Promise<ImportReport> {
  const generator = options.generator.toLowerCase() as Generator;
  if (!generators.includes(generator)) {
    throw new BlogbuildError('UsageInvalid', { problem: 'generator-unknown', generator: options.generator, known: generators });
  }
  const source = path.resolve(options.source);
  const out = path.resolve(options.out ?? '.');
  // A source that cannot be stat'ed is reported as a missing site folder.
  if (!(await fs.stat(source).catch(() => undefined))?.isDirectory()) {
    throw new BlogbuildError('UsageInvalid', { problem: 'import-source-missing', generator }, { file: source });
  }
  if (out === source || out.startsWith(source + path.sep)) {
    throw new BlogbuildError('UsageInvalid', { problem: 'import-into-source' }, { file: out });
  }
  const site = await readers[generator](source);
  const planned = planPosts(site.posts);
  const report: ImportReport = { generator, source, out, isDryRun: Boolean(options.dryRun), posts: [], changes: [], unconverted: [...site.notes], files: [] };
  const files: OutputFile[] = [{ path: 'blogbuild.config.json', text: `${JSON.stringify(blogConfig(site.settings, report), null, 2)}\n` }];
  const taken = new Map<string, string>();
  for (const entry of planned) {
    const other = taken.get(entry.outPath) ?? taken.get(`slug:${entry.slug}`);
    if (other) {
      report.unconverted.push({ kind: 'post', file: entry.post.rel, detail: `same slug "${entry.slug}" as ${other}; not imported (give one a \`slug:\`)` });
      continue;
    }
    taken.set(entry.outPath, entry.post.rel).set(`slug:${entry.slug}`, entry.post.rel);
    files.push(...(await convertPost(entry, planned, site, generator, report)));
  }
  for (const dir of site.staticDirs) {
    for (const file of await walkFiles(dir.from)) files.push({ path: ['public', dir.to, relPosix(dir.from, file)].filter(Boolean).join('/'), from: file });
  }
  report.files = files.map((file) => file.path);
  if (!options.dryRun) await writeBlog(out, files, Boolean(options.force));
  return report;
}

async function convertPost(entry: PlannedPost, planned: PlannedPost[], site: SourceSite, generator: Generator, report: ImportReport): Promise<OutputFile[]> {
  const { post } = entry;
  const context: BodyContext = { resolvePost: postResolver(planned, post), readInclude: includeReader(site.includeDirs) };
  const body = new BodyText(post.body, post.rel, post.bodyStartLine);
  if (generator === 'hugo') convertHugo(body, context);
  else if (generator === 'astro') convertMdx(body, post.file);
  else convertLiquid(body, context);
  const relativeLinks = /(\]\()(\.{0,2}\/?[^)\s#:]+\.(?:md|markdown|mdx))(#[^)\s]*)?(\))/g;
  body.replace(relativeLinks, 'relative .md link → post URL', (m) => {
    const url = context.resolvePost(m[2]! + (m[3] ?? ''));
    return url ? `${m[1]}${url}${m[4]}` : undefined;
  }, (m) => `link to ${m[2]} names no post of the site`);
  const aliases = post.oldUrl && post.oldUrl !== entry.url ? [post.oldUrl] : [];
  const front = canonicalFrontMatter(post, site.settings.timezone ?? 'UTC', aliases);
  const images = await bundleImages(entry, body, front.data);
  report.posts.push(entry.outPath);
  report.changes.push(...front.changes, ...body.changes, ...images.changes);
  report.unconverted.push(...front.unconverted, ...body.unconverted, ...images.unconverted);
  const head = yaml.dump(front.data, { lineWidth: -1, noRefs: true });
  return [{ path: images.outPath, text: `---\n${head}---\n\n${escapeTemplateTags(body.finish()).replace(/^\n+/, '')}` }, ...images.files];
}

function includeReader(dirs: string[]): BodyContext['readInclude'] {
  const cache = new Map<string, string | undefined>();
  return (name) => {
    if (!cache.has(name)) {
      const file = dirs.map((dir) => path.join(dir, name)).find((candidate) => existsSync(candidate));
      const text = file ? readFileSync(file, 'utf8') : undefined;
      // An include with template code of its own would need a template engine; it is reported instead.
      cache.set(name, text !== undefined && !/\{[{%]/.test(text) ? text.trim() : undefined);
    }
    return cache.get(name);
  };
}
