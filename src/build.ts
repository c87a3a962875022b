import { createHash } from 'node:crypto';
import path from 'node:path';
import { resetForConfig, saveCacheLater } from './build-state.js';
import { finish, startRun, time, type Run } from './build-run.js';
import type { BuildOptions, BuildResult } from './build-types.js';
import { checkOutputPaths, writeFiles, type Output } from './build-write.js';
import { loadConfig } from './config/load.js';
import type { ResolvedConfig } from './config/schema.js';
import { discoverSources, type SourceFile } from './content/discover.js';
import { loadData } from './content/load-data.js';
import { discoverPages } from './content/load-pages.js';
import { loadPosts } from './content/load-posts.js';
import { resolvePostLinks } from './content/post-links.js';
import { hasErrors, warning, type Diagnostic } from './diagnostics/error.js';
import { markdownCacheSalt, renderCacheSalt } from './cache/cache-salt.js';
import { bodyDigests, type BodyDigests } from './cache/body-digest.js';
import { postCache as openPostCache, type PostCache } from './cache/post-cache.js';
import { markdownCache, outputManifestPath, resolveCacheDir, type MarkdownCache } from './cache/markdown-cache.js';
import { layeredStore } from './incremental/store.js';
import { feedHtmlMemo, storedConfigs, storedPages, storedTemplates } from './incremental/stored.js';
import type { MarkdownPool } from './markdown/pool.js';
import type { MarkdownOptions } from './markdown/processor.js';
import { renderPageMarkdown } from './markdown/render-page-markdown.js';
import { defaultWorkers, poolThreshold, renderMarkdown } from './markdown/render-markdown.js';
import { collectStaticFiles } from './output/static-files.js';
import { checkFolders } from './output/check-folders.js';
import { recoverOutput } from './output/commit.js';
import { readOutputManifest } from './output/manifest.js';
import { registerHelpers } from './render/helpers.js';
import { renderPages, siteFingerprint } from './render/render-pages.js';
import { checkRouteCollisions } from './render/route-collisions.js';
import { fileRoutes } from './render/routes.js';
import { loadTemplates, type TemplateExtensions, type Theme } from './render/templates.js';
import { buildSite, checkDuplicateSlugs, comparePosts, selectPublished } from './site/build-site.js';
import { allFeedPosts, feedItemBase, renderFeedItemsHtml } from './site/feed.js';
import type { RenderedPost, Site } from './site/model.js';
import { comparePages, siteNav } from './site/nav.js';
import { readCoverImages } from './markdown/post-images.js';
import { version } from './version.js';

export type { BuildOptions, BuildResult, BuildStats } from './build-types.js';

const generator = `blogbuild ${version}`;

/** Builds the blog: markdown posts in, a complete static site out. Never throws for bad input. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const run = startRun(options);
  const config = await configure(run);
  if (!config) return finish(run, { ok: false, files: [] });
  const sources = await discover(run, config);
  if (!sources) return finish(run, { ok: false, config, files: [] });
  // New and changed sources will most likely need rendering: when there are enough of them for workers, the workers
  // start now and load the parser while this thread reads front matter and templates.
  const earlyWorkers = Math.min(options.workers ?? defaultWorkers(sources.fresh, poolThreshold), sources.fresh);
  const pool = earlyWorkers > 0 && sources.fresh > 1 ? (await import('./markdown/pool.js')).startPool({ size: earlyWorkers, markdown: sources.markdownOptions, markdownLimits: config.markdown.limits }) : undefined;
  try {
    const loaded = loadAndSelect(run, config, sources);
    const rendered = await renderBodies(run, config, sources, loaded, pool);
    // Idle workers would hold their heaps while pages are written.
    await pool?.close();
    if (!rendered) return finish(run, { ok: false, config, files: [] });
    const output = await makeFiles(run, config, sources, loaded, rendered);
    if (hasErrors(run.diagnostics)) return finish(run, { ok: false, config, site: output.site, files: [] });
    return await writeFiles(run, config, output);
  } finally {
    await pool?.close();
  }
}

/** Loads the config (undefined when it failed) and checks the folders (errors in the run's diagnostics). */
async function configure(run: Run): Promise<ResolvedConfig | undefined> {
  const { options, diagnostics, disk, state } = run;
  // The cache folder does not depend on the config, so the config's validation can be remembered there too.
  const { config, diagnostics: configDiagnostics } = await loadConfig(run.root, options, disk && !state ? storedConfigs(disk) : undefined);
  diagnostics.push(...configDiagnostics);
  time(run, 'config');
  if (!config) return undefined;
  if (state) resetForConfig(state, config);
  run.store = state ? (disk ? layeredStore(state.store, disk) : state.store) : disk;
  // Before anything else: a build killed while it replaced the output is finished (see output/commit.ts).
  recoverOutput(config.outDir);
  const outputManifest = options.cache === false ? undefined : outputManifestPath(resolveCacheDir(config.root, options.cacheDir), config.outDir);
  diagnostics.push(...(await checkFolders(config, { ...options, manifestFile: outputManifest })));
  return config;
}

