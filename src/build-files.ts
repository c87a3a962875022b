import { createHash } from 'node:crypto';
import path from 'node:path';
import { saveCacheLater } from './build-state.js';
import { generator, time, type Loaded, type Rendered, type Run, type Sources } from './build-run.js';
import { checkOutputPaths, type Output } from './build-write.js';
import { renderCacheSalt } from './cache/cache-salt.js';
import { outputManifestPath } from './cache/markdown-cache.js';
import type { ResolvedConfig } from './config/schema.js';
import { warning, type Diagnostic } from './diagnostics/error.js';
import { feedHtmlMemo, storedPageHashes, storedRouteKeys } from './incremental/stored.js';
import { readCoverImages } from './markdown/post-images.js';
import { renderPageMarkdown } from './markdown/render-page-markdown.js';
import { renderedShell } from './markdown/rendered-post.js';
import { earlyPostPages, type EarlyPostPages } from './render/early-post-pages.js';
import { collectStaticFiles } from './output/static-files.js';
import { siteFingerprint } from './render/page-keys.js';
import { renderPages } from './render/render-pages.js';
import { checkRouteCollisions } from './render/route-collisions.js';
import { routeKeys, structureFingerprint } from './render/route-keys.js';
import { fileRoutes } from './render/routes.js';
import { buildSite } from './site/build-site.js';
import { renderFeedItemsHtml } from './site/feed.js';
import type { RenderedPost, Site } from './site/model.js';
import { comparePages, siteNav } from './site/nav.js';

// The build's stages after the markdown (see build.ts): the pages' markdown, the site model and its feed HTML, then
// every output file as a route, with the keys that let pages rendered from the same inputs last time be skipped.

/** The site model and what deciding pages' keys takes: made before the markdown ends when post pages render early. */
export interface SiteInputs {
  site: Site;
  /** The pages' and navigation's diagnostics, reported when the files are made. */
  diagnostics: Diagnostic[];
  manifestFile: string | undefined;
  renderSalt: string | undefined;
}

/**
 * The pages' markdown, the navigation and the site model of `posts` (rendered, or shells the markdown stage fills:
 * see renderedShell), with the previous output's manifest and the render salt.
 */
export async function makeSite(run: Run, config: ResolvedConfig, from: Sources, { drafts, scheduled }: Loaded, posts: RenderedPost[], { theme, pageCache }: Pick<Rendered, 'theme' | 'pageCache'>): Promise<SiteInputs> {
  const { options, state } = run;
  // Pages (a handful) render in this thread, through the same processor and cache as posts.
  const renderedPages = await renderPageMarkdown(from.pageSources.pages, { markdown: from.markdownOptions, limits: config.markdown.limits, cache: pageCache });
  const nav = siteNav(renderedPages.pages, config.nav, config.configFile, from.pageSources.drafts);
  // Related posts worked out for each post page rendered, not for every post: a one-post edit renders a few pages
  // (~100 ms of comparing tags saved at 10,000 posts); a cold build still works out every post's, once.
  const site = buildSite(posts, { drafts, scheduled }, { language: config.language, authors: config.authors, related: config.related, pages: renderedPages.pages.sort(comparePages), nav: nav.nav, isRelatedLazy: true });
  // Pages rendered from the same inputs before are rendered only if their file must be written (the writer decides
  // that by their hash and its manifest of the output).
  const manifestFile = from.cacheDir === undefined || (options.writer && !options.writer.isKeyed) ? undefined : outputManifestPath(from.cacheDir, config.outDir);
  const renderSalt = manifestFile === undefined && !state ? undefined : renderCacheSalt(theme, config, from.data.files);
  return { site, diagnostics: [...renderedPages.diagnostics, ...nav.diagnostics], manifestFile, renderSalt };
}

/**
 * Post pages rendered while the workers render (see early-post-pages.ts), for a build without a state whose
 * markdown renders in a pool: the shells the markdown stage fills, what it calls as each post is rendered, and
 * what starts the pages once the theme is loaded (making the site model from the shells).
 */
export function earlyPages(run: Run, config: ResolvedConfig, from: Sources, loaded: Loaded) {
  const pages = earlyPostPages();
  const shells = new Map(loaded.published.map((post) => [post, renderedShell(post)]));
  let inputs: SiteInputs | undefined;
  return {
    shells,
    onRendered(post: RenderedPost, htmlKey: string | undefined) {
      // Its page shows its cover's size (read again, with warnings, with the others').
      try {
        readCoverImages([post], config);
      } catch {
        // A cover that cannot be read leaves the page to the writer, and fails again where all covers are read.
        return;
      }
      pages.add(post, htmlKey);
    },
    async start(rendered: Pick<Rendered, 'theme' | 'pageCache'>) {
      inputs = await makeSite(run, config, from, loaded, [...shells.values()], rendered);
      // Not keyed: the build keys these pages with the others (see early-post-pages.ts).
      pages.start({ site: inputs.site, config, theme: rendered.theme, generator, options: { data: from.data.data, htmlKeys: pages.htmlKeys } });
    },
    /** The early site and pages, once started. */
    made: () => (inputs === undefined ? undefined : { inputs, pages }),
  };
}

/**
 * The site model and every output file (pages rendered later, by the writer, when nothing keeps them). `early`:
 * the site made while the markdown rendered and the post pages rendered meanwhile (see early-post-pages.ts).
 */
