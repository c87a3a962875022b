import { createHash } from 'node:crypto';
import path from 'node:path';
import { resetForConfig, saveCacheLater, type BuildState } from './build-state.js';
import { loadConfig, type ConfigOverrides } from './config/load.js';
import type { ResolvedConfig } from './config/schema.js';
import { discoverSources, type SourceFile } from './content/discover.js';
import { loadData } from './content/load-data.js';
import { discoverPages } from './content/load-pages.js';
import { loadPosts } from './content/load-posts.js';
import { resolvePostLinks } from './content/post-links.js';
import { error, hasErrors, warning, type Diagnostic } from './diagnostics/error.js';
import { markdownCacheSalt, renderCacheSalt } from './cache/cache-salt.js';
import { codeSalt } from './cache/code-salt.js';
import { bodyDigests, type BodyDigests } from './cache/body-digest.js';
import { postCache as openPostCache, type PostCache } from './cache/post-cache.js';
import { markdownCache, outputManifestPath, resolveCacheDir, type MarkdownCache } from './cache/markdown-cache.js';
import { diskStore } from './incremental/disk-store.js';
import { layeredStore, type Store } from './incremental/store.js';
import { feedHtmlMemo, storedConfigs, storedPages, storedTemplates } from './incremental/stored.js';
import type { MarkdownPool } from './markdown/pool.js';
import type { MarkdownOptions } from './markdown/processor.js';
import { renderPageMarkdown } from './markdown/render-page-markdown.js';
import { defaultWorkers, poolThreshold, renderMarkdown } from './markdown/render-markdown.js';
import { collectStaticFiles } from './output/static-files.js';
import { checkFolders } from './output/check-folders.js';
import { CommitError, recoverOutput } from './output/commit.js';
import { readOutputManifest } from './output/manifest.js';
import { fsWriter, type Writer } from './output/writer.js';
import { registerHelpers } from './render/helpers.js';
import { renderPages, siteFingerprint, type OutputFile } from './render/render-pages.js';
import { checkRouteCollisions } from './render/route-collisions.js';
import { listRoutes, type BuiltFile } from './render/route-list.js';
import { fileRoutes } from './render/routes.js';
import { loadTemplates, type TemplateExtensions, type Theme } from './render/templates.js';
import { buildSite, checkDuplicateSlugs, comparePosts, selectPublished } from './site/build-site.js';
import { allFeedPosts, feedItemBase, renderFeedItemsHtml } from './site/feed.js';
import type { RenderedPost, Site } from './site/model.js';
import { comparePages, siteNav } from './site/nav.js';
import { readCoverImages } from './markdown/post-images.js';
import { version } from './version.js';

/** Options for {@link build}: where the blog is, command-line overrides, and how to write. */
export interface BuildOptions extends ConfigOverrides {
  /** The blog's folder. @default process.cwd() */
  root?: string;
  /** The build time, deciding which posts are scheduled. @default new Date() */
  now?: Date;
  /** Where files go. @default fsWriter(config.outDir): atomic swap into the output folder */
  writer?: Writer;
  /**
   * Replace an output folder that blogbuild did not make (one that is not empty and has no `.blogbuild` marker),
   * deleting every file in it (`--force`). @default false
   */
  force?: boolean;
  /** Use the persistent markdown cache; false renders every post and leaves the cache alone (`--no-cache`). @default true */
  cache?: boolean;
  /** Folder of the persistent markdown cache. @default "<root>/node_modules/.cache/blogbuild" */
  cacheDir?: string;
  /** Worker threads rendering markdown while this thread coordinates; 0 renders in this thread. @default one a core, at most 8 and one per 32 posts, when 64+ posts need rendering and there are 2+ cores, else 0 */
  workers?: number;
  /** Called as posts are rendered, for progress display. */
  onProgress?: (done: number, total: number) => void;
  /**
   * @internal The dev server's memory of earlier builds in this process (`createBuildState()` in build-state.ts,
   * not part of the public API): unchanged sources are not read or parsed again, unchanged bodies and pages not
   * rendered. The output is the same as without it. @default undefined (nothing kept)
   */
  state?: BuildState;
  /** URLs per sitemap file before the sitemap becomes an index of parts. @internal for tests @default 50000 */
  sitemapMaxUrls?: number;
}

/** What a build did. */
export interface BuildResult {
  /** True when there were no errors and the output was written. */
  ok: boolean;
  /**
   * True when a failed write could not undo itself, so the output folder holds part of the new site (the next
   * blogbuild command finishes the write). When false or absent, a failed build changed nothing.
   */
  isOutputPartial?: boolean;
  config?: ResolvedConfig;
  site?: Site;
  /** Output paths, relative to the output folder. */
  files: string[];
  /** Every output file with its kind (post, page, tag, feed, alias…) and source, when the build succeeded. */
  routes?: BuiltFile[];
  diagnostics: Diagnostic[];
  stats: BuildStats;
}

