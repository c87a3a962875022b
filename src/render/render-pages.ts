import { createHash } from 'node:crypto';
import type { ResolvedConfig } from '../config/schema.js';
import { error, type Diagnostic } from '../diagnostics/error.js';
import type { RenderedPost, Site } from '../site/model.js';
import { outputPath } from '../site/urls.js';
import { isWellFormed } from '../site/xml.js';
import { createViews } from './context.js';
import { isSiteKeyable, routeKey, sameItems, siteJsonOf } from './page-keys.js';
import type { RouteKeys } from './route-keys.js';
import { siteRoutes, type FileRoute, type Route } from './routes.js';
import type { CompiledTemplate, Theme } from './templates.js';

/**
 * A file to write: text or bytes rendered here, a file copied from `source`, or a page whose rendering was put
 * off (`render`), to the writer, which renders it when it needs the bytes. `hash` is the SHA-1 of the bytes when
 * known without making them (the same inputs rendered before): the writer keeps an old file with that hash
 * without rendering. `onHash` is told the hash of the bytes the writer made.
 */
export type OutputFile =
  | { path: string; contents: string | Uint8Array; hash?: undefined; onHash?: (hash: string) => void; source?: undefined; render?: undefined }
  | { path: string; source: string; contents?: undefined; hash?: undefined; onHash?: undefined; render?: undefined }
  | { path: string; render: () => string | Uint8Array; hash?: string; onHash?: (hash: string) => void; contents?: undefined; source?: undefined };

/**
 * What pages rendered to in earlier builds, by render key (the build hands in the store's; see `storedPageHashes`):
 * the memo that decides whether a page is rendered again.
 */
export interface PageHashes {
  /** The SHA-1 of the bytes `key` rendered to in an earlier build, or undefined. */
  recall(key: string): string | undefined;
  /** Records what `key` renders to. */
  remember(key: string, hash: string): void;
}

/** A page rendered by an earlier build: its key, and in memory the objects it was made from (compared by identity). */
export interface RememberedPage {
  renderKey: string;
  contents: Uint8Array;
  deps?: readonly unknown[];
}

/** Pages rendered by earlier builds of this process, by output path (the dev server hands in its memory store's). */
export interface PageMemo {
  recall(path: string): RememberedPage | undefined;
  remember(path: string, page: RememberedPage): void;
}

/** Options for {@link renderPages}. */
export interface RenderPagesOptions {
  /**
   * Everything besides a page's context that decides its HTML (templates, helpers, config, versions; see
   * `renderCacheSalt`). With `hashes`, each page gets a render key: a hash of this salt and its context.
   */
  renderSalt?: string;
  /** What pages rendered to before, by render key: a page it knows is left to the writer, with its hash. */
  hashes?: PageHashes;
  /**
   * The key a page had in an earlier build, when every input of every page is known to be unchanged since (the
   * same site fingerprint): used instead of computing it, which is most of a no-change rebuild's page work.
   */
  previousKey?: (path: string) => string | undefined;
  /** Told each page's render key (to be its `previousKey` in a later build). */
  onKey?: (path: string, renderKey: string) => void;
  /**
   * Pages rendered by earlier builds in this process (the dev server), by output path; a page whose key (and
   * objects) are unchanged reuses its bytes instead of being rendered. Without `hashes`, keys are the inputs
   * themselves (salt, template, path, context JSON) rather than their hash: they are only compared in memory.
   */
  memo?: PageMemo;
  /**
   * Names of rendered posts' HTML: equal names, equal HTML. The markdown cache's keys, or hashes of the HTML from
   * earlier builds (a build state's `htmlKeys`); a post without one has its HTML hashed, once.
   */
  htmlKeys?: WeakMap<RenderedPost, string>;
  /**
   * Leave every page to be rendered by the writer (`render`), which writes and drops it before rendering the
   * next: 10,000 post pages are never all in memory. A page that fails to render then adds its diagnostic to
   * the returned array while the writer runs, and gives an empty page; the build must check the diagnostics
   * again after writing and abort. Ignored with `memo`. @default false
   */
  defer?: boolean;
  /** The data files' values, given to every template as `data` (see content/load-data.ts). @default {} */
  data?: Readonly<Record<string, unknown>>;
  /**
   * A key naming every input of the files made without the theme (feeds, sitemap, robots.txt, aliases): the site
   * fingerprint. With it and `hashes`, those files are made by the writer, and only when the previous output does
   * not hold what they were made into under the same key; a no-change rebuild then never renders its feeds.
   * @default undefined (made here)
   */
  fileKey?: string;
  /**
   * Keys of pages and files from the site's structure and the bodies they show (see route-keys.ts), used before
   * `fileKey` and before hashing a page's data. @default undefined
   */
  routeKeys?: RouteKeys;
  /**
   * Post and list pages rendered while the markdown workers still ran (see early-post-pages.ts), by
   * {@link prerenderedId}: used as they are, their keys told to `onKey`. @default undefined
   */
  prerendered?: ReadonlyMap<string, PrerenderedPage>;
}

