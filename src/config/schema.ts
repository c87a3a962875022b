import { z } from 'zod';

const timezone = z.string().refine(isTimeZone, { message: 'is not an IANA time zone name' });
const language = z.string().refine(isLanguageTag, { message: 'is not a BCP 47 language tag' });
/** The site's base URL: checked, then normalized (`new URL().href`, a trailing slash added); the normal form is what every output uses. */
const baseUrl = z.string().superRefine((value, ctx) => {
  const problem = urlProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).transform(normalizeUrl);
const folder = z.string().min(1);

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
  }).prefault({}),
  /** Folder of posts. @default "posts" */
  postsDir: folder.default('posts'),
  /** Folder of local templates overriding the built-in theme. @default "templates" */
  templatesDir: folder.default('templates'),
  /** Output folder. @default "dist" */
  outDir: folder.default('dist'),
  /** Folder of static files copied to the site root. @default "public" */
  publicDir: folder.default('public'),
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
  readonly timezone: string;
  readonly postsPerPage: number;
  readonly feed: { readonly items: number };
  readonly readingSpeed: number;
  readonly markdown: { readonly rawHtml: boolean; readonly tagfilter: 'safe' | 'gfm' | false };
  readonly postsDir: string;
  readonly templatesDir: string;
  readonly outDir: string;
  readonly publicDir: string;
  /** Publish drafts. */
  readonly drafts: boolean;
  /** Publish posts dated after `now`. */
  readonly future: boolean;
}

/** Every key the config file accepts, for "did you mean" hints. */
export const configKeys = {
  '': Object.keys(configSchema.shape),
  feed: ['items'],
  markdown: ['rawHtml', 'tagfilter'],
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