/** The sources found, with the caches that know them. */
interface Sources {
  sources: SourceFile[];
  /** Sources neither the dev server's memory nor the post cache knew: new or changed files. */
  fresh: number;
  cacheDir: string | undefined;
  digests: BodyDigests;
  postCache: PostCache | undefined;
  pageSources: Awaited<ReturnType<typeof discoverPages>>;
  data: Awaited<ReturnType<typeof loadData>>;
  markdownOptions: Required<MarkdownOptions>;
}

/** Finds and reads the sources; undefined when the folder checks failed. */
async function discover(run: Run, config: ResolvedConfig): Promise<Sources | undefined> {
  const { options, state } = run;
  if (hasErrors(run.diagnostics)) return undefined;
  const cacheDir = options.cache === false ? undefined : resolveCacheDir(config.root, options.cacheDir);
  // Builds with a state keep source texts and posts in it; others keep posts in the persistent post cache.
  const digests = state?.bodyDigests ?? bodyDigests();
  const postCache = run.disk === undefined || state ? undefined : openPostCache(run.disk, digests);
  const { sources, diagnostics: sourceDiagnostics, fresh } = await discoverSources(config.postsDir, state?.sources, postCache, config.root);
  run.diagnostics.push(...sourceDiagnostics);
  const pageSources = await discoverPages(config, run.store && storedPages(run.store));
  run.diagnostics.push(...pageSources.diagnostics);
  const data = await loadData(config.dataDir);
  run.diagnostics.push(...data.diagnostics);
  time(run, 'sources');
  return { sources, fresh, cacheDir, digests, postCache, pageSources, data, markdownOptions: markdownOptionsOf(config) };
}

/** The markdown processor's description: workers build the same processor from it, the config's plugins included. */
export function markdownOptionsOf(config: ResolvedConfig): Required<MarkdownOptions> {
  return { rawHtml: config.markdown.rawHtml, tagfilter: config.markdown.tagfilter, highlight: config.markdown.highlight, basePath: config.basePath,
    remarkPlugins: [...config.markdown.remarkPlugins], rehypePlugins: [...config.markdown.rehypePlugins] };
}

/** The posts loaded, which of them this build publishes, and the URLs of the posts and pages each links to by file. */
type Loaded = ReturnType<typeof selectPublished> & { postLinks: ReturnType<typeof resolvePostLinks>['links'] };

function loadAndSelect(run: Run, config: ResolvedConfig, { sources, postCache, pageSources }: Sources): Loaded {
  const { posts, diagnostics: postDiagnostics } = loadPosts(sources, { timezone: config.timezone, author: config.author }, run.state?.posts, postCache);
  run.diagnostics.push(...postDiagnostics);
  run.diagnostics.push(...checkDuplicateSlugs(posts, config.root));
  time(run, 'frontMatter');
  const selected = selectPublished(posts, { drafts: config.drafts, future: config.future, now: run.options.now ?? new Date() });
  const postLinks = resolvePostLinks(posts, new Set(selected.published), config, pageSources);
  run.diagnostics.push(...postLinks.diagnostics);
  return { ...selected, postLinks: postLinks.links };
}

/** The theme and the rendered bodies; undefined when the posts or the templates have errors. */
interface Rendered {
  theme: Theme;
  markdown: Awaited<ReturnType<typeof renderMarkdown>>;
  cache: MarkdownCache | undefined;
}