/** Counts for the summary line. */
export interface BuildStats {
  posts: number;
  tags: number;
  tagPages: number;
  files: number;
  written: number;
  unchanged: number;
  drafts: number;
  scheduled: number;
  /** Posts whose markdown was rendered by this build. */
  markdownRendered: number;
  /** Posts whose rendered markdown came from the persistent cache. */
  markdownCached: number;
  /** Posts among `markdownRendered` that worker threads rendered. */
  markdownInWorkers: number;
  /** Standalone pages built from the pages folder. */
  pages: number;
  durationMs: number;
  /**
   * Milliseconds spent in each stage, in order: `config`, `sources` (finding and reading posts and pages),
   * `frontMatter`, `markdown` (posts; templates load meanwhile), `site` (pages' markdown, tags, feed items), `routes`
   * (every output file; pages rendered here or by the writer), `write`. A stage a failed build never reached is absent.
   */
  timings: Record<string, number>;
}

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

/** One build's bookkeeping: options, diagnostics and counts so far, and what earlier builds computed. */
interface Run {
  options: BuildOptions;
  started: number;
  /** When the last stage ended (see {@link time}). */
  lap: number;
  diagnostics: Diagnostic[];
  stats: BuildStats;
  root: string;
  state: BuildState | undefined;
  /** The cache folder's store (not for --no-cache). */
  disk: Store | undefined;
  /** The dev server's memory over the cache folder's store, once the config is known. */
  store?: Store;
}

/** Records how long the stage that ends now took. */
function time(run: Run, stage: string): void {
  const now = performance.now();
  run.stats.timings[stage] = now - run.lap;
  run.lap = now;
}

function startRun(options: BuildOptions): Run {
  const root = path.resolve(options.root ?? process.cwd());
  const started = performance.now();
  return {
    options,
    started,
    lap: started,
    diagnostics: [],
    stats: { posts: 0, tags: 0, tagPages: 0, files: 0, written: 0, unchanged: 0, drafts: 0, scheduled: 0, markdownRendered: 0, markdownCached: 0, markdownInWorkers: 0, pages: 0, durationMs: 0, timings: {} },
    root,
    state: options.state,
    // What earlier builds computed: the cache folder (not for --no-cache), under the dev server's memory.
    disk: options.cache === false ? undefined : diskStore(resolveCacheDir(root, options.cacheDir), codeSalt(), options.state?.storeFiles),
  };
}

function finish(run: Run, result: Omit<BuildResult, 'stats' | 'diagnostics'>): BuildResult {
  // With a state, the disk store is committed with the markdown cache, after a quiet second (saveCacheLater).
  if (!run.state) run.disk?.commit();
  run.stats.durationMs = performance.now() - run.started;
  return { ...result, diagnostics: run.diagnostics, stats: run.stats };
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
  // The markdown processor's description: workers build the same processor from it, the config's plugins included.
  const markdownOptions = { rawHtml: config.markdown.rawHtml, tagfilter: config.markdown.tagfilter, highlight: config.markdown.highlight, basePath: config.basePath,
    remarkPlugins: [...config.markdown.remarkPlugins], rehypePlugins: [...config.markdown.rehypePlugins] };
  return { sources, fresh, cacheDir, digests, postCache, pageSources, data, markdownOptions };
}

/** The posts loaded, which of them this build publishes, and the URLs of the posts each links to by file. */
type Loaded = ReturnType<typeof selectPublished> & { postLinks: ReturnType<typeof resolvePostLinks>['links'] };

