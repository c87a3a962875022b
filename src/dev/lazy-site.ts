import path from 'node:path';
import { markdownOptionsOf, templateExtensions, type BuildOptions } from '../build.js';
import { resetForConfig, type BuildState } from '../build-state.js';
import { markdownCacheSalt } from '../cache/cache-salt.js';
import { codeSalt } from '../cache/code-salt.js';
import { markdownCache, resolveCacheDir } from '../cache/markdown-cache.js';
import { postCache, type PostCache } from '../cache/post-cache.js';
import type { BodyDigests } from '../cache/body-digest.js';
import { diskStore } from '../incremental/disk-store.js';
import { storedConfigs, storedTemplates } from '../incremental/stored.js';
import { loadConfig } from '../config/load.js';
import type { ResolvedConfig } from '../config/schema.js';
import { formatDate } from '../content/dates.js';
import { discoverSources } from '../content/discover.js';
import { loadData } from '../content/load-data.js';
import { discoverPages } from '../content/load-pages.js';
import { loadPosts } from '../content/load-posts.js';
import { resolvePostLinks } from '../content/post-links.js';
import { hasErrors, type Diagnostic } from '../diagnostics/error.js';
import { renderPageMarkdown } from '../markdown/render-page-markdown.js';
import { recoverOutput } from '../output/commit.js';
import { collectStaticFiles } from '../output/static-files.js';
import { createViews } from '../render/context.js';
import { registerHelpers } from '../render/helpers.js';
import { fileRoutes, postKeys, siteRoutes } from '../render/routes.js';
import { loadTemplates, type Theme } from '../render/templates.js';
import { buildSite, checkDuplicateSlugs, selectPublished } from '../site/build-site.js';
import type { Post, RenderedPost, Site } from '../site/model.js';
import { comparePages, siteNav } from '../site/nav.js';
import { version } from '../version.js';
import { createPageRenderer, type PageRenderer } from './lazy-render.js';
import { postIndex } from './post-index.js';
import { servedPosts } from './served-posts.js';

/**
 * The site as the dev server serves it: loaded from config, front matter and templates, with no post's markdown
 * rendered. Each page renders when asked for, its posts' markdown first (see lazy-render.ts).
 */
export interface LazySite extends PageRenderer {
  config: ResolvedConfig;
  site: Site;
  /** The published post (unrendered until a page shows it) loaded from a source file, by its absolute path. */
  shellOf(sourcePath: string): RenderedPost | undefined;
  /** The loaded post a published post stands for (with its body). */
  postOf(shell: RenderedPost): Post;
  /** Writes the dev server's index of the posts' front matter when this load changed it (see post-index.ts). */
  saveIndex(): void;
  /** The posts this load read, for a build in place of the post cache (see served-posts.ts); none without a cache. */
  loadedPosts?: (digests: BodyDigests) => PostCache;
}

const generator = `blogbuild ${version}`;

/**
 * Loads what every page needs but the posts' bodies, through the same stages as `build`. Undefined (with the
 * diagnostics) when something is wrong before markdown: the background build reports it as usual. Warnings that
 * scan whole bodies (unprintable characters) are left to the background build, which reports them; with the
 * persistent cache, posts whose source stat it knows are taken from it (no file read, no front matter parsed).
 */
