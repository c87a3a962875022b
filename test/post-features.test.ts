/**
 * What a reader sees in a post: highlighted code (at build time, no script), `#` links on headings, a table of
 * contents, and `<!-- more -->` excerpts on list pages. Built from the post-features fixture and small blogs written
 * here, parsed with a DOM parser.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics/format.js';
import { buildFixture, fixturePath, type FixtureBuild } from './helpers/build-fixture.js';

let site: FixtureBuild;
let scratch: string;
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-post-features-'));
  site = await buildFixture('post-features', { cache: false });
  expect(site.ok).toBe(true);
});
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

const dom = (html: string) => parseHTML(html).document;

/** Writes a one-folder blog and builds it in memory; `cacheDir` keeps a persistent cache between builds. */
async function buildBlog(name: string, config: object, posts: Record<string, string>, cacheDir?: string): Promise<FixtureBuild> {
  const root = path.join(scratch, name);
  await fs.mkdir(path.join(root, 'posts'), { recursive: true });
  await fs.writeFile(path.join(root, 'blogbuild.config.json'), JSON.stringify({ title: 'T', url: 'https://example.org/', ...config }));
  for (const [file, text] of Object.entries(posts)) await fs.writeFile(path.join(root, 'posts', file), text);
  const result = await buildFixture(root, cacheDir ? { cacheDir } : { cache: false });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result;
}

describe('syntax highlighting', () => {
  const blocks = () => {
    const document = dom(site.read('posts/code/index.html'));
    return new Map([...document.querySelectorAll('pre > code')].map((code) => [code.getAttribute('class') || '(none)', code]));
  };

  it('colours code in every common language and alias with token spans, and no script', () => {
    const found = blocks();
    for (const language of ['js', 'ts', 'sh', 'shell', 'bash', 'yml', 'yaml', 'html', 'py', 'json', 'css', 'diff', 'md']) {
      const code = found.get(`language-${language}`);
      expect(code, language).toBeDefined();
      expect(code!.querySelectorAll('span.token').length, language).toBeGreaterThan(0);
      expect(code!.parentElement!.classList.contains('highlight'), language).toBe(true);
    }
    const document = dom(site.read('posts/code/index.html'));
    expect([...document.querySelectorAll('script')].filter((s) => s.getAttribute('type') !== 'application/ld+json')).toEqual([]);
  });

  it('keeps the code text exactly as written', () => {
    const js = blocks().get('language-js')!;
    expect(js.textContent).toBe('const answer = 42; // the answer\n');
    expect(js.querySelector('.token.keyword')?.textContent).toBe('const');
    expect(js.querySelector('.token.comment')?.textContent).toBe('// the answer');
    const html = blocks().get('language-html')!;
    expect(html.textContent).toBe('<p class="note">Hello</p>\n');
    expect(html.querySelector('.token.tag')).not.toBeNull();
    const diff = blocks().get('language-diff')!;
    expect(diff.querySelector('.token.deleted')?.textContent).toBe('- old line\n');
    expect(diff.querySelector('.token.inserted')?.textContent).toBe('+ new line\n');
  });

  it('leaves an unknown language, `text` and code without a language plain, and warns about the unknown one at its line', () => {
    const found = blocks();
    for (const name of ['language-klingon', 'language-text', '(none)']) {
      expect(found.get(name)!.querySelector('span'), name).toBeNull();
      expect(found.get(name)!.parentElement!.classList.contains('highlight'), name).toBe(false);
    }
    expect(found.get('language-klingon')!.textContent).toBe("Qapla'\n");
    const warnings = site.diagnostics.filter((d) => d.code === 'CodeLanguageUnknown');
    expect(warnings).toHaveLength(1);
    const file = path.join(fixturePath('post-features'), 'posts', '2025-03-01-code.md');
    expect(warnings[0]).toMatchObject({ severity: 'warning', loc: { file, line: 63, column: 1 } });
    expect(formatDiagnostic(warnings[0], { cwd: fixturePath('post-features') })).toContain('posts/2025-03-01-code.md:63:1: warning: code block language `klingon`');
  });

  it('warns about an unknown language at its line in a post that also has raw HTML', async () => {
    const posts = { '2025-01-01-a.md': '---\ntitle: A\ndate: 2025-01-01\n---\n<div class="cta"><a href="/shop/">Order</a></div>\n\n```nope\nx\n```\n' };
    const result = await buildBlog('raw-html', {}, posts);
    expect(result.diagnostics.filter((d) => d.code === 'CodeLanguageUnknown').map((d) => [d.loc?.line, d.loc?.column])).toEqual([[7, 1]]);
  });

  it('warns again when the post comes from the cache, and `markdown.highlight: false` turns highlighting off', async () => {
    const cacheDir = path.join(scratch, 'cache');
    const posts = { '2025-01-01-a.md': '---\ntitle: A\ndate: 2025-01-01\n---\nText.\n\n```nope\nx\n```\n\n```js\nlet x;\n```\n' };
    const first = await buildBlog('cached', {}, posts, cacheDir);
    const second = await buildBlog('cached', {}, posts, cacheDir);
    expect(second.stats.markdown?.fromCache ?? second.stats).not.toBe(0);
    for (const result of [first, second]) {
      expect(result.diagnostics.filter((d) => d.code === 'CodeLanguageUnknown').map((d) => d.loc?.line)).toEqual([7]);
      expect(dom(result.read('posts/a/index.html')).querySelector('code.language-js .token.keyword')?.textContent).toBe('let');
    }
    const off = await buildBlog('off', { markdown: { highlight: false } }, posts);
    const document = dom(off.read('posts/a/index.html'));
    expect(document.querySelector('code.language-js')?.textContent).toBe('let x;\n');
    expect(document.querySelectorAll('pre span').length).toBe(0);
    expect(off.diagnostics.filter((d) => d.code === 'CodeLanguageUnknown')).toEqual([]);
  });
});

