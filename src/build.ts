import fs from 'node:fs';
import path from 'node:path';
import { resetForConfig } from './build-state.js';
import { finish, generator, startRun, time, type Loaded, type Rendered, type Run, type Sources } from './build-run.js';
import { earlyPages, makeFiles } from './build-files.js';
import { checkUnchanged } from './build-unchanged.js';
import type { BuildOptions, BuildResult } from './build-types.js';
import { writeFiles } from './build-write.js';
import { loadConfig } from './config/load.js';
import type { ResolvedConfig } from './config/schema.js';
import { discoverSources } from './content/discover.js';
import { loadData } from './content/load-data.js';
import { discoverPages } from './content/load-pages.js';
import { loadPosts } from './content/load-posts.js';
import { resolvePostLinks } from './content/post-links.js';
import { hasErrors, type Diagnostic } from './diagnostics/error.js';
import { markdownCacheSalt } from './cache/cache-salt.js';
import { bodyDigests } from './cache/body-digest.js';
import { postCache as openPostCache } from './cache/post-cache.js';
import { markdownCache, outputManifestPath, resolveCacheDir } from './cache/markdown-cache.js';
import { outputManifest } from './cache/output-manifest.js';
import { fileNodeIn, type FileTree } from './incremental/file-tree.js';
import { layeredStore } from './incremental/store.js';
import { storedConfigs, storedPages, storedTemplates } from './incremental/stored.js';
import type { MarkdownPool } from './markdown/pool.js';
import type { MarkdownOptions } from './markdown/processor.js';
import { defaultWorkers, poolThreshold, renderMarkdown } from './markdown/render-markdown.js';
import { checkFolders } from './output/check-folders.js';
import { recoverOutput } from './output/commit.js';
import { registerHelpers } from './render/helpers.js';
import { loadTemplates, type TemplateExtensions, type Theme } from './render/templates.js';
import { checkDuplicateSlugs, comparePosts, selectPublished } from './site/build-site.js';
import { allFeedPosts, feedItemBase } from './site/feed.js';

export type { BuildOptions, BuildResult, BuildStats } from './build-types.js';

/** Builds the blog: markdown posts in, a complete static site out. Never throws for bad input. */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const run = startRun(options);
  try {
    const result = await buildIn(run);
    if (!run.disk?.damaged.size) return result;
  } catch (cause) {
    if (!run.disk?.damaged.size) throw cause;
  }
  // A cache file whose text was found damaged when the build read it, after its value was taken for good (see
  // deferBlobs in disk-store.ts): whatever that build made is dropped (a failed build writes nothing), and the build
  // is made again without the file, checking every blob as it reads the cache (a damaged one is then a miss).
  for (const file of run.disk.damaged) fs.rmSync(file, { force: true });
  return buildIn(startRun(options, { deferBlobs: false }));
}

