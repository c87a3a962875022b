import fs from 'node:fs/promises';
import type { ResolvedConfig } from '../config/schema.js';
import { copyLazyText, lazyTextOf } from '../content/lazy-text.js';
import { hasErrors, type Diagnostic } from '../diagnostics/error.js';
import { readCoverImages } from '../markdown/post-images.js';
import { renderMarkdown, type RenderMarkdownOptions } from '../markdown/render-markdown.js';
import type { createViews } from '../render/context.js';
import { renderRoutes } from '../render/render-pages.js';
import type { FileRoute, PostKeys, Route } from '../render/routes.js';
import type { Theme } from '../render/templates.js';
import { feedItemBase, feedPosts, tagScope, type FeedOptions } from '../site/feed.js';
import type { Post, RenderedPost, Site } from '../site/model.js';
import { outputPath, postPath } from '../site/urls.js';

/** What {@link createPageRenderer} renders from: the lazy site's parts (see lazy-site.ts). */
export interface PageRendererOptions {
  site: Site;
  config: ResolvedConfig;
  theme: Theme;
  routes: (Route | FileRoute)[];
  views: ReturnType<typeof createViews>;
  /** The feeds' item HTML, filled here for each feed's posts before the feed is made. */
  itemsHtml: Map<RenderedPost, string>;
  feed: FeedOptions;
  data: Readonly<Record<string, unknown>>;
  /** Each unrendered post of the site → the loaded post it stands for (with its body); updated by `replaceBodies`. */
  sources: Map<RenderedPost, Post>;
  markdown: RenderMarkdownOptions;
  /** The markdown options' links between posts (by loaded post), updated by `replaceBodies`. */
  postLinks: Map<Post, Record<string, string>>;
  /** The routes' per-post keys and summaries, forgotten for a post whose body is replaced. */
  keys: PostKeys;
}

/** The output files of a site, each made when asked for: what the dev server serves (see lazy-site.ts). */
export interface PageRenderer {
  /** Whether the build writes this output path. */
  has(file: string): boolean;
  /** The file's bytes (rendered now if not yet); rejects with a {@link PageError} when a post or template on it fails. */
  get(file: string): Promise<Uint8Array>;
  /** The number of output files. */
  readonly size: number;
  /** The files made last, by output path (the most recent {@link madeLimit}). */
  readonly made: ReadonlyMap<string, Uint8Array>;
  /** Every output path, in route order. */
  files(): string[];
  /**
   * Gives posts new bodies (their front matter unchanged, so the site model is too): they render again when a page
   * shows them, and every page made so far is dropped; every other post's rendering is kept.
   */
  replaceBodies(replaced: ReadonlyMap<RenderedPost, Post>): void;
}

/**
 * How many made files a renderer keeps: a browser asks for a page and its assets again on each reload, while the
 * site may have thousands of pages, which need not stay in memory once sent.
 */
export const madeLimit = 200;

/** A page that cannot be made: a post it shows or its template failed. */
export class PageError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'PageError';
  }
}

/**
 * Renders single output files of a site whose posts are unrendered: finds the file's route, renders the markdown of
 * the posts it shows (its own post, the listed posts, the feed's items) in this thread, then the route as `build`
 * does. Each post renders once; each file is made once.
 */
export function createPageRenderer(options: PageRendererOptions): PageRenderer {
  const { site, config, routes } = options;
  const byFile = new Map(routes.map((route) => [fileOf(route), route]));
  // Made when a post's page is first asked for: 10,000 URL paths are not needed for the home page.
  let postsByPath: Map<string, RenderedPost> | undefined;
  const feeds = feedFiles(site, options.feed);
  const rendering = new Map<RenderedPost, Promise<Diagnostic[]>>();
  // Pages made before bodies were replaced are not kept, even if they were being made meanwhile.
  let generation = 0;
  const made = new Map<string, Uint8Array>();
  const encoder = new TextEncoder();

  const renderPosts = async (posts: readonly RenderedPost[]): Promise<Diagnostic[]> => {
    const fresh = posts.filter((post) => !rendering.has(post));
    if (fresh.length > 0) {
      const done = renderInto(fresh, options);
      for (const post of fresh) rendering.set(post, done.then((failed) => failed.filter((d) => d.loc?.file === post.sourcePath)));
    }
    return (await Promise.all(posts.map((post) => rendering.get(post)!))).flat();
  };

  const postsOf = (file: string, route: Route | FileRoute): RenderedPost[] => {
    if (route.kind === 'post') {
      // Related posts are listed by their summaries' dates: the summaries are made once, so with their posts rendered.
      postsByPath ??= new Map(site.posts.map((post) => [postPath(post, config), post]));
      const post = postsByPath.get((route as Route).path)!;
      return [post, ...(site.related.get(post) ?? [])];
    }
    if (route.kind === 'home' || route.kind === 'tag' || route.kind === 'author') {
      const listed = [...((route as Route).deps.memoryKey?.().deps ?? [])] as RenderedPost[];
      return listed.filter((post) => !summariseUnrendered(post, options));
    }
    return feeds.get(file) ?? [];
  };

  const make = async (file: string): Promise<Uint8Array> => {
    const route = byFile.get(file)!;
    const posts = postsOf(file, route);
    const failed = await renderPosts(posts);
    if (failed.length > 0) throw new PageError(failed);
    if (route.kind === 'feed') await feedHtml(posts, options);
    if ('source' in route && route.source !== undefined) return fs.readFile(route.source);
    const { files, diagnostics } = renderRoutes([route], options.theme, { isKeyable: false, siteJson: '' });
    if (hasErrors(diagnostics) || files.length === 0) throw new PageError(diagnostics);
    const contents = files[0].contents!;
    return typeof contents === 'string' ? encoder.encode(contents) : contents;
  };

  return {
    has: (file) => byFile.has(file),
    async get(file) {
      const known = made.get(file);
      if (known) return known;
      const at = generation;
      const bytes = await make(file);
      if (at !== generation) return bytes;
      made.set(file, bytes);
      if (made.size > madeLimit) made.delete(made.keys().next().value!);
      return bytes;
    },
    files: () => [...byFile.keys()],
    replaceBodies(replaced) {
      generation++;
      made.clear();
      for (const [shell, post] of replaced) {
        const before = options.sources.get(shell)!;
        options.sources.set(shell, post);
        const urls = options.postLinks.get(before);
        options.postLinks.delete(before);
        if (urls) options.postLinks.set(post, urls);
        rendering.delete(shell);
        options.itemsHtml.delete(shell);
        options.views.forget(shell);
        options.keys.forget(shell);
      }
    },
    get size() {
      return byFile.size;
    },
    made,
  };
}