/** A page rendered ahead of the other pages (keyed with them: see renderRoutes). */
export interface PrerenderedPage {
  contents: Uint8Array;
  kind: Route['kind'];
}

/** Names a page among prerendered ones: its output path and its source file (a post's; none for a list page). */
export function prerenderedId(path: string, route: Route): string {
  return `${path}\0${route.origin?.file ?? ''}`;
}

/**
 * Renders every page of the site through the theme, then the other files (`files`: feed, sitemap, copies), as
 * routes. Returns the routes too, for counts.
 */
export function renderPages(site: Site, config: ResolvedConfig, theme: Theme, generator: string, options: RenderPagesOptions = {}, files: FileRoute[] = []): { files: OutputFile[]; diagnostics: Diagnostic[]; routes: (Route | FileRoute)[] } {
  const views = createViews(site, config, generator, options.data);
  const isKeyable = isSiteKeyable(site);
  const routes = [...siteRoutes(site, config, views, options.htmlKeys), ...files];
  return { ...renderRoutes(routes, theme, { ...options, isKeyable, siteJson: siteJsonOf(views) }), routes };
}

/**
 * Renders routes through the theme, one function for every kind of page: a page whose key an earlier build
 * rendered (`hashes`, or the in-memory memo) is not rendered now; with `defer`, pages are rendered by the writer.
 * A template that fails to render is reported once and its other pages are left out.
 */
export function renderRoutes(routes: (Route | FileRoute)[], theme: Theme, options: RenderPagesOptions & { isKeyable: boolean; siteJson: string }): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const files: OutputFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const failed = new Set<string>();
  const encoder = new TextEncoder();
  const isKeyed = (options.hashes !== undefined || options.memo !== undefined) && options.isKeyable;
  // In memory only (the dev server), a page's key is cheap: the objects it is made from, compared by identity
  // (rendered posts are the same objects while unchanged), and a short text of the rest.
  const inMemory = options.memo !== undefined && options.hashes === undefined;
  const keySalt = `${options.renderSalt ?? ''}\0${options.siteJson}`;
  // The site-wide context (the navigation's page titles among it) in the in-memory keys too, as a short hash.
  const memorySalt = `${options.renderSalt ?? ''}\0${createHash('sha1').update(options.siteJson).digest('hex')}`;

  for (const route of routes) {
    if (!('template' in route)) {
      files.push(fileOutput(route, options));
      continue;
    }
    const template = route.template;
    if (failed.has(template)) continue;
    const page = theme.pages[template];
    const path = route.path === '404.html' ? route.path : outputPath(route.path);
    let made: Record<string, unknown> | undefined;
    const context = () => (made ??= route.data());
    const renderNow = () => {
      const pageContext = context();
      // A deferred page is rendered long after its key: its context is not kept once the page is made.
      made = undefined;
      const body = page.render(pageContext, { allowProtoPropertiesByDefault: false });
      return htmlText(theme.pages.layout.render({ ...pageContext, body }, { allowProtoPropertiesByDefault: false }));
    };
    const { renderKey, deps } = isKeyed ? routeKey(route, path, context, { inMemory, keySalt, memorySalt, previousKey: options.previousKey, routeKeys: options.routeKeys, onKey: options.onKey }) : { renderKey: undefined, deps: [] };
    const early = options.prerendered?.get(prerenderedId(path, route));
    if (early) {
      // Rendered while the workers ran, from the same site model; keyed here as every other page is (by the site's
      // structure, without its data's JSON, unless that cannot be had), so a later build finds it by the same key.
      files.push({ path, contents: early.contents, onHash: hashing(renderKey, options.hashes, () => false).onHash });
      continue;
    }
    const reportFailure = (cause: unknown) => reportRenderFailure(cause, template, [page, theme.pages.layout, ...theme.partials.values()], failed, diagnostics);
    /** Rendering left to the writer: a failure is reported like one here, and stops this template's other pages. */
    const renderLater = () => {
      if (failed.has(template)) return '';
      try {
        return renderNow();
      } catch (cause) {
        reportFailure(cause);
        return '';
      }
    };
    const { hash, onHash } = hashing(renderKey, options.hashes, () => failed.has(template));
    if (hash !== undefined) {
      // The same inputs rendered without error before: templates are deterministic, so these are the same bytes.
      // The writer renders the page only if the output does not hold them already.
      files.push({ path, render: renderLater, hash });
      continue;
    }
    if (options.defer && !options.memo) {
      files.push({ path, render: renderLater, onHash });
      continue;
    }
    const remembered = renderKey !== undefined ? options.memo?.recall(path) : undefined;
    if (remembered && remembered.renderKey === renderKey && sameItems(remembered.deps ?? [], deps)) {
      files.push({ path, contents: remembered.contents });
      continue;
    }
    try {
      const html = renderNow();
      if (options.memo && renderKey !== undefined) {
        const contents = encoder.encode(html);
        options.memo.remember(path, { renderKey, contents, deps });
        files.push({ path, contents, onHash: inMemory ? undefined : onHash });
      } else files.push({ path, contents: html, onHash });
    } catch (cause) {
      reportFailure(cause);
    }
  }
  return { files, diagnostics };
}