async function buildIn(run: Run): Promise<BuildResult> {
  const { options } = run;
  const config = await configure(run);
  if (!config) return finish(run, { ok: false, files: [] });
  // Nothing changed since the last build: its result, replayed (see build-unchanged.ts).
  const unchanged = options.unchanged ?? (run.diagnostics.length === 0 ? checkUnchanged(options, config, run.started) : {});
  if (unchanged.result) return unchanged.result;
  const sources = await discover(run, config, unchanged.inputs);
  if (!sources) return finish(run, { ok: false, config, files: [] });
  // New and changed sources will most likely need rendering: when there are enough of them for workers, the workers
  // start now and load the parser while this thread reads front matter and templates.
  const earlyWorkers = Math.min(options.workers ?? defaultWorkers(sources.fresh, poolThreshold), sources.fresh);
  const pool = earlyWorkers > 0 && sources.fresh > 1 ? (await import('./markdown/pool.js')).startPool({ size: earlyWorkers, markdown: sources.markdownOptions, markdownLimits: config.markdown.limits }) : undefined;
  try {
    const loaded = loadAndSelect(run, config, sources);
    // With workers, post pages render on this thread as their bodies arrive (see early-post-pages.ts).
    const early = pool && !run.state && options.earlyPages !== false ? earlyPages(run, config, sources, loaded) : undefined;
    const rendered = await renderBodies(run, config, sources, loaded, pool, early);
    // Idle workers would hold their heaps while pages are written.
    await pool?.close();
    if (!rendered) return finish(run, { ok: false, config, files: [] });
    const output = await makeFiles(run, config, sources, loaded, rendered, early?.made());
    if (hasErrors(run.diagnostics)) return finish(run, { ok: false, config, site: output.site, files: [] });
    return await writeFiles(run, config, output, unchanged.record);
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
  const manifestPath = options.cache === false ? undefined : outputManifestPath(resolveCacheDir(config.root, options.cacheDir), config.outDir);
  diagnostics.push(...(await checkFolders(config, { ...options, manifest: manifestPath === undefined ? undefined : outputManifest(manifestPath) })));
  return config;
}

/** Finds and reads the sources; undefined when the folder checks failed. */
async function discover(run: Run, config: ResolvedConfig, /** The early exit's check's stats (see UnchangedCheck). */ inputs?: FileTree): Promise<Sources | undefined> {
  const { options, state } = run;
  if (hasErrors(run.diagnostics)) return undefined;
  const cacheDir = options.cache === false ? undefined : resolveCacheDir(config.root, options.cacheDir);
  // Builds with a state keep source texts and posts in it; others keep posts in the persistent post cache.
  const digests = state?.bodyDigests ?? bodyDigests();
  const postCache = options.loadedPosts?.(digests) ?? (run.disk === undefined || state ? undefined : openPostCache(run.disk, digests, { timezone: config.timezone, author: config.author }));
  // The early exit's check stat'ed every post before the build read anything: those stats serve (see readSource).
  const postsDir = path.resolve(config.postsDir);
  const statOf = inputs && ((file: string) => {
    const node = fileNodeIn(inputs, postsDir, file);
    return node && { size: node[0], mtimeMs: node[1], ctimeMs: node[2], ino: node[3] };
  });
  const { sources, diagnostics: sourceDiagnostics, fresh } = await discoverSources(config.postsDir, state?.sources, postCache, config.root, statOf);
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

async function renderBodies(run: Run, config: ResolvedConfig, from: Sources, { published, postLinks }: Loaded, pool: MarkdownPool | undefined, early?: ReturnType<typeof earlyPages>): Promise<Rendered | undefined> {
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
  const salt = markdownCacheSalt(from.markdownOptions, config.markdown.limits);
  const cache = disk === undefined ? undefined : markdownCache(disk, { salt, digests: from.digests });
  // The dev server keeps pages' bodies in its memory store (over the disk's): a namespace, not a map of the state.
  const pageCache = state && run.store ? markdownCache(run.store, { salt, digests: from.digests }) : cache;
  const feedOptions = { ...config, items: config.feed.items, generator };
  const markdown = await renderMarkdown(published, { markdown: from.markdownOptions, limits: config.markdown.limits, readingSpeed: config.readingSpeed, cache, images: { publicDir: config.publicDir, permalinks: config.permalinks },
    workers: options.workers, onProgress: options.onProgress, memo: state?.markdown, tooComplexMemo: state?.markdownTooComplex, renderedMemo: state?.renderedPosts, postLinks,
    pool, signal: stopRendering.signal, shells: early?.shells, onRendered: early?.onRendered, order: early && comparePosts,
    // The workers also make the feed items' absolute HTML of the newest posts, site-wide and per tag (the feeds'
    // order is the site's).
    feedItems: () => new Map(allFeedPosts([...published].sort(comparePosts), feedOptions).map((post) => [post, feedItemBase(config, post)])),
    // Saving the post cache (~70 ms for 1,000 new posts) and loading the templates overlap the workers' rendering.
    whileRendering: async () => {
      if (from.postCache) disk?.commit('posts');
      await loadTheme();
      if (early && theme && !stopRendering.signal.aborted) await early.start({ theme, pageCache });
    } });
  diagnostics.push(...templateDiagnostics);
  if (hasErrors(templateDiagnostics) || !theme) return undefined;
  diagnostics.push(...markdown.diagnostics);
  Object.assign(run.stats, { markdownRendered: markdown.stats.rendered, markdownCached: markdown.stats.fromCache, markdownInWorkers: markdown.stats.renderedInWorkers });
  time(run, 'markdown');
  return { theme, markdown, cache, pageCache };
}

/** The config's theme folder and partials, for loadTemplates. */
export function templateExtensions(config: ResolvedConfig): TemplateExtensions {
  const hasPartials = config.configFile !== undefined && Object.keys(config.partials).length > 0;
  return {
    themeDir: config.themeDir && path.join(config.themeDir, 'templates'),
    partials: hasPartials ? { file: config.configFile!, sources: config.partials } : undefined,
  };
}