function loadAndSelect(run: Run, config: ResolvedConfig, { sources, postCache }: Sources): Loaded {
  const { posts, diagnostics: postDiagnostics } = loadPosts(sources, { timezone: config.timezone, author: config.author }, run.state?.posts, postCache);
  run.diagnostics.push(...postDiagnostics);
  run.diagnostics.push(...checkDuplicateSlugs(posts, config.root));
  time(run, 'frontMatter');
  const selected = selectPublished(posts, { drafts: config.drafts, future: config.future, now: run.options.now ?? new Date() });
  const postLinks = resolvePostLinks(posts, new Set(selected.published), config);
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

/** The site model and every output file, pages rendered later (by the writer) when nothing keeps them. */
interface Output {
  site: Site;
  pages: ReturnType<typeof renderPages>;
  siteKey: string | undefined;
  manifestFile: string | undefined;
  drafts: number;
  scheduled: number;
}

async function makeFiles(run: Run, config: ResolvedConfig, from: Sources, { published, drafts, scheduled }: Loaded, { theme, markdown, cache }: Rendered): Promise<Output> {
  const { options, state, disk, diagnostics } = run;
  diagnostics.push(...readCoverImages(markdown.posts, config));
  // Pages (a handful) render in this thread, through the same processor and cache as posts.
  const renderedPages = await renderPageMarkdown(from.pageSources.pages, { markdown: from.markdownOptions, cache, memo: state?.pageMarkdown });
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

/** Writes the files (rendering deferred pages as it goes) and commits them, or leaves the output as it was. */
async function writeFiles(run: Run, config: ResolvedConfig, { site, pages, siteKey, manifestFile, drafts, scheduled }: Output): Promise<BuildResult> {
  const { options, diagnostics, stats } = run;
  const files = pages.files;
  // Deferred pages add their render errors to pages.diagnostics while the writer runs: counted from here.
  const renderedBefore = pages.diagnostics.length;
  const cacheDir = manifestFile && path.dirname(manifestFile);
  // The manifest of the last output lives with the cache, so --no-cache neither reads nor writes it.
  const writer = options.writer ?? fsWriter(config.outDir, { manifest: manifestFile, site: siteKey, onManifestError: (cause) => {
    diagnostics.push(warning('CacheUnwritable', { reason: (cause as Error).message, folder: path.relative(config.root, cacheDir!) || '.' }, { file: cacheDir! }, cause));
  } });
  try {
    const written = await writer.writeAll(files);
    const lateDiagnostics = pages.diagnostics.slice(renderedBefore);
    if (lateDiagnostics.length > 0) {
      diagnostics.push(...lateDiagnostics);
      if (hasErrors(lateDiagnostics)) {
        await writer.abort();
        return finish(run, { ok: false, config, site, files: [] });
      }
    }
    await writer.commit();
    time(run, 'write');
    Object.assign(stats, written);
  } catch (cause) {
    // Already failing: the write error is the one reported; an abort that fails too leaves the staging folder for the next build to clear.
    await writer.abort().catch(() => undefined);
    const isOutputPartial = cause instanceof CommitError && !cause.isRestored;
    // Paths in the reason are shown as the output paths they stand for (`dist/posts`, not the staging folder's
    // `/blog/.dist.blogbuild-tmp-…/posts`), from the blog's folder, as every other diagnostic shows them.
    const outName = path.basename(config.outDir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const reason = String((cause as Error)?.message ?? cause)
      .replace(new RegExp(`(?:[^\\s'"]*[\\\\/])?\\.${outName}\\.blogbuild-tmp-[\\w-]+`, 'g'), config.outDir)
      .replaceAll(config.root + path.sep, '');
    const errno = (cause as NodeJS.ErrnoException)?.code ?? ((cause as Error)?.cause as NodeJS.ErrnoException | undefined)?.code;
    diagnostics.push(error('OutputFailed', { reason, isPartial: isOutputPartial, errno }, { file: config.outDir }, cause));
    return finish(run, { ok: false, config, site, files: [], ...(isOutputPartial ? { isOutputPartial } : {}) });
  }
  Object.assign(stats, { posts: site.posts.length, tags: site.tags.length, tagPages: pages.routes.filter((route) => route.kind === 'tag').length, files: files.length, pages: site.pages.length, drafts, scheduled });
  return finish(run, { ok: true, config, site, files: files.map((file) => file.path), routes: listRoutes(pages.routes, config) });
}

/** Everything the pages folder gives the site, as one hash. */
function pagesIdentity(site: Site): string {
  return createHash('sha1').update(JSON.stringify(site.pages)).digest('hex');
}

/** A post's HTML key with its cover's size, which its pages show and its identity does not hold. */
function coverKey(htmlKey: string | undefined, post: RenderedPost): string | undefined {
  return htmlKey === undefined || !post.imageSize ? htmlKey : `${htmlKey}:cover=${post.imageSize.width}x${post.imageSize.height}`;
}

/** Two sources for one output path, or a path that leaves the output folder, are errors. */
function checkOutputPaths(files: OutputFile[], config: ResolvedConfig, /** Paths (case-folded) already reported at a page or alias. */ reported: ReadonlySet<string>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, OutputFile>();
  for (const file of files) {
    const resolved = path.resolve(config.outDir, file.path);
    if (!resolved.startsWith(config.outDir + path.sep)) {
      diagnostics.push(error('SlugUnsafe', { problem: 'output-outside', path: file.path, outDir: config.outDir }, file.source ? { file: file.source } : undefined));
      continue;
    }
    const key = file.path.normalize('NFC').toLowerCase();
    const other = seen.get(key);
    if (other && !reported.has(key)) {
      const shown = (f: OutputFile) => f.source && path.relative(config.root, f.source).split(path.sep).join('/');
      diagnostics.push(error('DuplicateOutputPath', { path: file.path, first: shown(other), second: shown(file) }, file.source ? { file: file.source } : undefined));
    } else if (!other) seen.set(key, file);
  }
  return diagnostics;
}

/** The config's theme folder and partials, for loadTemplates. */
function templateExtensions(config: ResolvedConfig): TemplateExtensions {
  const hasPartials = config.configFile !== undefined && Object.keys(config.partials).length > 0;
  return {
    themeDir: config.themeDir && path.join(config.themeDir, 'templates'),
    partials: hasPartials ? { file: config.configFile!, sources: config.partials } : undefined,
  };
}