describe('heading anchors', () => {
  it('gives each heading a `#` link to its own id, named for the section', () => {
    const document = dom(site.read('posts/guide/index.html'));
    const headings = [...document.querySelectorAll('.post-content :is(h2, h3, h4):not(.sr-only)')];
    expect(headings.map((h) => h.id)).toEqual(['getting-started', 'requirements', 'install-blogbuild', 'getting-started-1', 'a-small-heading', 'a-linked-heading']);
    for (const heading of headings.slice(0, 5)) {
      const anchor = heading.querySelector('a.heading-anchor')!;
      expect(anchor.getAttribute('href')).toBe(`#${heading.id}`);
      expect(anchor.textContent).toBe('#');
      expect(anchor.getAttribute('aria-label')).toMatch(/^Link to the section “.+”$/);
    }
    expect(headings[2].querySelector('a.heading-anchor')!.getAttribute('aria-label')).toBe('Link to the section “Install blogbuild”');
    // A heading that is a link already gets no second link inside it.
    expect(headings[5].querySelectorAll('a').length).toBe(1);
  });

  it('leaves the `#` links out of the feeds, which keep the ids', () => {
    for (const feed of ['rss.xml', 'atom.xml', 'feed.json']) {
      const text = site.read(feed);
      expect(text, feed).toContain('getting-started-1');
      expect(text, feed).not.toContain('heading-anchor');
    }
  });

  it('does not count the `#` as a word of the post', async () => {
    const body = 'One two three.\n\n## Four five\n\nSix.\n';
    const blog = await buildBlog('words', { readingSpeed: 1 }, { '2025-01-01-w.md': `---\ntitle: W\ndate: 2025-01-01\n---\n${body}` });
    expect(blog.site.posts[0].wordCount).toBe(6);
  });

  it('shows the `#` only on hover and keyboard focus, in the theme', () => {
    const css = site.read('assets/style.css');
    expect(css).toMatch(/\.heading-anchor \{[^}]*opacity: 0;/);
    expect(css).toMatch(/:is\(h1, h2, h3, h4, h5, h6\):hover > \.heading-anchor,\s*\.heading-anchor:hover,\s*\.heading-anchor:focus \{\s*opacity: 1;/);
  });
});

describe('table of contents', () => {
  it('lists h2 headings with their h3s in a named nav at the top of the post, when front matter asks', () => {
    const document = dom(site.read('posts/guide/index.html'));
    const nav = document.querySelector('nav.toc')!;
    expect(nav.getAttribute('aria-label')).toBe('Table of contents');
    // Above the post's body.
    expect(nav.nextElementSibling?.classList.contains('post-content')).toBe(true);
    const top = [...nav.querySelectorAll(':scope > ol > li')];
    const entry = (li: Element) => li.querySelector(':scope > a')!;
    expect(top.map((li) => [entry(li).textContent, entry(li).getAttribute('href')])).toEqual([
      ['Getting started', '#getting-started'],
      ['Getting started', '#getting-started-1'],
      ['A linked heading', '#a-linked-heading'],
    ]);
    expect([...top[0].querySelector(':scope > ol')!.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Requirements', '#requirements'],
      ['Install blogbuild', '#install-blogbuild'],
    ]);
    // Not GFM's visually hidden "Footnotes" heading, which gets no anchor either.
    expect(document.querySelector('#footnote-label .heading-anchor')).toBeNull();
    // Every entry's target exists on the page.
    for (const a of nav.querySelectorAll('a')) expect(document.getElementById(a.getAttribute('href')!.slice(1))).not.toBeNull();
  });

  it('is absent without `toc`, and `markdown.toc` turns it on for every post but those with `toc: false`', async () => {
    expect(dom(site.read('posts/code/index.html')).querySelector('nav.toc')).toBeNull();
    const section = '## One\n\nText.\n\n## Two\n\nText.\n';
    const posts = {
      '2025-01-01-a.md': `---\ntitle: A\ndate: 2025-01-01\n---\n${section}`,
      '2025-01-02-b.md': `---\ntitle: B\ndate: 2025-01-02\ntoc: false\n---\n${section}`,
    };
    const blog = await buildBlog('toc-config', { markdown: { toc: true } }, posts);
    expect([...dom(blog.read('posts/a/index.html')).querySelectorAll('nav.toc a')].map((a) => a.textContent)).toEqual(['One', 'Two']);
    expect(dom(blog.read('posts/b/index.html')).querySelector('nav.toc')).toBeNull();
  });

  it('refuses a `toc` that is not true or false, at its line', async () => {
    const root = path.join(scratch, 'toc-invalid');
    await fs.mkdir(path.join(root, 'posts'), { recursive: true });
    await fs.writeFile(path.join(root, 'blogbuild.config.json'), '{"title":"T"}');
    await fs.writeFile(path.join(root, 'posts', '2025-01-01-a.md'), '---\ntitle: A\ndate: 2025-01-01\ntoc: sometimes\n---\nText.\n');
    const result = await buildFixture(root, { cache: false });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.find((d) => d.code === 'FrontMatterInvalid')).toMatchObject({ message: '`toc` must be true or false', loc: { line: 4 } });
  });
});

