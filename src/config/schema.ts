import { z } from 'zod';
import { defaultLimits, type MarkdownLimits } from '../markdown/markdown-limits.js';
import type { PluginDescription } from '../markdown/processor.js';

const timezone = z.string().refine(isTimeZone, { message: 'is not an IANA time zone name' });
const language = z.string().refine(isLanguageTag, { message: 'is not a BCP 47 language tag' });
/** The site's base URL: checked, then normalized (`new URL().href`, a trailing slash added); the normal form is what every output uses. */
const baseUrl = z.string().superRefine((value, ctx) => {
  const problem = urlProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).transform(normalizeUrl);
const folder = z.string().min(1);
/** A function written in a JS config (a plugin or a helper). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const fn = z.custom<(...args: any[]) => unknown>((value) => typeof value === 'function', { error: 'must be a function' });
/**
 * A remark or rehype plugin as Astro and MDX take them: a plugin function imported in a JS config, a package name
 * (what a JSON config can say), or either with its options, `[plugin, options]`.
 */
const plugin = z.union([fn, z.string().min(1), z.tuple([z.union([fn, z.string().min(1)]), z.unknown()])], {
  error: (issue) => `must be a plugin function, a package name or [plugin, options], got ${Array.isArray(issue.input) ? 'a list of the wrong shape' : JSON.stringify(issue.input) ?? typeof issue.input}`,
});

/**
 * A permalink pattern: a site path between slashes with `:tokens` from `tokens`, one of `required` among them, so
 * that no two posts (tags, pages) share a URL.
 */
const permalink = (tokens: readonly string[], required: readonly string[], fallback: string) => z.string().superRefine((value, ctx) => {
  const problem = permalinkProblem(value, tokens, required);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).default(fallback);

/** Why a permalink pattern cannot be used, or undefined. */
export function permalinkProblem(value: string, tokens: readonly string[], required: readonly string[]): string | undefined {
  const names = (list: readonly string[]) => list.map((token) => `:${token}`).join(', ');
  if (!value.startsWith('/') || !value.endsWith('/')) return 'must start and end with "/", e.g. "/posts/:slug/"';
  const unknown = [...value.matchAll(/:([A-Za-z_]*)/g)].map((m) => m[1]).find((token) => !tokens.includes(token));
  if (unknown !== undefined) return `has an unknown token \`:${unknown}\`; the tokens are ${names(tokens)}`;
  if (!required.some((token) => value.includes(`:${token}`))) return `has no ${names(required).replace(/, (?=[^,]*$)/, ' or ')}, so every one would be written to the same path`;
  if (/[?#\\\s]|\/\.{1,2}\//.test(value)) return 'holds a query, fragment, backslash, whitespace or a `.`/`..` segment';
  return undefined;
}

/** The config file's schema: every key optional, unknown keys rejected. */
export const configSchema = z.strictObject({
  /** Site title. @default "My Blog" */
  title: z.string().default('My Blog'),
  /** Site description, for the home page and the feed. @default "" */
  description: z.string().default(''),
  /** Absolute base URL, may include a sub-path (`https://example.org/blog/`). @default "" (links relative to the root) */
  url: baseUrl.optional(),
  /** Language of the site, used for `<html lang>`, the feed and date formats. @default "en" */
  language: language.default('en'),
  /** Default author for posts without one. @default "" */
  author: z.string().default(''),
  /** Authors by the handle posts name them with (`author: alice`): display name, bio and links for author pages. @default {} */
  authors: z.record(z.string(), z.strictObject({
    /** Name shown on posts and the author's page. @default the handle */
    name: z.string().optional(),
    /** A short bio, shown on the author's page. @default "" */
    bio: z.string().default(''),
    /** Links shown on the author's page, by label: `{ "Website": "https://…" }`. @default {} */
    links: z.record(z.string(), z.string()).default({}),
  })).default({}),
  /** Related posts at the end of each post (by shared tags, then recency); 0 turns them off. @default 3 */
  related: z.number().int().min(0).default(3),
  /** IANA time zone in which dates without a time are calendar dates. @default "UTC" */
  timezone: timezone.default('UTC'),
  /** Posts per list page. @default 10 */
  postsPerPage: z.number().int().min(1).default(10),
  /** Feed options. */
  feed: z.strictObject({ items: z.number().int().min(1).default(20) }).prefault({}),
  /** Words per minute for computed read times. @default 230 */
  readingSpeed: z.number().positive().default(230),
  /** Markdown options. */
  markdown: z.strictObject({
    /** Keep raw HTML written in posts. @default true */
    rawHtml: z.boolean().default(true),
    /** Raw HTML tags shown as text (GFM's tag filter): "safe", "gfm" or false. @default "safe" */
    tagfilter: z
      .union([z.enum(['safe', 'gfm']), z.literal(false)], { error: (issue) => `must be "safe", "gfm" or false, got ${JSON.stringify(issue.input)}` })
      .default('safe'),
    /** Limits on one post's markdown; a post beyond one fails alone with MarkdownTooComplex (see markdown-limits.ts). */
    limits: z.strictObject({
      /** Deepest nesting of blockquotes, list items and `[` brackets. @default 100 */
      maxDepth: z.number().int().min(1).default(defaultLimits.maxDepth),
      /** Largest post body in UTF-8 bytes. @default 2000000 */
      maxBytes: z.number().int().min(1).default(defaultLimits.maxBytes),
      /** Longest one post may take to render, in milliseconds. @default 10000 */
      timeBudgetMs: z.number().int().min(1).default(defaultLimits.timeBudgetMs),
    }).prefault({}),
    /** Highlight fenced code that names its language, at build time. @default true */
    highlight: z.boolean().default(true),
    /** A table of contents at the top of every post (front matter `toc` decides per post). @default false */
    toc: z.boolean().default(false),
    /** remark plugins, run after blogbuild's own, before the tree becomes HTML. @default [] */
    remarkPlugins: z.array(plugin).default([]),
    /** rehype plugins, run after blogbuild's own HTML steps, before serialising. @default [] */
    rehypePlugins: z.array(plugin).default([]),
  }).prefault({}),
  /** Folder of posts. @default "posts" */
  postsDir: folder.default('posts'),
  /** Folder of standalone pages (About, Contact…), each built to `/<path>/`. @default "pages" */
  pagesDir: folder.default('pages'),
  /** The pages in the site navigation, in order, by path (`"about"`, `"docs/faq"`). @default every page, by `weight` then title */
  nav: z.array(z.string().min(1)).optional(),
  /** URL patterns: `post` (`:year`, `:month`, `:day`, `:slug`), `tag` (`:slug`), `page` (`:path`, `:slug`). */
  permalinks: z.strictObject({
    /** @default "/posts/:slug/" */
    post: permalink(['year', 'month', 'day', 'slug'], ['slug'], '/posts/:slug/'),
    /** @default "/tags/:slug/" */
    tag: permalink(['slug'], ['slug'], '/tags/:slug/'),
    /** @default "/:path/" */
    page: permalink(['path', 'slug'], ['path', 'slug'], '/:path/'),
  }).superRefine((value, ctx) => {
    // A post and a tag with one slug would have one URL whatever the slug: the patterns themselves clash.
    const shape = (pattern: string) => pattern.replace(/:(year|month|day)/g, ':n').replace(/:[a-z]+/g, ':x');
    if (shape(value.post) === shape(value.tag)) {
      ctx.addIssue({ code: 'custom', path: ['tag'], message: `gives tags the URLs of posts ("${value.post}" takes the same places): a tag and a post with the same slug would be written to one path` });
    }
  }).prefault({}),
  /** Folder of local templates overriding the built-in theme. @default "templates" */
  templatesDir: folder.default('templates'),
  /** Output folder. @default "dist" */
  outDir: folder.default('dist'),
  /** Folder of static files copied to the site root. @default "public" */
  publicDir: folder.default('public'),
  /** Folder of data files (`*.json`, `*.yaml`, `*.yml`), each given to templates as `data.<name>`. @default "data" */
  dataDir: folder.default('data'),
  /** A theme: a folder (relative to the blog) or an installed npm package holding `templates/` and maybe `public/`. @default none (the built-in theme) */
  theme: z.string().min(1).optional(),
  /** Handlebars helpers by name (JS config only): `{ upper: (s) => s.toUpperCase() }`. @default {} */
  helpers: z.record(z.string(), fn).default({}),
  /** Handlebars partials by name, as template source (JS config): `{ byline: '<p>{{post.author}}</p>' }`. @default {} */
  partials: z.record(z.string(), z.string()).default({}),
});

/** The config as a user writes it: every key optional. */
export type UserConfig = z.input<typeof configSchema>;

/** The config with defaults filled, paths absolute, and the build switches; frozen. */
export interface ResolvedConfig {
  readonly root: string;
  readonly configFile: string | undefined;
  readonly title: string;
  readonly description: string;
  /** Absolute base URL ending in `/`, or "" when none is configured. */
  readonly url: string;
  /** Path part of the base URL, `/` or `/blog/`. */
  readonly basePath: string;
  readonly language: string;
  readonly author: string;
  /** Authors by handle (see configSchema). */
  readonly authors: Readonly<Record<string, { readonly name?: string; readonly bio: string; readonly links: Readonly<Record<string, string>> }>>;
  /** Related posts per post. */
  readonly related: number;
  readonly timezone: string;
  readonly postsPerPage: number;
  readonly feed: { readonly items: number };
  readonly readingSpeed: number;
  readonly markdown: {
    readonly rawHtml: boolean;
    readonly tagfilter: 'safe' | 'gfm' | false;
    readonly limits: Readonly<MarkdownLimits>;
    readonly highlight: boolean;
    readonly toc: boolean;
    /** The user's plugins, as descriptions a worker thread can load (see config/plugins.ts). */
    readonly remarkPlugins: readonly PluginDescription[];
    readonly rehypePlugins: readonly PluginDescription[];
  };
  readonly postsDir: string;
  readonly pagesDir: string;
  /** Page paths in the navigation's order; undefined: every page by weight, then title. */
  readonly nav: readonly string[] | undefined;
  readonly templatesDir: string;
  /** URL patterns of posts, tags and pages. */
  readonly permalinks: { readonly post: string; readonly tag: string; readonly page: string };
  readonly outDir: string;
  readonly publicDir: string;
  /** Folder of data files. */
  readonly dataDir: string;
  /** The theme's folder (absolute), or undefined for the built-in theme alone. */
  readonly themeDir: string | undefined;
  /** Handlebars helpers from the config. */
  readonly helpers: Readonly<Record<string, (...args: unknown[]) => unknown>>;
  /** Handlebars partials (template source) from the config. */
  readonly partials: Readonly<Record<string, string>>;
  /** Publish drafts. */
  readonly drafts: boolean;
  /** Publish posts dated after `now`. */
  readonly future: boolean;
}

/** Every key the config file accepts, for "did you mean" hints. */
export const configKeys = {
  '': Object.keys(configSchema.shape),
  feed: ['items'],
  markdown: ['rawHtml', 'tagfilter', 'limits', 'highlight', 'toc', 'remarkPlugins', 'rehypePlugins'],
  'markdown.limits': ['maxDepth', 'maxBytes', 'timeBudgetMs'],
  permalinks: ['post', 'tag', 'page'],
} as Record<string, string[]>;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    // Intl throws RangeError for a name it does not know: that is the answer, not a failure.
    return false;
  }
}

function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    // Intl throws RangeError for a malformed tag: that is the answer, not a failure.
    return false;
  }
}

/**
 * Why a base URL cannot be used, or undefined. It is pasted into robots.txt, the feed and every canonical link, so it
 * must be one plain http(s) address: whitespace or a control character would inject lines (`\nDisallow: /`),
 * credentials would be published, and a query or fragment would swallow every path appended to it.
 */
export function urlProblem(value: string): string | undefined {
  if (/[\s\u0000-\u001f\u007f-\u009f]/u.test(value)) return 'contains whitespace or a control character';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // new URL throws TypeError for text that is not a URL: that is the answer, not a failure.
    return 'is not an absolute http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'is not an absolute http(s) URL';
  if (url.username || url.password || /^[a-z][a-z\d+.-]*:\/*[^/?#]*@/i.test(value)) return 'contains credentials (user:password@), which would be published in every page';
  if (value.includes('?')) return 'has a query (?…), which page paths cannot be appended to';
  if (value.includes('#')) return 'has a fragment (#…), which page paths cannot be appended to';
  return undefined;
}

/** The normal form of a valid base URL: as the URL parser writes it, ending in `/`. */
export function normalizeUrl(value: string): string {
  const href = new URL(value).href;
  return href.endsWith('/') ? href : `${href}/`;
}