async function renderBodies(run: Run, config: ResolvedConfig, from: Sources, { published, postLinks }: Loaded, pool: MarkdownPool | undefined): Promise<Rendered | undefined> {
  const { options, state, disk, diagnostics } = run;
  // The templates load while the workers render (before rendering, without workers); broken ones stop the rendering.
  const verifiedTemplates = disk === undefined || state ? undefined : storedTemplates(disk);
  let theme: Theme | undefined;
  const templateDiagnostics: Diagnostic[] = [];
  const stopRendering = new AbortController();
  const loadTheme = async () => {
    const loaded = await loadTemplates(config.templatesDir, (hb) => registerHelpers(hb, config), state?.templates, verifiedTemplates, templateExtensions(config));
    theme = loaded.theme;
    templateDiagnostics.push(...loaded.diagnostics);
    if (hasErrors(loaded.diagnostics) || !theme) stopRendering.abort();
  };
  if (hasErrors(diagnostics)) {
    await loadTheme();
    diagnostics.push(...templateDiagnostics);
    if (from.postCache) disk?.commit('posts');
    return undefined;
  }

  await state?.pendingSave;
  const cache = disk === undefined ? undefined : markdownCache(disk, { salt: markdownCacheSalt(from.markdownOptions, config.markdown.limits), digests: from.digests });
  const feedOptions = { ...config, items: config.feed.items, generator };
  const markdown = await renderMarkdown(published, { markdown: from.markdownOptions, limits: config.markdown.limits, readingSpeed: config.readingSpeed, cache, images: { publicDir: config.publicDir, permalinks: config.permalinks },
    workers: options.workers, onProgress: options.onProgress, memo: state?.markdown, tooComplexMemo: state?.markdownTooComplex, renderedMemo: state?.renderedPosts, postLinks,
    pool, signal: stopRendering.signal,
    // The workers also make the feed items' absolute HTML of the newest posts, site-wide and per tag (the feeds'
    // order is the site's).
    feedItems: () => new Map(allFeedPosts([...published].sort(comparePosts), feedOptions).map((post) => [post, feedItemBase(config, post)])),
    // Saving the post cache (~70 ms for 1,000 new posts) and loading the templates overlap the workers' rendering.
    whileRendering: async () => {
      if (from.postCache) disk?.commit('posts');
      await loadTheme();
    } });
  diagnostics.push(...templateDiagnostics);
  if (hasErrors(templateDiagnostics) || !theme) return undefined;
  diagnostics.push(...markdown.diagnostics);
  Object.assign(run.stats, { markdownRendered: markdown.stats.rendered, markdownCached: markdown.stats.fromCache, markdownInWorkers: markdown.stats.renderedInWorkers });
  time(run, 'markdown');
  return { theme, markdown, cache };
}

