/**
 * The output must be valid and accessible, checked with the real tools: the Nu Html Checker (vnu) over every
 * HTML page of two built blogs and the theme's CSS, and axe-core in headless Chromium over one page of every
 * kind, in light and dark colour schemes, on a phone and a desktop width, served under the sub-path /blog/.
 * The suites tagged `chromium` and `java` are skipped without those programs, outside CI (see helpers/tools.ts).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AxeResults } from 'axe-core';
import { parseHTML } from 'linkedom';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { build } from '../src/build.js';
import { FIXED_NOW, fixturePath, listFiles } from './helpers/build-fixture.js';
import { launchChromium, serveStatic, type StaticServer } from './helpers/browser.js';
import { formatVnuMessages, isVnuError, runVnu, type VnuMessage } from './helpers/vnu.js';

const projectRoot = fileURLToPath(new URL('../', import.meta.url));
const themeCss = path.join(projectRoot, 'templates/assets/style.css');
const axeScript = path.join(projectRoot, 'node_modules/axe-core/axe.min.js');

let tmp: string;
let kitchenSinkOut: string;
let exampleOut: string;
/** The tag filter's fixture: raw HTML with <title> in prose, an <iframe> embed, a page of HTML from Hugo. */
let tagfilterOut: string;
/** Related posts, author pages and every kind of local image (post-extras). */
let postExtrasOut: string;
let canaryDir: string;
/** Sites extended from their config: KaTeX math and external links from npm plugins; a theme, helpers, partials, data. */
let extendedOuts: string[];
/** Started as soon as both sites are built, so the JVM runs while the browser tests do. */
let vnuRun: Promise<{ messages: VnuMessage[] } | { failure: unknown }>;
let server: StaticServer;
let browser: Browser;