export async function loadLazySite(options: Omit<BuildOptions, 'writer' | 'state'> & { root: string }, state: BuildState): Promise<{ lazy?: LazySite; diagnostics: Diagnostic[] }> {
  // Read only: the background build saves the caches with what it loaded and rendered.
  const cacheDir = resolveCacheDir(path.resolve(options.root), options.cacheDir);
  // The markdown cache is read in part: a page needs a few posts' HTML of it (10 of 10,000 for the home page). The code's
  // salt is remembered in the cache folder by the code files' stats, as builds do (not read and hashed: ~25 ms).
  const salt = codeSalt(cacheDir);
  const store = options.cache === false ? undefined : diskStore(cacheDir, salt, state.storeFiles, new Set(['markdown']));
  // A config that builds validated is not validated again (the validator, zod, is not even loaded: ~25 ms).
  const { config, diagnostics } = await loadConfig(options.root, options, store && storedConfigs(store));
  if (!config) return { diagnostics };
  resetForConfig(state, config);
  // As every build does first: an output folder a killed build left half replaced is finished (output/commit.ts).
  recoverOutput(config.outDir);
  const postOptions = { timezone: config.timezone, author: config.author, shouldScanBodies: false };
  // Posts loaded without the body scan are not kept (post-cache.ts), so this load only reads the post cache, and
  // only when the dev server's index of front matter is missing (post-index.ts): the index is written by the first
  // background check, in a store of its own (the build state's memory of store files would hold its text).
  const known = store && postIndex(diskStore(cacheDir, salt), state.bodyDigests, postOptions, postCache(store, state.bodyDigests, postOptions));
  // The pages, data and templates load while the sources are found (this thread waits there for the worker that
  // stats them, see discoverSources). With the cache, a theme compiled before is not compiled again: its templates'
  // code is revived as pages need it.
  const pagesLoad = discoverPages(config);
  const dataLoad = loadData(config.dataDir);
  const templatesLoad = loadTemplates(config.templatesDir, (hb) => registerHelpers(hb, config), state.templates, store && storedTemplates(store), templateExtensions(config));
  // Awaited below, in order: a failure of a later one must not go unhandled while an earlier one is awaited.
  for (const loading of [pagesLoad, dataLoad, templatesLoad]) loading.catch(() => undefined);
  // What the first page needs besides its posts, made while this thread would wait for the worker (or else before the
  // first page anyway): the theme's Handlebars environment (~30 ms to load) and the dates' formatter (ICU's data).
  const warm = (theme: Theme | undefined) => {
    try {
      void theme?.handlebars;
      formatDate({ instant: new Date(0), isDateOnly: true, iso: '1970-01-01' }, config.language, config.timezone);
    } catch {
      // Only a head start: the first page makes them again, and reports what fails.
    }
  };
  // A load that fails is reported where it is awaited, below.
  templatesLoad.then(({ theme }) => setImmediate(warm, theme), () => undefined);
  const { sources, diagnostics: sourceDiagnostics } = await discoverSources(config.postsDir, known ? undefined : state.sources, known, config.root);
  const pageSources = await pagesLoad;
  const data = await dataLoad;
  const { posts, diagnostics: postDiagnostics } = loadPosts(sources, postOptions, known ? undefined : state.posts, known);
  diagnostics.push(...sourceDiagnostics, ...pageSources.diagnostics, ...data.diagnostics, ...postDiagnostics, ...checkDuplicateSlugs(posts, config.root));
  const { published, drafts, scheduled } = selectPublished(posts, { drafts: config.drafts, future: config.future, now: options.now ?? new Date() });
  const postLinks = resolvePostLinks(posts, new Set(published), config, pageSources);
  diagnostics.push(...postLinks.diagnostics);
  const loaded = await templatesLoad;
  diagnostics.push(...loaded.diagnostics);
  if (hasErrors(diagnostics) || !loaded.theme) return { diagnostics };
  const theme: Theme = loaded.theme;

  const markdown = markdownOptionsOf(config);
  const cache = store && markdownCache(store, { salt: markdownCacheSalt(markdown, config.markdown.limits), digests: state.bodyDigests });
  const renderedPages = await renderPageMarkdown(pageSources.pages, { markdown, limits: config.markdown.limits, cache });
  const nav = siteNav(renderedPages.pages, config.nav, config.configFile, pageSources.drafts);
  diagnostics.push(...renderedPages.diagnostics, ...nav.diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };

  const shells = published.map(unrendered);
  const site = buildSite(shells, { drafts, scheduled }, { language: config.language, authors: config.authors, related: config.related, pages: renderedPages.pages.sort(comparePages), nav: nav.nav,
    isRelatedLazy: true });
  const staticFiles = await collectStaticFiles({ publicDir: config.publicDir, themePublicDir: config.themeDir && path.join(config.themeDir, 'public'), themeAssets: theme.assets, posts: site.posts, permalinks: config.permalinks, root: config.root });
  const bodies = new Map(published.map((post, i) => [shells[i], post]));
  const postLinkUrls = new Map(postLinks.links);
  const feed = { ...config, items: config.feed.items, generator };
  const itemsHtml = new Map<RenderedPost, string>();
  const views = createViews(site, config, generator, data.data);
  const keys = postKeys(views, undefined);
  const routes = [
    ...siteRoutes(site, config, views, undefined, keys),
    ...fileRoutes(site, config, { ...feed, itemsHtml }),
    ...staticFiles,
  ];
  const renderer = createPageRenderer({ site, config, theme, routes, views, keys, itemsHtml, feed, data: data.data, sources: bodies, postLinks: postLinkUrls,
    markdown: { markdown, limits: config.markdown.limits, readingSpeed: config.readingSpeed, cache, images: { publicDir: config.publicDir, permalinks: config.permalinks }, postLinks: postLinkUrls, workers: 0 } });
  const bySource = new Map(site.posts.map((post) => [post.sourcePath, post]));
  const lazy: LazySite = { ...renderer, config, site, shellOf: (sourcePath) => bySource.get(sourcePath), postOf: (shell) => bodies.get(shell)!,
    saveIndex: () => known?.save(), loadedPosts: known && servedPosts(known, state.bodyDigests, postOptions) };
  return { lazy, diagnostics };
}

/**
 * A published post before its markdown is rendered: what the site model needs (dates, tags, authors) is there; the
 * fields made from the body are filled in place when it renders (see lazy-render.ts), before any page shows them.
 */
function unrendered(post: Post): RenderedPost {
  const shell = { html: '', excerpt: '', wordCount: 0, readTime: 0 } as RenderedPost;
  for (const key in post) if (key !== 'body') (shell as unknown as Record<string, unknown>)[key] = (post as unknown as Record<string, unknown>)[key];
  return shell;
}