async function makeFiles(run: Run, config: ResolvedConfig, from: Sources, { published, drafts, scheduled }: Loaded, { theme, markdown, cache }: Rendered): Promise<Output> {
  const { options, state, disk, diagnostics } = run;
  diagnostics.push(...readCoverImages(markdown.posts, config));
  // Pages (a handful) render in this thread, through the same processor and cache as posts.
  const renderedPages = await renderPageMarkdown(from.pageSources.pages, { markdown: from.markdownOptions, limits: config.markdown.limits, cache, memo: state?.pageMarkdown });
  diagnostics.push(...renderedPages.diagnostics);
  const nav = siteNav(renderedPages.pages, config.nav, config.configFile, from.pageSources.drafts);
  diagnostics.push(...nav.diagnostics);
  const site = buildSite(markdown.posts, { drafts, scheduled }, { language: config.language, authors: config.authors, related: config.related, pages: renderedPages.pages.sort(comparePages), nav: nav.nav });
  const store = run.store;
  const feedOptions = { ...config, items: config.feed.items, generator };
  const feedHtml = await renderFeedItemsHtml(site, feedOptions, store && feedHtmlMemo(store, markdown.htmlKeys), markdown.feedHtml);
  if (state) saveCacheLater(state, disk ? { save: async () => disk.commit() } : undefined);
  else disk?.commit('markdown');
  time(run, 'site');

  // Pages rendered from the same inputs into the output last time are rendered only if their file must be written.
  const manifestFile = from.cacheDir === undefined || options.writer ? undefined : outputManifestPath(from.cacheDir, config.outDir);
  const previousOutput = manifestFile === undefined ? undefined : readOutputManifest(manifestFile, config.outDir);
  // Builds with a state (the dev server rebuilding on every save) reuse the pages of the last build.
  // Without a state, pages are rendered by the writer one at a time (`defer`), so they are not all in memory at once.
  const renderSalt = manifestFile === undefined && !state ? undefined : renderCacheSalt(theme, config, from.data.files);
  // Every page's inputs in one hash: when the previous output was rendered under the same, pages keep their keys
  // and none is computed (most of a no-change rebuild's page work).
  const siteKey = manifestFile === undefined || state || renderSalt === undefined || markdown.posts.length !== published.length ? undefined
    : siteFingerprint(renderSalt, [...published.map((post, i) => ({ identity: from.postCache?.identity(post), htmlKey: coverKey(markdown.htmlKeys.get(markdown.posts[i]), markdown.posts[i]) })),
      // Pages are on no other page but the navigation (in the salt's config): all of them as one more input.
      { identity: pagesIdentity(site), htmlKey: '' }]);
  const isSiteUnchanged = siteKey !== undefined && previousOutput?.site === siteKey;
  // The feed, sitemap, robots.txt and copied files are routes too, after the pages.
  const otherFiles = [
    ...fileRoutes(site, config, { ...feedOptions, itemsHtml: feedHtml }, options.sitemapMaxUrls),
    ...(await collectStaticFiles({ publicDir: config.publicDir, themePublicDir: config.themeDir && path.join(config.themeDir, 'public'), themeAssets: theme.assets, posts: site.posts, permalinks: config.permalinks, root: config.root, diagnostics })),
  ];
  const pages = renderPages(site, config, theme, generator, renderSalt === undefined ? { defer: true, data: from.data.data } : {
    data: from.data.data,
    defer: !state,
    renderSalt,
    isRendered: manifestFile === undefined ? undefined : (file, key) => previousOutput?.files[file]?.[5] === key,
    previousKey: isSiteUnchanged ? (file) => previousOutput!.files[file]?.[5] ?? undefined : undefined,
    memo: state?.pages,
    htmlKeys: state?.htmlKeys ?? markdown.htmlKeys,
    // Feeds, sitemap and the rest depend on nothing the fingerprint does not hold (the tests' sitemap size aside).
    fileKey: siteKey === undefined ? undefined : `${siteKey}:${options.sitemapMaxUrls ?? ''}`,
  }, otherFiles);
  diagnostics.push(...pages.diagnostics);
  if (!config.url) {
    diagnostics.push(warning('FeedWithoutUrl', {}, config.configFile ? { file: config.configFile } : undefined));
  }
  time(run, 'routes');
  // A page or alias on a path something else is written to is reported at its source; other clashes by file.
  const collisions = checkRouteCollisions(pages.routes, config.root);
  diagnostics.push(...collisions.diagnostics, ...checkOutputPaths(pages.files, config, collisions.paths));
  return { site, pages, siteKey, manifestFile, drafts: drafts.length, scheduled: scheduled.length };
}

/** Everything the pages folder gives the site, as one hash. */
function pagesIdentity(site: Site): string {
  return createHash('sha1').update(JSON.stringify(site.pages)).digest('hex');
}

/** A post's HTML key with its cover's size, which its pages show and its identity does not hold. */
function coverKey(htmlKey: string | undefined, post: RenderedPost): string | undefined {
  return htmlKey === undefined || !post.imageSize ? htmlKey : `${htmlKey}:cover=${post.imageSize.width}x${post.imageSize.height}`;
}

/** The config's theme folder and partials, for loadTemplates. */
export function templateExtensions(config: ResolvedConfig): TemplateExtensions {
  const hasPartials = config.configFile !== undefined && Object.keys(config.partials).length > 0;
  return {
    themeDir: config.themeDir && path.join(config.themeDir, 'templates'),
    partials: hasPartials ? { file: config.configFile!, sources: config.partials } : undefined,
  };
}