describe('`<!-- more -->` excerpts on list pages', () => {
  const summaries = (html: string) => new Map([...dom(html).querySelectorAll('article.post-summary')].map((a) => [a.querySelector('h2 a')!.textContent, a]));

  it('shows the part before the marker on the home and tag pages, instead of the description', () => {
    for (const page of ['index.html', 'tags/code/index.html']) {
      const summary = summaries(site.read(page)).get('Excerpt with a marker')!;
      const excerpt = summary.querySelector('.post-summary-excerpt')!;
      expect(excerpt, page).not.toBeNull();
      expect(summary.querySelector('.post-summary-description'), page).toBeNull();
      expect(excerpt.querySelector('p strong')?.textContent).toBe('first part');
      expect(excerpt.querySelector('a[href="https://example.org/docs/"]')?.textContent).toBe('a link');
      // Its code is highlighted too.
      expect(excerpt.querySelector('pre code.language-js .token.keyword')?.textContent).toBe('let');
      // Not the rest of the post, not its headings, footnote references or ids (a list holds many excerpts).
      expect(excerpt.textContent).not.toContain('The rest of the post');
      expect(excerpt.textContent).not.toContain('A heading before the marker');
      expect(excerpt.querySelector('sup, [id], .heading-anchor, h2, h3')).toBeNull();
    }
  });

  it('resolves relative links and images from the post on every list page of a sub-path site', async () => {
    // Three posts with excerpts (bundles, so their images are copied beside their pages) and two pages of posts.
    const excerpt = (n: number) => [
      '---', `title: Post ${n}`, `date: 2025-01-0${n}`, 'tags: [walks]', '---', '',
      `See [the photo](photo.png), [the next part](#later), [a sibling](../post-${n % 3 + 1}/), [the query](?view=all),`,
      '[a site page](/about/) and [elsewhere](https://example.com/x).', '',
      `![A photo](./photo.png)`, '',
      '<picture><source srcset="photo.png 1x, photo.png 2x"><img src="photo.png" alt="Again"></picture>', '',
      '<!-- more -->', '', '## Later', '', 'The rest.', '',
    ].join('\n');
    const root = path.join(scratch, 'excerpt-links');
    for (const n of [1, 2, 3]) {
      await fs.mkdir(path.join(root, 'posts', `post-${n}`), { recursive: true });
      await fs.writeFile(path.join(root, 'posts', `post-${n}`, 'index.md'), excerpt(n));
      await fs.writeFile(path.join(root, 'posts', `post-${n}`, 'photo.png'), await fs.readFile(path.join(fixturePath('post-extras'), 'public/images/cover.png')));
    }
    await fs.writeFile(path.join(root, 'blogbuild.config.json'), JSON.stringify({ title: 'T', url: 'https://example.org/blog/', postsPerPage: 2 }));
    const blog = await buildFixture(root, { cache: false });
    expect(blog.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

    /** Every link and image source of a fragment, resolved as a browser resolves it on the page at `pageUrl`. */
    const targets = (element: Element, pageUrl: string) => [...element.querySelectorAll('[href], [src], [srcset]')].flatMap((node) => {
      const values = [node.getAttribute('href'), node.getAttribute('src'), ...(node.getAttribute('srcset') ?? '').split(',').map((c) => c.trim().split(/\s+/)[0])];
      return values.filter((v): v is string => !!v).map((v) => new URL(v, pageUrl).href);
    });
    const onPost = new Map<string, string[]>();
    for (const n of [1, 2, 3]) {
      const content = dom(blog.read(`posts/post-${n}/index.html`)).querySelector('.post-content')!;
      // The post page's links, in the part before the marker (up to the heading that follows it).
      const before = content.cloneNode(true) as Element;
      const heading = before.querySelector('h2');
      while (heading?.nextSibling) heading.nextSibling.remove();
      heading?.remove();
      onPost.set(`Post ${n}`, targets(before, `https://example.org/blog/posts/post-${n}/`));
    }
    expect(onPost.get('Post 1')).toContain('https://example.org/blog/posts/post-1/photo.png');
    expect(onPost.get('Post 1')).toContain('https://example.org/blog/posts/post-1/#later');
    let checked = 0;
    for (const [file, pageUrl] of [['index.html', ''], ['page/2/index.html', 'page/2/'], ['tags/walks/index.html', 'tags/walks/'], ['tags/walks/page/2/index.html', 'tags/walks/page/2/']]) {
      for (const [title, summary] of summaries(blog.read(file))) {
        const found = targets(summary.querySelector('.post-summary-excerpt')!, `https://example.org/blog/${pageUrl}`);
        expect(found, `${title} on ${file}`).toEqual(onPost.get(title!));
        checked++;
      }
    }
    expect(checked).toBe(6);
    // What the list pages write: root-relative with the sub-path, the fragment on the post's URL.
    const first = summaries(blog.read('tags/walks/page/2/index.html')).get('Post 1')!;
    expect(first.querySelector('.post-summary-excerpt img')?.getAttribute('src')).toBe('/blog/posts/post-1/photo.png');
    expect([...first.querySelectorAll('.post-summary-excerpt a')].map((a) => a.getAttribute('href'))).toEqual(
      ['/blog/posts/post-1/photo.png', '/blog/posts/post-1/#later', '/blog/posts/post-2/', '/blog/posts/post-1/?view=all', '/blog/about/', 'https://example.com/x']);
    // The feeds' items carry the same HTML with absolute URLs, srcset candidates included.
    const entries = new XMLParser({ isArray: (name) => name === 'entry' }).parse(blog.read('atom.xml')).feed.entry as { title: string; content: string }[];
    const content = dom(`<div>${entries.find((e) => e.title === 'Post 1')!.content}</div>`);
    expect(content.querySelector('source')?.getAttribute('srcset')).toBe('https://example.org/blog/posts/post-1/photo.png 1x, https://example.org/blog/posts/post-1/photo.png 2x');
  });

  it('keeps the description on list pages for posts without the marker, and the whole post on its page', () => {
    const summary = summaries(site.read('index.html')).get('No marker')!;
    expect(summary.querySelector('.post-summary-excerpt')).toBeNull();
    expect(summary.querySelector('.post-summary-description')?.textContent).toBe('Only a first paragraph, which is the description.');
    const post = dom(site.read('posts/more/index.html')).querySelector('.post-content')!;
    expect(post.textContent).toContain('The rest of the post');
    expect(post.querySelector('blogbuild-more')).toBeNull();
    expect(post.querySelector('#a-heading-before-the-marker .heading-anchor')).not.toBeNull();
    expect(site.read('posts/more/index.html')).not.toContain('more -->');
  });
});