/** A file route's output: copied from its source, else made now or, when its key was rendered before, by the writer. */
function fileOutput(route: FileRoute, options: RenderPagesOptions): OutputFile {
  if (route.source !== undefined) return { path: route.path, source: route.source };
  const fileKey = options.routeKeys?.file(route) ?? (options.fileKey === undefined ? undefined : `file\0${options.fileKey}\0${route.path}`);
  if (fileKey !== undefined && options.hashes) return { path: route.path, render: route.contents!, ...hashing(fileKey, options.hashes, () => false) };
  return { path: route.path, contents: route.contents!() };
}

/**
 * What an earlier build rendered `key` to (`hash`), else `onHash`, which keeps the hash of what the writer makes
 * unless the page failed to render.
 */
function hashing(key: string | undefined, hashes: PageHashes | undefined, hasFailed: () => boolean): { hash?: string; onHash?: (hash: string) => void } {
  if (key === undefined || !hashes) return {};
  const hash = hashes.recall(key);
  return hash !== undefined ? { hash } : { onHash: (made) => void (hasFailed() || hashes.remember(key, made)) };
}

/** Records a template that failed to render: once per distinct error, and its other pages are left out. */
function reportRenderFailure(cause: unknown, template: string, templates: Parameters<typeof renderError>[1], failed: Set<string>, diagnostics: Diagnostic[]): void {
  failed.add(template);
  const diagnostic = renderError(cause, templates);
  // A failing partial or helper in the layout fails every template the same way: one diagnostic says it.
  const isKnown = diagnostics.some((d) => d.message === diagnostic.message && d.loc?.file === diagnostic.loc?.file && d.loc?.line === diagnostic.loc?.line);
  if (!isKnown) diagnostics.push(diagnostic);
}

/** A Handlebars runtime error, located in the template that mentions the missing helper or partial. */
function renderError(cause: unknown, templates: CompiledTemplate[]): Diagnostic {
  const message = String((cause as Error).message ?? cause);
  const failedHelper = /^the helper "([^"]+)" failed/.exec(message)?.[1];
  const name = /Missing helper: "([^"]+)"/.exec(message)?.[1] ?? /The partial (\S+) could not be found/.exec(message)?.[1] ?? failedHelper;
  for (const template of templates) {
    const needle = name && (message.startsWith('The partial') ? new RegExp(`{{#?>\\s*${escape(name)}\\b`) : new RegExp(`(?:{{[#~]?|\\()\\s*${escape(name)}\\b`));
    const index = needle ? template.source.search(needle) : -1;
    if (index >= 0) {
      const before = template.source.slice(0, index);
      const line = before.split('\n').length;
      const problem = message.startsWith('The partial') ? 'missing-partial' : failedHelper ? 'helper-failed' : 'missing-helper';
      return error('TemplateRender', { problem, reason: message, name: name! },
        { file: template.file, line, column: index - before.lastIndexOf('\n'), length: name!.length + 2 }, cause);
    }
  }
  return error('TemplateRender', { problem: 'other', reason: message }, { file: templates[0].file }, cause);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Characters an HTML document may not hold: controls other than ASCII whitespace, noncharacters and lone surrogates.
 * Front matter can carry them (YAML `"\x01"`), and the Nu Html Checker rejects the page; they show nothing anyway.
 */
const notHtmlChar = /[^\P{Cc}\t\n\f\r]|\p{Noncharacter_Code_Point}|\p{Cs}/gu;
/**
 * A fast first look at every page (a plain class without the `u` flag scans ~6× faster than the exact pattern): any
 * control or BMP noncharacter, or the low surrogate of a supplementary noncharacter (U+1FFFE… end in \udffe or
 * \udfff); lone surrogates are found by isWellFormed, so emoji no longer send every page to the exact pattern.
 */
const maybeNotHtmlChar = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f\udffe\udfff\ufdd0-\ufdef\ufffe\uffff]/;

/** A rendered page without the characters HTML forbids. */
function htmlText(html: string): string {
  return maybeNotHtmlChar.test(html) || !isWellFormed(html) ? html.replace(notHtmlChar, '') : html;
}
