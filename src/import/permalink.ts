import { slugify } from '../content/slug.js';

/** Values a permalink pattern's placeholders take for one post. */
export interface PermalinkValues {
  /** `YYYY-MM-DD` of the post (in the source's time zone), if known. */
  date?: string;
  /** The title slug: the file name without date (Jekyll `:title`), or the `slug`. */
  slug: string;
  /** The title, for Hugo's `:title` (Jekyll's `:title` is the file name: leave this out). */
  title?: string;
  categories?: string[];
  section?: string;
  /** The file name without extension (Hugo `:filename`, `:contentbasename`). */
  filename?: string;
}

/**
 * Expands a Jekyll or Hugo permalink pattern (`/:categories/:year/:month/:day/:title.html`, `/:section/:slug/`)
 * into a URL path starting with `/`. Empty segments collapse, as both generators do.
 */
export function expandPermalink(pattern: string, v: PermalinkValues): string {
  const [year = '', month = '', day = ''] = v.date?.split('-') ?? [];
  const values: Record<string, string> = {
    year, month, day, i_month: String(Number(month)), i_day: String(Number(day)), short_year: year.slice(2),
    title: v.title !== undefined ? slugify(v.title) : v.slug,
    slug: v.slug, slugorfilename: v.slug, slugorcontentbasename: v.slug,
    categories: (v.categories ?? []).map((c) => slugify(c)).join('/'),
    section: v.section ?? '', sections: v.section ?? '',
    filename: v.filename ?? v.slug, contentbasename: v.filename ?? v.slug,
    output_ext: '.html', yearday: '',
  };
  const expanded = pattern.replace(/:(\w+)/g, (all, name: string) => values[name] ?? all);
  return `/${expanded.split('/').filter(Boolean).join('/')}${expanded.endsWith('/') ? '/' : ''}`.replace(/^\/\/$/, '/');
}