export async function makeFiles(run: Run, config: ResolvedConfig, from: Sources, loaded: Loaded, rendered: Rendered, early?: { inputs: SiteInputs; pages: EarlyPostPages }): Promise<Output> {
  const { options, state, disk, diagnostics } = run;
  const { published, drafts, scheduled } = loaded;
  const { theme, markdown } = rendered;
  diagnostics.push(...readCoverImages(markdown.posts, config));
  // The early site holds every published post: used only when every body rendered.
  const isEarly = early !== undefined && markdown.posts.length === published.length;
  const inputs = isEarly ? early.inputs : await makeSite(run, config, from, loaded, markdown.posts, rendered);
  const prerendered = isEarly ? early.pages.finish(inputs.site) : undefined;
  run.stats.postPagesEarly = prerendered ? [...prerendered.values()].filter((page) => page.kind === 'post').length : 0;
  diagnostics.push(...inputs.diagnostics);
  const { site, manifestFile, renderSalt } = inputs;
  const store = run.store;
  const feedOptions = { ...config, items: config.feed.items, generator };
  const feedHtml = await renderFeedItemsHtml(site, feedOptions, store && feedHtmlMemo(store, markdown.htmlKeys), markdown.feedHtml);
  if (state) saveCacheLater(state, disk ? { save: async () => disk.commit() } : undefined);
  else disk?.commit('markdown');
  time(run, 'site');

  // Builds with a state (the dev server rebuilding on every save) reuse the pages of the last build.
  // Without a state, pages are rendered by the writer one at a time (`defer`), so they are not all in memory at once.
  // Every page's inputs in one hash: when the previous output was rendered under the same, pages keep their keys
  // and none is computed (most of a no-change rebuild's page work).
  const pagesKey = pagesIdentity(site);
  const siteKey = manifestFile === undefined || state || renderSalt === undefined || markdown.posts.length !== published.length ? undefined
    : siteFingerprint(renderSalt, [...published.map((post, i) => ({ identity: from.postCache?.identity(post), htmlKey: coverKey(markdown.htmlKeys.get(markdown.posts[i]), markdown.posts[i]) })),
      // Pages are on no other page but the navigation (in the salt's config): all of them as one more input.
      { identity: pagesKey, htmlKey: '' }]);
  const storedKeys = siteKey === undefined || !store ? undefined : storedRouteKeys(store, siteKey);
  const previousKeys = storedKeys?.recall();
  const keys: Record<string, string> | undefined = storedKeys && !previousKeys ? Object.create(null) : undefined;
  // The site's structure without the posts' bodies: while it is unchanged, a body-only edit re-keys and renders only
  // the pages and feeds that show the edited post (see route-keys.ts).
  const structureKey = manifestFile === undefined || state || renderSalt === undefined || markdown.posts.length !== published.length ? undefined : structureFingerprint(`${renderSalt}\0${pagesKey}\0${options.sitemapMaxUrls ?? ''}`,
    published.map((post, i) => ({ fields: from.postCache?.fieldsKey(post), cover: markdown.posts[i].imageSize })));
  const htmlKeyOf = (post: RenderedPost) => coverKey(markdown.htmlKeys.get(post), post);
  // The feed, sitemap, robots.txt and copied files are routes too, after the pages.
  const otherFiles = [
    ...fileRoutes(site, config, { ...feedOptions, itemsHtml: feedHtml }, options.sitemapMaxUrls),
    ...(await collectStaticFiles({ publicDir: config.publicDir, themePublicDir: config.themeDir && path.join(config.themeDir, 'public'), themeAssets: theme.assets, posts: site.posts, permalinks: config.permalinks, root: config.root, diagnostics })),
  ];
  const pages = renderPages(site, config, theme, generator, renderSalt === undefined ? { defer: true, data: from.data.data, prerendered } : {
    data: from.data.data,
    prerendered,
    defer: !state,
    renderSalt,
    hashes: manifestFile === undefined || !store ? undefined : storedPageHashes(store),
    previousKey: previousKeys && ((file) => previousKeys[file]),
    onKey: keys && ((file, key) => void (keys[file] = key)),
    memo: state?.pages,
    htmlKeys: state?.htmlKeys ?? markdown.htmlKeys,
    // Feeds, sitemap and the rest depend on nothing the fingerprint does not hold (the tests' sitemap size aside).
    fileKey: siteKey === undefined ? undefined : `${siteKey}:${options.sitemapMaxUrls ?? ''}`,
    routeKeys: structureKey === undefined ? undefined : routeKeys(structureKey, htmlKeyOf),
  }, otherFiles);
  diagnostics.push(...pages.diagnostics);
  if (keys) storedKeys!.remember(keys);
  if (!config.url) {
    diagnostics.push(warning('FeedWithoutUrl', {}, config.configFile ? { file: config.configFile } : undefined));
  }
  time(run, 'routes');
  // A page or alias on a path something else is written to is reported at its source; other clashes by file.
  const collisions = checkRouteCollisions(pages.routes, config.root);
  diagnostics.push(...collisions.diagnostics, ...checkOutputPaths(pages.files, config, collisions.paths));
  return { site, pages, manifestFile, drafts: drafts.length, scheduled: scheduled.length };
}

/** Everything the pages folder gives the site, as one hash. */
function pagesIdentity(site: Site): string {
  return createHash('sha1').update(JSON.stringify(site.pages)).digest('hex');
}

/** A post's HTML key with its cover's size, which its pages show and its identity does not hold. */
function coverKey(htmlKey: string | undefined, post: RenderedPost): string | undefined {
  return htmlKey === undefined || !post.imageSize ? htmlKey : `${htmlKey}:cover=${post.imageSize.width}x${post.imageSize.height}`;
}

