import type { ResolvedConfig } from '../config/schema.js';
import { defineLazyText, deferredTextOf } from '../content/lazy-text.js';
import type { RenderedPost, Site } from '../site/model.js';
import { createViews } from './context.js';
import { hasNonFinite, isSiteKeyable, siteJsonOf } from './page-keys.js';
import { prerenderedId, renderRoutes, type PrerenderedPage, type RenderPagesOptions } from './render-pages.js';
import { postKeys, siteRoutes, type Route } from './routes.js';
import type { Theme } from './templates.js';

type Views = ReturnType<typeof createViews>;

// Post pages rendered while the markdown workers render the other posts' bodies. A post page needs its own
// rendered body and, from the other posts, only front matter (neighbours, related posts, tag and author views),
// so once the site model is built from the posts' shells (see renderedShell) each page can be rendered as soon
// as its body arrives, on this thread, which otherwise waits for the workers. A list page (home, tag and author
// pages) needs the bodies of the posts it lists (their excerpts and reading times): it is rendered as soon as the
// last of them arrives, and the build hands the workers the posts in the site's order (newest first) so that most
// list pages are complete before the last body. The pages are then written with the others: the list pages still
// waiting for a body, the tag index and the feeds stay at the end.

/** What rendering a post's page needs besides the post: the same as the other pages get (see renderPages). */
export interface EarlyPagesSetup {
  site: Site;
  config: ResolvedConfig;
  theme: Theme;
  generator: string;
  /** The options the build's renderPages gets, so that pages and keys come out the same. */
  options: RenderPagesOptions;
}

/** Post pages rendered ahead, see {@link earlyPostPages}. */
export interface EarlyPostPages {
  /** The names of the bodies' HTML handed to {@link EarlyPostPages.add} (see RenderPagesOptions.htmlKeys). */
  readonly htmlKeys: WeakMap<RenderedPost, string>;
  /** A post's body is rendered (its shell filled): its page renders soon. */
  add(post: RenderedPost, htmlKey: string | undefined): void;
  /** The site model and theme are ready: pages of posts added so far, and of later ones, render from now on. */
  start(setup: EarlyPagesSetup): void;
  /** Stops rendering; the pages rendered, unless the site came out unlike the one they were rendered from. */
  finish(site: Site): ReadonlyMap<string, PrerenderedPage> | undefined;
}

/**
 * Most bytes of pages held until the writer writes them: past it, the writer renders the rest one at a time. Post
 * pages come first: a list page is held only while at most half of this is held and the post pages still to come
 * (at the average size so far) would fit too, so that at 10,000 posts (~110 MB of post pages) list pages neither
 * push post pages out nor add much to the build's peak memory; at 1,000 posts (~11 MB of post pages and ~10 MB of
 * list pages) all are held.
 */
const defaultBudget = 128 * 2 ** 20;

/**
 * Renders post pages between the markdown workers' results, a few milliseconds at a time so that replies to the
 * workers are never held up. Any page that fails to render stops it: the build renders that page again later and
 * reports the failure as it always does.
 */
export function earlyPostPages(budget = defaultBudget): EarlyPostPages {
  const htmlKeys = new WeakMap<RenderedPost, string>();
  const filled = new WeakSet<RenderedPost>();
  /** Posts filled before the site model was made: their pages are queued by `start`. */
  let arrived: RenderedPost[] = [];
  /** Queues the pages a newly filled post completes (set by `start`). */
  let onFilled: ((post: RenderedPost) => void) | undefined;
  /** Drops the summary made for a post before it was filled (see start). */
  let forgetUnfilled: ((post: RenderedPost) => void) | undefined;
  /** Post pages ready to render, then list pages, rendered only when no post page waits. */
  const queue: Route[] = [];
  const lists: Route[] = [];
  const held = heldPages(budget);
  let render: ((route: Route) => boolean) | undefined;
  let isStopped = false;
  let isScheduled = false;
  let isKeyable: boolean | undefined;

  const drain = () => {
    isScheduled = false;
    const until = performance.now() + sliceMs;
    while (!isStopped && queue.length + lists.length > 0 && performance.now() < until) {
      let isRendered = false;
      try {
        isRendered = render!(queue.shift() ?? lists.shift()!);
      } catch {
        // Whatever failed here fails again where the writer renders the page, and is reported there.
      }
      if (!isRendered) isStopped = true;
    }
    schedule();
  };
  const schedule = () => {
    if (isScheduled || isStopped || !render || queue.length + lists.length === 0) return;
    isScheduled = true;
    setImmediate(drain);
  };

  return {
    htmlKeys,
    add(post, htmlKey) {
      if (htmlKey !== undefined) htmlKeys.set(post, htmlKey);
      filled.add(post);
      forgetUnfilled?.(post);
      if (isStopped) return;
      if (onFilled) onFilled(post);
      else arrived.push(post);
      schedule();
    },
    start({ site, config, theme, generator, options }) {
      if (isStopped) return;
      // Read times are not known yet; the site's are checked again at the end.
      isKeyable = !site.posts.some((post) => hasNonFinite(post.data) || (post.readTimeMinutes !== undefined && !Number.isFinite(post.readTimeMinutes)));
      const views = createViews(site, config, generator, options.data);
      const keys = earlyKeys(views, htmlKeys, filled);
      forgetUnfilled = keys.forget;
      onFilled = pageQueue(siteRoutes(site, config, views, htmlKeys, keys), { posts: queue, lists }, () => void (isStopped = true));
      for (const post of arrived) onFilled(post);
      arrived = [];
      held.expect(site.posts.length);
      const renderPage = pageRenderer(theme, options, isKeyable, siteJsonOf(views), held.keep);
      // A list page without room is left to the writer; the post pages go on.
      render = (route) => (route.kind !== 'post' && !held.hasRoom()) || renderPage(route);
      schedule();
    },
    finish(site) {
      isStopped = true;
      queue.length = 0;
      lists.length = 0;
      arrived = [];
      // The early views and their summaries, excerpts and dates (made again by the build's pass) are dropped now,
      // not held while the files are written.
      [render, onFilled, forgetUnfilled] = [undefined, undefined, undefined];
      if (isKeyable === undefined || isKeyable !== isSiteKeyable(site)) return undefined;
      return held.pages;
    },
  };
}

