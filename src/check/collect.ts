import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';

/** What a reference loads: a page to navigate to, an image, or another resource (stylesheet, script). */
export type ReferenceKind = 'link' | 'image' | 'resource';

/** A URL found in an output file. */
export interface Reference {
  kind: ReferenceKind;
  /** The URL as written in the file (entities decoded). */
  url: string;
  /** The URL it is resolved against: the page's own URL, or a feed item's link. */
  base: string;
  /** For feed items: the item's link, so problems map back to the post. */
  item?: string;
}

/** The references and the fragment targets (`id`, `<a name>`) of one HTML document. */
export interface HtmlScan {
  references: Reference[];
  ids: Set<string>;
}

/** Rel values whose href is another origin or this very page: nothing to check. */
const skippedRels = new Set(['preconnect', 'dns-prefetch', 'me', 'webmention', 'pingback', 'external']);

/** Collects every URL an HTML page links to or loads, and every id it defines. `base` is the page's URL. */
export function scanHtml(html: string, base: string, item?: string): HtmlScan {
  const tree: Root = fromHtml(html);
  const references: Reference[] = [];
  const ids = new Set<string>();
  let documentBase = base;
  const add = (kind: ReferenceKind, url: unknown) => {
    if (typeof url === 'string' && url.trim() !== '') references.push({ kind, url: url.trim(), base: documentBase, item });
  };
  visit(tree, 'element', (node: Element) => {
    const p = node.properties;
    if (typeof p.id === 'string' && p.id !== '') ids.add(p.id);
    switch (node.tagName) {
      case 'base':
        if (typeof p.href === 'string') documentBase = new URL(p.href, base).href;
        break;
      case 'a':
        if (typeof p.name === 'string' && p.name !== '') ids.add(p.name);
        add('link', p.href);
        break;
      case 'area':
        add('link', p.href);
        break;
      case 'link': {
        const rels = Array.isArray(p.rel) ? p.rel.map(String) : [];
        if (rels.some((rel) => skippedRels.has(rel))) break;
        add(rels.some((rel) => rel === 'icon' || rel === 'apple-touch-icon') ? 'image' : rels.includes('stylesheet') ? 'resource' : 'link', p.href);
        break;
      }
      case 'img':
        add('image', p.src);
        for (const url of srcsetUrls(p.srcSet)) add('image', url);
        break;
      case 'source':
        add('resource', p.src);
        for (const url of srcsetUrls(p.srcSet)) add('image', url);
        break;
      case 'video':
        add('resource', p.src);
        add('image', p.poster);
        break;
      case 'audio':
      case 'track':
      case 'embed':
      case 'iframe':
      case 'script':
        add('resource', p.src);
        break;
      case 'object':
        add('resource', p.data);
        break;
      case 'meta': {
        const name = String(p.property ?? p.name ?? '');
        if (name === 'og:image' || name === 'twitter:image') add('image', p.content);
        break;
      }
    }
  });
  return { references, ids };
}

/** hast gives `srcset` as a list of "url descriptor" candidates. */
function srcsetUrls(value: unknown): string[] {
  const candidates = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : [];
  return candidates.map((candidate) => candidate.trim().split(/\s+/)[0]).filter(Boolean);
}

/**
 * Collects the URLs of a feed or sitemap: `<link>`, `<loc>`, `<guid isPermaLink="true">`, `href="…"` attributes, and
 * the HTML of RSS's `<content:encoded>` and Atom's `<content type="html">`, resolved against its item's or entry's
 * link.
 */
export function scanXml(xml: string, base: string): Reference[] {
  const references: Reference[] = [];
  for (const block of xml.split(/(?=<(?:item|entry)[\s>])/)) {
    const isEntry = /^<entry[\s>]/.test(block);
    const isItem = isEntry || /^<item[\s>]/.test(block);
    const itemLink = !isItem ? undefined
      : isEntry ? (/<link\b[^>]*\brel="alternate"[^>]*\bhref="([^"]*)"/.exec(block) ?? /<link\b(?![^>]*\brel=)[^>]*\bhref="([^"]*)"/.exec(block))?.[1]
        : /<link>([^<]*)<\/link>/.exec(block)?.[1];
    const item = itemLink !== undefined ? decodeXml(itemLink.trim()) : undefined;
    const withoutContent = block.replace(htmlContent, '');
    for (const m of withoutContent.matchAll(/<(link|loc)>([^<]*)<\/\1>/g)) references.push({ kind: 'link', url: decodeXml(m[2].trim()), base, item });
    for (const m of withoutContent.matchAll(/<guid\s+isPermaLink="true"\s*>([^<]*)<\/guid>/g)) references.push({ kind: 'link', url: decodeXml(m[1].trim()), base, item });
    for (const m of withoutContent.matchAll(/\shref="([^"]*)"/g)) references.push({ kind: 'link', url: decodeXml(m[1]), base, item });
    for (const m of block.matchAll(htmlContent)) {
      const html = unwrapCdata(m[1] ?? m[2]);
      const itemBase = item ? new URL(item, base).href : base;
      references.push(...scanHtml(html, itemBase, item).references);
    }
  }
  return references;
}

/** RSS's `<content:encoded>` and Atom's `<content type="html">`: HTML, as CDATA or escaped text. */
const htmlContent = /<content:encoded>([\s\S]*?)<\/content:encoded>|<content\s+type="html"\s*>([\s\S]*?)<\/content>/g;

/** Whether a JSON file is a JSON Feed (its `version` is a jsonfeed.org URL). */
export function isJsonFeed(text: string): boolean {
  return /^\s*\{/.test(text) && /"version"\s*:\s*"https:\/\/jsonfeed\.org\/version\//.test(text);
}

/**
 * Collects the URLs of a JSON Feed: `home_page_url`, `feed_url`, each item's `url` and `image`, and the links and
 * images of its `content_html`, resolved against the item's `url`. A file that is not valid JSON gives none.
 */
export function scanJsonFeed(text: string, base: string): Reference[] {
  let feed: unknown;
  try {
    feed = JSON.parse(text);
  } catch {
    // A .json file that is not JSON is no feed: nothing to follow (it is copied as it is).
    return [];
  }
  if (!isObject(feed)) return [];
  const references: Reference[] = [];
  const add = (kind: ReferenceKind, url: unknown, item?: string) => {
    if (typeof url === 'string' && url.trim() !== '') references.push({ kind, url: url.trim(), base, item });
  };
  add('link', feed.home_page_url);
  add('link', feed.feed_url);
  add('image', feed.icon);
  for (const entry of Array.isArray(feed.items) ? feed.items : []) {
    if (!isObject(entry)) continue;
    const item = typeof entry.url === 'string' ? entry.url : undefined;
    add('link', entry.url, item);
    add('image', entry.image, item);
    if (typeof entry.content_html === 'string') {
      references.push(...scanHtml(entry.content_html, item ? new URL(item, base).href : base, item).references);
    }
  }
  return references;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unwrapCdata(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('<![CDATA[')) return decodeXml(trimmed);
  // A CDATA section containing "]]>" is split into several sections.
  return trimmed.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (all, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (entity[0] !== '#') return named[entity.toLowerCase()] ?? all;
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : all;
  });
}
