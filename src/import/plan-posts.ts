import path from 'node:path';
import { slugify } from '../content/slug.js';
import type { SourcePost } from './model.js';
import { markdownExtensions } from './site-files.js';

/** Where a source post goes in the blog, and its new URL. */
export interface PlannedPost {
  post: SourcePost;
  /** Output markdown file relative to the blog: `posts/hello.md` or `posts/hello/index.md` for a bundle. */
  outPath: string;
  slug: string;
  /** `/posts/<slug>/`, relative to the site's base. */
  url: string;
}

/** Plans each post's output file and URL as blogbuild derives them (file name without date, or `slug`). */
export function planPosts(posts: SourcePost[]): PlannedPost[] {
  return posts.map((post) => {
    const own = typeof post.data.slug === 'string' ? slugify(post.data.slug) : '';
    const slug = own || slugify(post.name.replace(/^\d{4}-\d{2}-\d{2}-/, '')) || 'post';
    const name = post.name.replace(/[^\p{L}\p{N}._-]+/gu, '-');
    return { post, slug, url: `/posts/${slug}/`, outPath: post.assets.length > 0 ? `posts/${name}/index.md` : `posts/${name}.md` };
  });
}

/**
 * Finds the post a reference names, as `post_url`, `link`, `ref` and relative `.md` links write it:
 * `2020-01-02-hello`, `_posts/2020-01-02-hello.md`, `posts/other.md`, `/blog/other`, `other.md#part`, `../other/`.
 * Returns its new URL with the `#anchor` kept.
 */
export function postResolver(planned: PlannedPost[], from?: SourcePost): (ref: string) => string | undefined {
  return (ref) => {
    const [target = '', anchor] = ref.split('#');
    const wanted = normalise(from && target.startsWith('.') ? path.posix.join(path.posix.dirname(from.rel), target) : target);
    if (!wanted) return undefined;
    const found = planned.find((p) => keysOf(p.post).some((key) => key === wanted || key.endsWith(`/${wanted}`)));
    return found ? found.url + (anchor ? `#${anchor}` : '') : undefined;
  };
}

function keysOf(post: SourcePost): string[] {
  const rel = normalise(post.rel);
  return [rel, post.name.toLowerCase(), rel.replace(/\/index$/, '')];
}

function normalise(ref: string): string {
  return ref.trim().replace(/^\/+|\/+$/g, '').replace(markdownExtensions, '').replace(/\/index$/, '').toLowerCase();
}
