import path from 'node:path';
import { error, type Diagnostic } from '../diagnostics/error.js';
import type { Post, RenderedPage, RenderedPost, Site } from './model.js';
import { groupAuthors, type AuthorsConfig } from './authors.js';
import { relatedPosts } from './related.js';
import { groupTags } from './tags.js';

/** What decides whether a post is published. */
export interface PublishOptions {
  /** Publish drafts. */
  drafts: boolean;
  /** Publish posts dated after `now`. */
  future: boolean;
  /** The build time. */
  now: Date;
}

/** The one rule for publishing: every output (pages, tags, feed, sitemap) sees only what passes it. */
export function isPublished(post: Post, options: PublishOptions): boolean {
  return (!post.isDraft || options.drafts) && (post.date.instant.getTime() <= options.now.getTime() || options.future);
}

/** Splits posts into published, drafts and scheduled. */
export function selectPublished(posts: Post[], options: PublishOptions): { published: Post[]; drafts: Post[]; scheduled: Post[] } {
  const published: Post[] = [];
  const drafts: Post[] = [];
  const scheduled: Post[] = [];
  for (const post of posts) {
    if (isPublished(post, options)) published.push(post);
    else if (post.isDraft && !options.drafts) drafts.push(post);
    else scheduled.push(post);
  }
  return { published, drafts, scheduled };
}

/** Reports posts that share a slug (drafts included, so turning a draft on never breaks the build). */
export function checkDuplicateSlugs(posts: readonly Post[], root: string): Diagnostic[] {
  const bySlug = new Map<string, Post[]>();
  for (const post of posts) {
    const group = bySlug.get(post.slug);
    if (group) group.push(post);
    else bySlug.set(post.slug, [post]);
  }
  const diagnostics: Diagnostic[] = [];
  for (const [slug, group] of bySlug) {
    if (group.length < 2) continue;
    const sorted = [...group].sort((a, b) => (a.relPath < b.relPath ? -1 : 1));
    for (const post of sorted.slice(1)) {
      const other = path.relative(root, sorted[0].sourcePath).split(path.sep).join('/');
      diagnostics.push(error('DuplicateSlug', { slug, other }, post.slugLoc ?? { file: post.sourcePath, line: 1, column: 1 }));
    }
  }
  return diagnostics;
}

/** Newest first; posts on the same instant are ordered by slug, so output never depends on file order. */
export function comparePosts(a: Post, b: Post): number {
  return b.date.instant.getTime() - a.date.instant.getTime() || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}

/** Builds the site model from the published, rendered posts. */
export function buildSite(
  posts: RenderedPost[],
  left: { drafts: Post[]; scheduled: Post[] },
  options: { language: string; authors?: AuthorsConfig; related?: number; pages?: RenderedPage[]; nav?: RenderedPage[]; isRelatedLazy?: boolean },
): Site {
  const sorted = [...posts].sort(comparePosts);
  const tags = groupTags(sorted, options.language);
  const site: Omit<Site, 'related'> = {
    posts: sorted,
    tags,
    tagsBySlug: new Map(tags.map((tag) => [tag.slug, tag])),
    ...groupAuthors(sorted, options.authors ?? {}, options.language),
    drafts: left.drafts,
    scheduled: left.scheduled,
    pages: options.pages ?? [],
    nav: options.nav ?? [],
  };
  // Related posts are shown only on post pages: a build that renders none (no change, or pages keyed without their
  // data) never compares every post's tags with every other's. Made on first read, then a plain property; the dev
  // server's (isRelatedLazy) works out each post's list when its page asks for it.
  return Object.defineProperty(site, 'related', {
    enumerable: true,
    configurable: true,
    get() {
      const related = relatedPosts(sorted, { limit: options.related ?? 3, isLazy: options.isRelatedLazy });
      Object.defineProperty(site, 'related', { value: related, writable: true, enumerable: true, configurable: true });
      return related;
    },
  }) as Site;
}
