import path from 'node:path';
import type { BuildState } from './build-state.js';
import type { BuildOptions, BuildResult, BuildStats } from './build-types.js';
import { codeSalt } from './cache/code-salt.js';
import { resolveCacheDir } from './cache/markdown-cache.js';
import type { Diagnostic } from './diagnostics/error.js';
import { diskStore, type DiskStore } from './incremental/disk-store.js';
import type { Store } from './incremental/store.js';
import { version } from './version.js';
import type { BodyDigests } from './cache/body-digest.js';
import type { MarkdownCache } from './cache/markdown-cache.js';
import type { PostCache } from './cache/post-cache.js';
import type { SourceFile } from './content/discover.js';
import type { loadData } from './content/load-data.js';
import type { discoverPages } from './content/load-pages.js';
import type { resolvePostLinks } from './content/post-links.js';
import type { MarkdownOptions } from './markdown/processor.js';
import type { renderMarkdown } from './markdown/render-markdown.js';
import type { Theme } from './render/templates.js';
import type { selectPublished } from './site/build-site.js';

/** What the pages and feeds name as their generator. */
export const generator = `blogbuild ${version}`;

/** The store's namespaces that hold texts of every post (bodies, HTML). */
const largeNamespaces: ReadonlySet<string> = new Set(['posts', 'markdown', 'feed-html']);

/** One build's bookkeeping: options, diagnostics and counts so far, and what earlier builds computed. */
export interface Run {
  options: BuildOptions;
  started: number;
  /** When the last stage ended (see {@link time}). */
  lap: number;
  diagnostics: Diagnostic[];
  stats: BuildStats;
  root: string;
  state: BuildState | undefined;
  /** The cache folder's store (not for --no-cache). */
  disk: DiskStore | undefined;
  /** The dev server's memory over the cache folder's store, once the config is known. */
  store?: Store;
}

/** Records how long the stage that ends now took. */
export function time(run: Run, stage: string): void {
  const now = performance.now();
  run.stats.timings[stage] = now - run.lap;
  run.lap = now;
}

/** `deferBlobs`: read the cache's large texts when first needed (see diskStore). */
export function startRun(options: BuildOptions, { deferBlobs = true } = {}): Run {
  const root = path.resolve(options.root ?? process.cwd());
  const started = performance.now();
  // A build reads its large namespaces in part, each blob when it is needed (the dev server keeps values whole in its
  // memory, see lazy-site.ts): a one-post edit reads 1,000 posts' JSON, not their bodies and HTML.
  const defers = deferBlobs && !options.state;
  return {
    options,
    started,
    lap: started,
    diagnostics: [],
    stats: { posts: 0, tags: 0, tagPages: 0, files: 0, written: 0, unchanged: 0, drafts: 0, scheduled: 0, markdownRendered: 0, markdownCached: 0, markdownInWorkers: 0, postPagesEarly: 0, pages: 0, durationMs: 0, timings: {} },
    root,
    state: options.state,
    // What earlier builds computed: the cache folder (not for --no-cache), under the dev server's memory.
    disk: options.cache === false ? undefined : diskStore(resolveCacheDir(root, options.cacheDir), codeSalt(resolveCacheDir(root, options.cacheDir)), options.state?.storeFiles,
      defers ? largeNamespaces : undefined, defers),
  };
}

export function finish(run: Run, result: Omit<BuildResult, 'stats' | 'diagnostics'>): BuildResult {
  // The dev server's memory keeps what a good build used (a failed one may have stopped before using anything).
  if (run.state && result.ok) run.state.store.commit();
  // With a state, the disk store is committed with the markdown cache, after a quiet second (saveCacheLater).
  if (!run.state) run.disk?.commit();
  run.stats.durationMs = performance.now() - run.started;
  return { ...result, diagnostics: run.diagnostics, stats: run.stats };
}

/** The sources found, with the caches that know them. */
export interface Sources {
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

/** The posts loaded, which of them this build publishes, and the URLs of the posts and pages each links to by file. */
export type Loaded = ReturnType<typeof selectPublished> & { postLinks: ReturnType<typeof resolvePostLinks>['links'] };

/** The theme and the rendered bodies. */
export interface Rendered {
  theme: Theme;
  markdown: Awaited<ReturnType<typeof renderMarkdown>>;
  cache: MarkdownCache | undefined;
  /** The markdown cache for the pages' bodies: the dev server's memory over the disk's, else `cache`. */
  pageCache: MarkdownCache | undefined;
}