/** A route's output path, as the writer names it. */
function fileOf(route: Route | FileRoute): string {
  return 'template' in route && route.path !== '404.html' ? outputPath(route.path) : route.path;
}

/** Each feed file → the posts it lists (the site's newest, or a tag's). */
function feedFiles(site: Site, feed: FeedOptions): Map<string, RenderedPost[]> {
  const files = new Map<string, RenderedPost[]>();
  const newest = feedPosts(site.posts, feed);
  for (const file of ['rss.xml', 'atom.xml', 'feed.json']) files.set(file, newest);
  for (const tag of site.tags) {
    const folder = decodeURIComponent(tagScope(tag, feed).pagePath);
    const items = feedPosts(tag.posts, feed);
    files.set(`${folder}rss.xml`, items);
    files.set(`${folder}atom.xml`, items);
  }
  return files;
}

/**
 * Renders the posts' markdown and fills their unrendered fields in place (HTML, excerpt, headings, read time, cover
 * size), as the build's rendered posts have them. Resolves with the errors of the posts that failed.
 */
async function renderInto(posts: readonly RenderedPost[], options: PageRendererOptions): Promise<Diagnostic[]> {
  const sources = posts.map((post) => options.sources.get(post)!);
  const result = await renderMarkdown(sources, options.markdown);
  const bySource = new Map(result.posts.map((rendered) => [rendered.sourcePath, rendered]));
  for (const [i, post] of posts.entries()) {
    const rendered = bySource.get(post.sourcePath);
    // A body replaced while it rendered: the render of the new one fills the post.
    if (!rendered || options.sources.get(post) !== sources[i]) continue;
    // A post rendered again (its body changed) may lose what the last rendering had.
    delete post.excerptHtml;
    delete post.headings;
    copyLazyText(post, rendered, 'html');
    post.excerpt = rendered.excerpt;
    if (rendered.excerptHtml !== undefined) post.excerptHtml = rendered.excerptHtml;
    if (rendered.headings !== undefined) post.headings = rendered.headings;
    post.wordCount = rendered.wordCount;
    post.readTime = rendered.readTime;
    readCoverImages([post], options.config);
  }
  return result.diagnostics.filter((d) => d.severity === 'error');
}

/**
 * A list page shows each post as a summary made from its view (context.ts): title, dates, authors, tags, cover image,
 * front matter, the read time, the description (else the plain-text excerpt) and the part before `<!-- more -->`. When
 * the front matter gives the read time and the description and the body has no `<!--` (so no marker), no part of the
 * summary comes from the markdown: the post's shell gets those fields (and its cover's size) and is not rendered
 * (false: it must be). At 10,000 posts a first start renders the home page's ten posts on a cold JIT (~150 ms) where
 * most summaries need none. Its own page and the feeds render it as before; a post whose markdown fails is reported
 * there and by the background check, while the lists show its summary.
 */
function summariseUnrendered(post: RenderedPost, options: PageRendererOptions): boolean {
  const loaded = options.sources.get(post);
  if (!loaded || loaded.readTimeMinutes === undefined || post.description === undefined) return false;
  let body;
  try {
    body = lazyTextOf(loaded, 'body');
  } catch {
    // A body read from its source that changed since (see post-index.ts): rendering it reports that.
    return false;
  }
  if (typeof body === 'string' ? body.includes('<!--') : Buffer.from(body.buffer, body.byteOffset, body.byteLength).includes('<!--')) return false;
  // What the last rendering of an earlier body left (replaceBodies keeps the shell).
  delete post.excerptHtml;
  post.readTime = loaded.readTimeMinutes;
  readCoverImages([post], options.config);
  return true;
}

/** The feed items' absolute HTML of `posts`, as renderFeedItemsHtml makes it, for those not made yet. */
async function feedHtml(posts: readonly RenderedPost[], options: PageRendererOptions): Promise<void> {
  const missing = posts.filter((post) => !options.itemsHtml.has(post));
  if (missing.length === 0) return;
  const { feedItemHtml } = await import('../site/absolute-urls.js');
  for (const post of missing) options.itemsHtml.set(post, await feedItemHtml(post.html, feedItemBase(options.feed, post)));
}
