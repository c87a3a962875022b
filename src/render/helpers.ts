import type Handlebars from 'handlebars';
import { formatDate as format, parseDate } from '../content/dates.js';
import { absoluteUrl, siteUrl, type UrlConfig } from '../site/urls.js';
import { scriptSafeJson, structuredData, type StructuredDataContext } from './structured-data.js';

/** What the helpers need from the config. */
export interface HelperOptions extends UrlConfig {
  language: string;
  timezone: string;
  /** The config's own helpers, registered after the built-in ones (so one of the same name replaces it). @default {} */
  helpers?: Readonly<Record<string, (...args: unknown[]) => unknown>>;
}

const styles = new Set(['full', 'long', 'medium', 'short']);

/**
 * Registers the template helpers:
 * `url` (site path → link with base path), `absUrl`, `formatDate` (site language and time zone),
 * `eq`, `json` (script-safe JSON of a value), `jsonLd` (the same, for `<script type="application/ld+json">`) and
 * `structuredData` (a page's schema.org object, from its context: `{{jsonLd (structuredData @root)}}`).
 */
export function registerHelpers(hb: typeof Handlebars, options: HelperOptions): void {
  hb.registerHelper('url', (value: unknown) => siteUrl(options, typeof value === 'string' ? value : ''));
  hb.registerHelper('absUrl', (value: unknown) => {
    const text = typeof value === 'string' ? value : '';
    // Page URLs already carry the base path; strip it so absoluteUrl adds it once.
    const sitePath = text.startsWith(options.basePath) ? text.slice(options.basePath.length) : text;
    return absoluteUrl(options, sitePath);
  });
  hb.registerHelper('formatDate', function (this: unknown, ...args: unknown[]) {
    const helperOptions = args.pop() as Handlebars.HelperOptions;
    const [value, style] = args;
    const iso = typeof value === 'object' && value !== null && 'iso' in value ? String((value as { iso: unknown }).iso) : String(value ?? '');
    const date = parseDate(iso, options.timezone);
    if (typeof date === 'string') return iso;
    const hash = helperOptions.hash as Intl.DateTimeFormatOptions;
    const intl: Intl.DateTimeFormatOptions =
      Object.keys(hash).length > 0
        ? hash
        : { dateStyle: (typeof style === 'string' && styles.has(style) ? style : 'long') as Intl.DateTimeFormatOptions['dateStyle'] };
    return format(date, options.language, options.timezone, intl);
  });
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('json', (value: unknown) => new hb.SafeString(scriptSafeJson(value)));
  hb.registerHelper('jsonLd', (value: unknown) => new hb.SafeString(scriptSafeJson(value)));
  hb.registerHelper('structuredData', (context: unknown) => structuredData(context as StructuredDataContext));
  for (const [name, helper] of Object.entries(options.helpers ?? {})) hb.registerHelper(name, namedHelper(name, helper));
}

/**
 * A config helper whose failure names it: `the helper "name" failed: …`, which the render stage turns into a
 * TemplateRender diagnostic at the template line that calls it. `this` stays the context, as Handlebars gives it.
 */
function namedHelper(name: string, helper: (...args: unknown[]) => unknown): Handlebars.HelperDelegate {
  return function (this: unknown, ...args: unknown[]) {
    try {
      return helper.apply(this, args);
    } catch (cause) {
      throw new Error(`the helper "${name}" failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
  };
}
