/**
 * JSON-LD for search engines (schema.org): a `BlogPosting` on post pages, a `Blog` on the home page, a
 * `CollectionPage` on the other lists (later home pages, tag pages, the tag index). Built from the page's own
 * template context, so a theme can print it with `{{jsonLd (structuredData @root)}}` or build its own object.
 */

/** The parts of a page's template context the JSON-LD is made from (see context.ts). */
export interface StructuredDataContext {
  site: { title: string; description: string; url: string; basePath: string; language: string; author: string };
  page: { kind: string; title: string; description: string; canonical: string; isHome: boolean };
  post?: {
    title: string;
    description: string;
    author: string;
    /** The authors, when the context has them (a theme's own context may give `author` alone). */
    authors?: { name: string; url: string | null }[];
    date: { dateTime: string };
    updated: { dateTime: string } | null;
    imageUrl: string | null;
    tags: { name: string }[];
  };
}

const person = (name: string) => (name ? { '@type': 'Person', name } : undefined);

/** The JSON-LD object of a page, or null for a page search engines should not index (404). */
export function structuredData(context: StructuredDataContext): Record<string, unknown> | null {
  const { site, page, post } = context;
  if (page.kind === '404') return null;
  const blog = {
    '@type': 'Blog',
    name: site.title,
    description: site.description || undefined,
    url: site.url || site.basePath,
    inLanguage: site.language,
  };
  if (page.kind === 'post' && post) {
    return {
      '@context': 'https://schema.org',
      '@type': 'BlogPosting',
      headline: post.title,
      description: post.description || undefined,
      author: post.authors && post.authors.length > 1
        ? post.authors.map((author) => person(author.name))
        : person(post.authors?.[0]?.name || post.author || site.author),
      datePublished: post.date.dateTime,
      dateModified: (post.updated ?? post.date).dateTime,
      image: post.imageUrl ?? undefined,
      keywords: post.tags.length > 0 ? post.tags.map((tag) => tag.name) : undefined,
      inLanguage: site.language,
      url: page.canonical,
      mainEntityOfPage: { '@type': 'WebPage', '@id': page.canonical },
      isPartOf: blog,
    };
  }
  if (page.isHome) return { '@context': 'https://schema.org', ...blog, author: person(site.author) };
  if (page.kind === 'page') {
    return { '@context': 'https://schema.org', '@type': 'WebPage', name: page.title, description: page.description || undefined, url: page.canonical, inLanguage: site.language, isPartOf: blog };
  }
  return {
    '@context': 'https://schema.org',
    '@type': 'CollectionPage',
    name: page.title,
    description: page.description || undefined,
    url: page.canonical,
    inLanguage: site.language,
    isPartOf: blog,
  };
}

/** Characters that could end a `<script>` element or start a comment in it, and line separators old parsers reject. */
const unsafe = /[<>&\u2028\u2029]/g;

/**
 * JSON for a `<script type="application/ld+json">` element: `<`, `>`, `&`, U+2028 and U+2029 are written as
 * `\u00XX` escapes, which JSON reads back as the same characters, so no text (`</script>`, `<!--`) ends the element.
 * They only occur inside strings of JSON.stringify's output, where such escapes are valid.
 */
export function scriptSafeJson(value: unknown): string {
  return (JSON.stringify(value ?? null) ?? 'null').replace(unsafe, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
