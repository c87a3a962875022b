import { fallbackSlug, slugify } from '../content/slug.js';
import type { RenderedPost, Tag } from './model.js';

/** The slug of a tag name; tags whose slugs are equal are one tag. */
export function tagSlug(name: string): string {
  return slugify(name) || fallbackSlug(name);
}

/**
 * Groups posts by tag. Posts keep their order (newest first). A tag spelled several ways takes its most used
 * spelling, ties going to the one that sorts first, so the name does not depend on file order.
 */
export function groupTags(posts: readonly RenderedPost[], language: string): Tag[] {
  const bySlug = new Map<string, { posts: RenderedPost[]; spellings: Map<string, number> }>();
  // Each spelling slugged once, not once a post (2,500 slugs at 1,000 posts).
  const slugs = new Map<string, string>();
  for (const post of posts) {
    for (const name of post.tags) {
      let slug = slugs.get(name);
      if (slug === undefined) slugs.set(name, (slug = tagSlug(name)));
      let entry = bySlug.get(slug);
      if (!entry) {
        entry = { posts: [], spellings: new Map() };
        bySlug.set(slug, entry);
      }
      entry.posts.push(post);
      entry.spellings.set(name, (entry.spellings.get(name) ?? 0) + 1);
    }
  }
  const collator = new Intl.Collator(language, { sensitivity: 'base', numeric: true });
  const tags: Tag[] = [];
  for (const [slug, entry] of bySlug) {
    const name = [...entry.spellings].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0][0];
    tags.push({ name, slug, posts: entry.posts });
  }
  return tags.sort((a, b) => collator.compare(a.name, b.name) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}