/**
 * The keys of the early pages: the build's, but a related post not rendered yet gives its date only. Its summary
 * is not kept with the others (it would lack its excerpt), but made once here for the dates (~5 a page), not once
 * per page that lists it, and dropped once the post is filled (`forget`).
 */
function earlyKeys(views: Views, htmlKeys: WeakMap<RenderedPost, string>, filled: WeakSet<RenderedPost>) {
  const base = postKeys(views, htmlKeys);
  const unfilled = new Map<RenderedPost, ReturnType<Views['post']>>();
  const unfilledSummary = (post: RenderedPost) => unfilled.get(post) ?? unfilled.set(post, views.post(post, false)).get(post)!;
  return {
    ...base,
    summary: (post: RenderedPost) => (filled.has(post) ? base.summary(post) : unfilledSummary(post)),
    forget: (post: RenderedPost) => void unfilled.delete(post),
  };
}

/** The pages held and their bytes against the budget (see {@link defaultBudget}): post pages first. */
function heldPages(budget: number) {
  const pages = new Map<string, PrerenderedPage>();
  let held = 0;
  let postPages = 0;
  let postBytes = 0;
  let postsToCome = 0;
  return {
    pages,
    /** `posts` post pages are to come. */
    expect: (posts: number) => void (postsToCome = posts),
    /** Holds a page; false once the budget is spent. */
    keep(id: string, page: PrerenderedPage): boolean {
      pages.set(id, page);
      held += page.contents.byteLength;
      if (page.kind === 'post') {
        postPages++;
        postBytes += page.contents.byteLength;
        postsToCome--;
      }
      return held < budget;
    },
    /** Whether a list page may be held: half the budget at most, leaving room for the post pages to come. */
    hasRoom: () => held < budget / 2 && (postPages === 0 || held + (postsToCome * postBytes) / postPages < budget),
  };
}

/**
 * What queues the pages a filled post completes: its own page, and each list page of which it was the last post
 * not filled. A post without a page stops the early pages (`stop`).
 */
function pageQueue(routes: Route[], queue: { posts: Route[]; lists: Route[] }, stop: () => void): (post: RenderedPost) => void {
  const pageOf = new Map<RenderedPost, Route>();
  const listsOf = new Map<RenderedPost, { route: Route; waiting: number }[]>();
  for (const route of routes) {
    const posts = route.deps.posts ?? [];
    if (route.kind === 'post') pageOf.set(posts[0], route);
    else if (listKinds.has(route.kind) && posts.length > 0) {
      const list = { route, waiting: posts.length };
      for (const post of posts) listsOf.get(post)?.push(list) ?? listsOf.set(post, [list]);
    }
  }
  return (post) => {
    const page = pageOf.get(post);
    if (!page) return stop();
    queue.posts.push(page);
    for (const list of listsOf.get(post) ?? []) if (--list.waiting === 0) queue.lists.push(list.route);
  };
}

/** The pages listing posts' summaries. */
const listKinds = new Set<Route['kind']>(['home', 'tag', 'author']);

/**
 * Renders one page as the build would and hands it to `keep`; false when it cannot be rendered here. It is not
 * keyed here: the build keys it with the others (by the site's structure, which needs every post's cover size).
 * Keyed here, each page's data was made into JSON for its key (~0.8 ms a page, a tenth of a 1,000-post cold build's
 * main thread), and the next build, keying by structure, found none of the post pages.
 */
function pageRenderer(
  theme: Theme,
  options: RenderPagesOptions,
  isKeyable: boolean,
  siteJson: string,
  keep: (id: string, page: PrerenderedPage) => boolean,
): (route: Route) => boolean {
  const renderOptions = { ...options, hashes: undefined, onKey: undefined, previousKey: undefined, defer: false, memo: undefined, prerendered: undefined, isKeyable, siteJson };
  return (route) => {
    // A post's body is decoded for its page, then left as the bytes it came as: 1,000 decoded bodies held until
    // the end would add tens of MiB beside the workers' heaps. (List pages show excerpts, not bodies.)
    const post = route.kind === 'post' ? route.deps.posts?.[0] : undefined;
    const html = post && deferredTextOf(post, 'html');
    const { files, diagnostics } = renderRoutes([route], theme, renderOptions);
    if (post && html !== undefined) defineLazyText(post, 'html', html);
    const file = files[0];
    if (diagnostics.length > 0 || files.length !== 1) return false;
    if (file.contents === undefined) return false;
    const contents = typeof file.contents === 'string' ? Buffer.from(file.contents) : file.contents;
    return keep(prerenderedId(file.path, route), { contents, kind: route.kind });
  };
}

/** How long one turn of rendering pages may hold this thread. */
const sliceMs = 8;