async function buildInto(root: string, out: string): Promise<void> {
  // No markdown cache: it would land in the fixture (or the project's own node_modules).
  const result = await build({ root, out, now: FIXED_NOW, cache: false });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.ok) throw new Error(`build of ${root} failed:\n${errors.map((d) => `${d.code}: ${d.message}`).join('\n')}`);
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-validators-'));
  kitchenSinkOut = path.join(tmp, 'kitchen-sink');
  exampleOut = path.join(tmp, 'example');
  tagfilterOut = path.join(tmp, 'tagfilter');
  canaryDir = path.join(tmp, 'canary');
  extendedOuts = ['math-plugins', 'extending', 'json-config'].map((name) => path.join(tmp, name));
  postExtrasOut = path.join(tmp, 'post-extras');
  await Promise.all([buildInto(fixturePath('kitchen-sink'), kitchenSinkOut), buildInto(projectRoot, exampleOut), buildInto(fixturePath('tagfilter'), tagfilterOut),
    buildInto(fixturePath('post-extras'), postExtrasOut), ...extendedOuts.map((out) => buildInto(fixturePath(path.basename(out)), out))]);

  // Known-bad files in the same run prove vnu really checks HTML and CSS (a silent no-op would pass otherwise).
  await fs.mkdir(canaryDir);
  await fs.writeFile(path.join(canaryDir, 'bad.html'), '<!doctype html><html lang="en"><head><title>x</title></head><body><p><div>x</div></p><img src="a.png"></body></html>');
  await fs.writeFile(path.join(canaryDir, 'bad.css'), 'a { colr: red; }\n');
  // Each tool only when its tests run: the `java` and `chromium` tags skip them when it is missing.
  if (inject('hasJava')) {
    vnuRun = runVnu([kitchenSinkOut, exampleOut, tagfilterOut, postExtrasOut, ...extendedOuts, themeCss, canaryDir], { alsoCheckCss: true }).then(
      (messages) => ({ messages }),
      (failure: unknown) => ({ failure }),
    );
  }
  if (inject('chromiumPath')) {
    [server, browser] = await Promise.all([serveStatic(kitchenSinkOut, { basePath: '/blog/' }), launchChromium()]);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await vnuRun?.catch(() => undefined);
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

/** One page of every kind the theme renders, as paths under /blog/. */
const pages = [
  { name: 'post with every markdown feature', path: 'posts/kitchen-sink/', status: 200 },
  { name: 'post titled by its # heading', path: 'posts/a-post-without-title/', status: 200 },
  { name: 'home page 1', path: '', status: 200 },
  { name: 'home page 2', path: 'page/2/', status: 200 },
  { name: 'tag page', path: 'tags/markdown/', status: 200 },
  { name: 'tag page 2', path: 'tags/markdown/page/2/', status: 200 },
  { name: 'tag index', path: 'tags/', status: 200 },
  { name: 'author page', path: 'authors/kit/', status: 200 },
  { name: 'standalone page', path: 'colophon/', status: 200 },
  // A missing page: the host answers with 404.html, so its links and CSS must work from any depth.
  { name: '404', path: 'no/such/page/', status: 404 },
] as const;

/** Screenshots of every page checked, per colour scheme and width, for a person to review (git-ignored). */
const screenshotDir = path.join(projectRoot, 'test/.screenshots');

const colorSchemes = ['light', 'dark'] as const;
const widths = [375, 1280] as const;

interface PageVisit {
  page: Page;
  context: BrowserContext;
  documentStatus: number | undefined;
  /** Every response with status >= 400 and every failed request, except the 404 page's own document. */
  badRequests: string[];
  consoleErrors: string[];
  requested: string[];
}

async function visit(sitePath: string): Promise<PageVisit> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const url = server.url(sitePath);
  const result: PageVisit = { page, context, documentStatus: undefined, badRequests: [], consoleErrors: [], requested: [] };
  page.on('request', (request) => result.requested.push(request.url()));
  page.on('response', (response) => {
    if (response.url() === url) return;
    if (response.status() >= 400) result.badRequests.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => result.badRequests.push(`failed (${request.failure()?.errorText}) ${request.url()}`));
  page.on('pageerror', (err) => result.consoleErrors.push(`uncaught: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs the main document's own 404 status; that is the point of the 404 page, not an error in it.
    if (message.location().url === url && /status of 404/.test(message.text())) return;
    // Chromium fetches /favicon.ico at the origin root by itself, sometimes; the page asks for no icon.
    if (message.location().url === `${server.origin}/favicon.ico`) return;
    result.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  result.documentStatus = response?.status();
  await page.addScriptTag({ path: axeScript });
  return result;
}

/** Runs axe over the whole document; `passes` counts the rules that passed, to prove it checked something. */
async function runAxe(page: Page): Promise<{ violations: AxeResults['violations']; passes: number }> {
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: typeof import('axe-core') };
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return { violations: results.violations, passes: results.passes.length };
  });
}

function formatViolations(violations: AxeResults['violations']): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`).join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
}

describe('kitchen-sink fixture', () => {
  // The validators only prove something if the pages they check contain every feature; this pins that.
  it('renders every markdown feature into the post the validators check', async () => {
    const html = await fs.readFile(path.join(kitchenSinkOut, 'posts/kitchen-sink/index.html'), 'utf8');
    const { document } = parseHTML(html);
    const count = (selector: string) => document.querySelectorAll(selector).length;
    expect(count('.post-content table th[style="text-align: center"]')).toBe(1);
    expect(count('.post-content td[style="text-align: right"]')).toBe(3);
    expect(count('.post-content .contains-task-list input[type="checkbox"][aria-label]')).toBe(4);
    expect(count('.post-content del')).toBe(2);
    expect(count('.post-content section.footnotes li')).toBe(2);
    expect(count('.post-content a[href^="mailto:"], .post-content a[href="http://www.example.com"]')).toBe(2);
    expect([...document.querySelectorAll('pre code')].map((c) => c.className)).toEqual(['language-ts', 'language-bash', 'language-html', '']);
    expect(count('.post-content blockquote blockquote')).toBe(1);
    expect(count('.post-content ol ul ol')).toBe(1);
    expect(count('.post-content kbd')).toBe(2);
    expect(count('.post-content abbr[title]')).toBe(1);
    expect(count('.post-content h2') && count('.post-content h3') && count('.post-content h4')).toBeGreaterThan(0);
    expect(document.querySelector('.post-content img')?.getAttribute('alt')).toBe('A small blue triangle on a light background');
    expect(document.querySelector('img.post-cover')?.getAttribute('alt')).toBe('A teal square with a white circle');
  });

  it('links each tag of a post to its own tag page under /blog/', async () => {
    const tagLinks = async (slug: string) => {
      const { document } = parseHTML(await fs.readFile(path.join(kitchenSinkOut, `posts/${slug}/index.html`), 'utf8'));
      return [...document.querySelectorAll('.tag-list a')].map((a) => `${a.textContent} ${a.getAttribute('href')}`);
    };
    expect(await tagLinks('kitchen-sink')).toEqual([
      'C++ /blog/tags/c-plus-plus/',
      'café /blog/tags/cafe/',
      'a/b testing /blog/tags/a-b-testing/',
      'markdown /blog/tags/markdown/',
    ]);
    expect(await tagLinks('a-post-without-title')).toEqual(['markdown /blog/tags/markdown/']);
  });

  it('shows each post\'s tags on list pages, without a landmark per post', async () => {
    const { document } = parseHTML(await fs.readFile(path.join(kitchenSinkOut, 'index.html'), 'utf8'));
    const summaries = [...document.querySelectorAll('.post-summary')].map((s) => ({
      title: s.querySelector('h2')?.textContent,
      tags: [...s.querySelectorAll('ul.post-summary-tags a[rel="tag"]')].map((a) => `${a.textContent} ${a.getAttribute('href')}`),
    }));
    expect(summaries).toEqual([
      { title: 'Every markdown feature', tags: ['C++ /blog/tags/c-plus-plus/', 'café /blog/tags/cafe/', 'a/b testing /blog/tags/a-b-testing/', 'markdown /blog/tags/markdown/'] },
      { title: 'A post without a title', tags: ['markdown /blog/tags/markdown/'] },
      { title: 'Notes on C++', tags: ['C++ /blog/tags/c-plus-plus/', 'markdown /blog/tags/markdown/'] },
    ]);
    expect(document.querySelectorAll('nav').length).toBe(2);
  });

  it('titles a post without `title` by its # heading, shown once', async () => {
    const { document } = parseHTML(await fs.readFile(path.join(kitchenSinkOut, 'posts/a-post-without-title/index.html'), 'utf8'));
    expect([...document.querySelectorAll('h1')].map((h) => h.textContent)).toEqual(['A post without a title']);
    expect(document.querySelector('title')?.textContent).toBe('A post without a title – Kitchen Sink');
  });
});

describe.each(pages.map((p) => [`${p.name} (/blog/${p.path})`, p] as const))('%s in Chromium', { tags: ['chromium'] }, (_, { name, path: sitePath, status }) => {
  let v: PageVisit;
  beforeAll(async () => {
    v = await visit(sitePath);
  });
  afterAll(async () => {
    await v?.context.close();
  });

  it('loads its CSS and images under /blog/ with no failed request and no console error', async () => {
    expect(v.documentStatus).toBe(status);
    expect(v.badRequests, v.badRequests.join('\n')).toEqual([]);
    expect(v.consoleErrors, v.consoleErrors.join('\n')).toEqual([]);

    // Every request stayed on the server, under the base path.
    const outside = v.requested.filter((u) => !u.startsWith(server.url()));
    expect(outside, 'requests outside /blog/').toEqual([]);

    // The theme stylesheet is the one under /blog/, loaded and applied (body is a flex column only through it).
    const sheets = await v.page.evaluate(() => [...document.styleSheets].map((s) => ({ href: s.href, rules: s.cssRules.length })));
    expect(sheets).toEqual([{ href: server.url('assets/style.css'), rules: expect.any(Number) }]);
    expect(sheets[0].rules).toBeGreaterThan(50);
    expect(await v.page.evaluate(() => getComputedStyle(document.body).display)).toBe('flex');

    // Images (cover and page-bundle image) decoded; a lazy one (every body image below a cover) once a reader
    // scrolls to it.
    await v.page.evaluate(async () => {
      for (const img of document.images) {
        if (img.loading !== 'lazy') continue;
        img.scrollIntoView();
        await img.decode().catch(() => undefined);
      }
      window.scrollTo(0, 0);
    });
    const images = await v.page.evaluate(() => [...document.images].map((img) => ({ src: img.currentSrc, ok: img.complete && img.naturalWidth > 0 })));
    expect(images.filter((img) => !img.ok), 'broken images').toEqual([]);
    if (sitePath === 'posts/kitchen-sink/') {
      expect(images.map((img) => img.src).sort()).toEqual([server.url('posts/kitchen-sink/cover.svg'), server.url('posts/kitchen-sink/triangle.svg')]);
    }
  });

  it('has no axe violations in light and dark colour schemes at 375px and 1280px (screenshots in test/.screenshots/)', async () => {
    const failures: string[] = [];
    const backgrounds = new Set<string>();
    for (const width of widths) {
      await v.page.setViewportSize({ width, height: 900 });
      for (const colorScheme of colorSchemes) {
        await v.page.emulateMedia({ colorScheme });
        backgrounds.add(await v.page.evaluate(() => getComputedStyle(document.body).backgroundColor));
        const { violations, passes } = await runAxe(v.page);
        expect(passes, 'axe passed no rule: it did not run').toBeGreaterThan(10);
        if (violations.length > 0) failures.push(`${colorScheme} ${width}px:\n${formatViolations(violations)}`);
        await fs.mkdir(screenshotDir, { recursive: true });
        await v.page.screenshot({ path: path.join(screenshotDir, `${name.replace(/\W+/g, '-')}-${colorScheme}-${width}.png`), fullPage: true });
      }
    }
    expect(failures, `axe violations on /blog/${sitePath}:\n${failures.join('\n')}`).toEqual([]);
    expect(backgrounds.size, 'the dark colour scheme must change the page colours').toBe(2);
  });

  it('does not scroll sideways on a 375px screen (long words and URLs wrap; code and tables scroll inside)', async () => {
    await v.page.setViewportSize({ width: 375, height: 800 });
    const overflow = await v.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
  });
});

describe('keyboard use in Chromium', { tags: ['chromium'] }, () => {
  it('reaches the skip link first, shows it, and outlines every focused link in light and dark', async () => {
    const v = await visit('');
    try {
      for (const colorScheme of colorSchemes) {
        // Reduced motion: no smooth scrolling, so positions are final when measured.
        await v.page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
        // As on a fresh load: at the top, nothing focused.
        await v.page.evaluate(() => {
          (document.activeElement as HTMLElement | null)?.blur();
          window.scrollTo({ top: 0, behavior: 'instant' });
        });
        await v.page.keyboard.press('Tab');
        const skip = await v.page.evaluate(async () => {
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
          const el = document.activeElement as HTMLElement;
          const box = el.getBoundingClientRect();
          return { className: el.className, href: el.getAttribute('href'), top: box.top, bottom: box.bottom, outline: getComputedStyle(el).outlineStyle };
        });
        expect(skip).toMatchObject({ className: 'skip-link', href: '#main' });
        expect(skip.top, 'the focused skip link is on screen').toBeGreaterThanOrEqual(0);
        expect(skip.bottom).toBeGreaterThan(skip.top);
        // Every further stop (header, posts, tags, pagination, footer) shows a focus outline of 2px or more.
        const stops: string[] = [];
        for (let i = 0; i < 40; i++) {
          await v.page.keyboard.press('Tab');
          const stop = await v.page.evaluate(() => {
            const el = document.activeElement as HTMLElement;
            if (el === document.body) return null;
            const style = getComputedStyle(el);
            return { text: el.textContent?.trim() ?? '', outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
          });
          if (!stop) break;
          stops.push(stop.text);
          expect(stop.outline, `focus outline of "${stop.text}" (${colorScheme})`).not.toBe('none');
          expect(stop.width).toBeGreaterThanOrEqual(2);
        }
        expect(stops).toContain('markdown');
        expect(stops).toContain('Older posts →');
      }
    } finally {
      await v.context.close();
    }
  });
});

describe('Nu Html Checker', { tags: ['java'] }, () => {
  // Declared last: vnu runs since beforeAll, so the JVM works while the browser tests above run.
  it('finds no errors in any page of the kitchen-sink, tagfilter, post-extras and extended fixtures and the example blog, nor in the theme CSS', async () => {
    const htmlCount = async (dir: string) => (await listFiles(dir)).filter((f) => f.endsWith('.html')).length;
    expect(await htmlCount(kitchenSinkOut)).toBeGreaterThanOrEqual(18);
    expect(await htmlCount(exampleOut)).toBeGreaterThanOrEqual(10);
    expect(await htmlCount(tagfilterOut)).toBeGreaterThanOrEqual(8);
    expect(await htmlCount(postExtrasOut)).toBeGreaterThanOrEqual(16);
    for (const out of extendedOuts) expect(await htmlCount(out)).toBeGreaterThanOrEqual(4);

    const run = await vnuRun;
    if ('failure' in run) throw run.failure;
    const canary = run.messages.filter((m) => m.url?.startsWith(`file:${canaryDir}`));
    const canaryFiles = new Set(canary.filter(isVnuError).map((m) => path.basename(m.url!)));
    expect([...canaryFiles].sort(), 'vnu must flag the known-bad HTML and CSS, or it checked nothing').toEqual(['bad.css', 'bad.html']);

    const messages = run.messages.filter((m) => !m.url?.startsWith(`file:${canaryDir}`));
    const errors = messages.filter(isVnuError);
    const warnings = messages.filter((m) => !isVnuError(m));
    if (warnings.length > 0) console.warn(`vnu warnings:\n${formatVnuMessages(warnings, tmp)}`);
    expect(errors, `vnu errors:\n${formatVnuMessages(errors, tmp)}`).toEqual([]);
  });
});
