import { bodyDigests, type BodyDigests } from './cache/body-digest.js';
import type { SourceMemo } from './content/discover.js';
import type { MarkdownMemos, RenderedMemo, TooComplexMemo } from './markdown/render-markdown.js';
import type { PostMemo } from './content/load-posts.js';
import type { PageMemo } from './render/render-pages.js';
import type { ThemeMemo } from './render/templates.js';
import { rememberedMarkdown, rememberedPages, rememberedPosts, rememberedSources, rememberedThemes, rememberedTooComplex } from './incremental/stored.js';
import type { StoreFiles } from './incremental/disk-store.js';
import { memoryStore, type Store } from './incremental/store.js';
import type { RenderedPost } from './site/model.js';

export type { SourceMemo, PostMemo };

/**
 * What one process keeps between builds of one blog (the dev server): every entry is checked against its inputs
 * before use, so a build with a state writes exactly what a clean build writes. Create one with
 * {@link createBuildState} and pass it to every `build({ state })`; builds without a state keep nothing.
 *
 * Entries are replaced, never mutated. Everything derived from the config is dropped when the resolved config
 * changes; everything rendered through the theme when a template file changes (its key changes).
 *
 * What the state keeps is in namespaces of its memory store `store`: feed items' HTML, pages' markdown and loaded
 * pages (which also go to the disk store below it), and, in memory only, source texts, loaded posts, rendered
 * markdown and bodies beyond a markdown limit, the compiled theme and rendered pages (`sources`, `posts`,
 * `markdown`, `markdownTooComplex`, `templates` and `pages` are those namespaces, seen through the stages' ports;
 * see incremental/stored.ts). What a build neither read nor wrote is dropped when it commits (after a build
 * without errors). A memory store keeps values as they are, so these give the same
 * object as last time: later stages key their own memos by those objects (posts → rendered posts → HTML keys →
 * page keys), so an unchanged post costs a lookup, not a hash of its HTML.
 *
 * Left as WeakMaps: the memos keyed by objects (`renderedPosts`, `htmlKeys`), which a namespace (string keys)
 * cannot hold: they follow the objects' lifetimes instead of being dropped at commit.
 */
export interface BuildState {
  /** The resolved config (as JSON) the entries below were made under. */
  configKey?: string;
  /** Source texts (the `source-texts` namespace) by path and stat: re-read only when their size, mtime or inode changed. */
  sources: SourceMemo;
  /** Loaded posts (the `loaded-posts` namespace) by source path and inputs. */
  posts: PostMemo;
  /** Rendered markdown (the `markdown-memo` namespace) by body text, then by the title-heading flag. */
  markdown: MarkdownMemos;
  /** Bodies beyond a markdown limit (the `markdown-too-complex` namespace), by body text: not rendered again (a slow one would cost its time budget on every save). */
  markdownTooComplex: TooComplexMemo;
  /** Rendered posts by post and markdown result: the same object while neither changed, so later keys are cheap. */
  renderedPosts: RenderedMemo;
  /** Compiled themes (the `theme` namespace) by the template files' paths and stats they were compiled from. */
  templates: ThemeMemo;
  /** What the build keeps by namespace and key (feed items' absolute HTML, pages' markdown, loaded pages), over the persistent cache's. */
  store: Store;
  /** Hashes of rendered posts' HTML, for page keys. */
  htmlKeys: WeakMap<RenderedPost, string>;
  /** Pages (the `page-memo` namespace) by output path, with the key of everything they were rendered from. */
  pages: PageMemo;
  /** Digests of the posts' bodies (the markdown cache's keys), kept while the posts are the same objects. */
  bodyDigests: BodyDigests;
  /** The cache folder's files this process read or wrote last (see diskStore). */
  storeFiles: StoreFiles;
  /** The persistent cache of the last build, saved after a quiet second (see {@link saveCacheLater}). */
  unsavedCache?: { save(): Promise<void> };
  saveTimer?: ReturnType<typeof setTimeout>;
  /** The cache file being written, awaited before the next build opens it. */
  pendingSave?: Promise<void>;
}

/** How long the persistent cache waits for the next build before it is written. */
const saveDelayMs = 1000;

/**
 * Saves the persistent markdown cache once no build followed for a second: writing it is ~50 ms for 1,000 posts,
 * which would be on every save's critical path, and in the dev server only the last build's cache matters (it is
 * for cold starts; this process keeps its results in the state). {@link flushBuildState} saves it at once.
 */
export function saveCacheLater(state: BuildState, cache: { save(): Promise<void> } | undefined): void {
  if (state.saveTimer) clearTimeout(state.saveTimer);
  state.saveTimer = undefined;
  state.unsavedCache = cache;
  if (!cache) return;
  state.saveTimer = setTimeout(() => void flushBuildState(state), saveDelayMs);
  state.saveTimer.unref?.();
}

/** Writes what the state holds back for later (the persistent cache); resolves when it is written. */
export async function flushBuildState(state: BuildState): Promise<void> {
  if (state.saveTimer) clearTimeout(state.saveTimer);
  state.saveTimer = undefined;
  const cache = state.unsavedCache;
  state.unsavedCache = undefined;
  if (cache) {
    const previous = state.pendingSave;
    state.pendingSave = (async () => {
      await previous;
      await cache.save();
    })();
  }
  await state.pendingSave;
}

/** An empty build state: the first build with it does all the work, later builds only what changed. */
export function createBuildState(): BuildState {
  const store = memoryStore();
  return { ...namespaces(store), renderedPosts: new WeakMap(), htmlKeys: new WeakMap(), store, storeFiles: new Map(), bodyDigests: bodyDigests() };
}

/** The state's views of its memory store's namespaces. */
function namespaces(store: Store): Pick<BuildState, 'sources' | 'posts' | 'markdown' | 'markdownTooComplex' | 'templates' | 'pages'> {
  return {
    sources: rememberedSources(store), posts: rememberedPosts(store), markdown: rememberedMarkdown(store), markdownTooComplex: rememberedTooComplex(store),
    templates: rememberedThemes(store), pages: rememberedPages(store),
  };
}

/**
 * Drops what was derived from another config: posts (time zone, author), markdown (base path, raw HTML), the
 * theme (helpers), feed HTML and pages, with the memory store they are in (source texts too: a config change
 * reads the posts folder once again).
 */
export function resetForConfig(state: BuildState, config: unknown): void {
  let configKey: string;
  try {
    // A JS config's helpers are functions: their source stands for them, so an edited helper resets the state.
    configKey = JSON.stringify(config, (_key, value: unknown) => (typeof value === 'function' ? `function ${String(value)}` : value));
  } catch {
    // Settings JSON cannot hold (a cycle, a BigInt): a key of their own, so nothing is reused for them.
    configKey = `unkeyable ${Math.random()}`;
  }
  if (state.configKey === configKey) return;
  state.configKey = configKey;
  state.renderedPosts = new WeakMap();
  state.htmlKeys = new WeakMap();
  state.store = memoryStore();
  Object.assign(state, namespaces(state.store));
}
