import { fallbackSlug, slugify } from '../content/slug.js';
import type { Author, RenderedPost } from './model.js';

/** The config's `authors` map: display name, bio and links by handle. */
export type AuthorsConfig = Readonly<Record<string, { readonly name?: string; readonly bio: string; readonly links: Readonly<Record<string, string>> }>>;

/**
 * The slug of an author's page, `/authors/<slug>/`; a leading `@` of a handle is left out (`@maria` → `maria`), and
 * a slug past 100 bytes is cut there.
 */
export function authorSlug(handle: string): string {
  const name = handle.replace(/^@(?=.)/, '');
  const slug = slugify(name) || fallbackSlug(name);
  // A folder name in dist/: file systems allow 255 bytes, and a name that long is no handle anyway.
  return Buffer.byteLength(slug) <= maxSlugBytes ? slug : Buffer.from(slug).subarray(0, maxSlugBytes).toString().replace(/\uFFFD+$/, '');
}

const maxSlugBytes = 100;

/** The display name of a handle: from the config's `authors` map, else the handle itself. */
export function authorName(config: AuthorsConfig, handle: string): string {
  return (Object.hasOwn(config, handle) && config[handle].name) || handle;
}

/**
 * Groups published posts (newest first) by author. A post names an author by the handle of the config's `authors`
 * map, or by the display name given there (so `author: Alice Smith` and `author: alice` are one author); any other
 * name is an author of its own, its name as written. Authors are sorted by display name, then slug.
 */
export function groupAuthors(posts: readonly RenderedPost[], config: AuthorsConfig, language: string): { authors: Author[]; authorsOf: Map<RenderedPost, Author[]> } {
  const byName = new Map<string, string>();
  for (const [handle, entry] of Object.entries(config)) if (entry.name) byName.set(entry.name.toLowerCase(), handle);
  const bySlug = new Map<string, Author>();
  const authorsOf = new Map<RenderedPost, Author[]>();
  for (const post of posts) {
    const list: Author[] = [];
    for (const written of post.authors) {
      const handle = Object.hasOwn(config, written) ? written : byName.get(written.toLowerCase()) ?? written;
      const slug = authorSlug(handle);
      let author = bySlug.get(slug);
      if (!author) {
        const entry = Object.hasOwn(config, handle) ? config[handle] : undefined;
        const links = Object.entries(entry?.links ?? {}).map(([name, url]) => ({ name, url }));
        author = { handle, slug, name: entry?.name || handle, bio: entry?.bio ?? '', links, posts: [] };
        bySlug.set(slug, author);
      }
      if (list.includes(author)) continue;
      list.push(author);
      author.posts.push(post);
    }
    authorsOf.set(post, list);
  }
  const collator = new Intl.Collator(language, { sensitivity: 'base', numeric: true });
  const authors = [...bySlug.values()].sort((a, b) => collator.compare(a.name, b.name) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  return { authors, authorsOf };
}
