import { parse, serialize } from 'parse5';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { createMarkdownProcessor, type MarkdownOptions } from '../../../src/markdown/processor.js';
import type { FilteredTag } from '../../../src/markdown/remark-tagfilter.js';

async function render(markdown: string, options: MarkdownOptions = {}): Promise<{ html: string; tags: FilteredTag[]; excerpt: string }> {
  const file = new VFile({ value: markdown, data: {} });
  const html = String(await (await createMarkdownProcessor(options)).process(file));
  return { html, tags: file.data.filteredTags ?? [], excerpt: file.data.excerpt ?? '' };
}

/** The document a browser builds from an HTML fragment, serialized: equal for HTML that parses the same. */
function asBrowserSees(html: string): string {
  const document = parse(`<!doctype html><html><head></head><body>${html.trim()}</body></html>`);
  return serialize(document);
}

/** The text a reader sees: the body's text with tags removed, as parse5 gives it. */
function bodyText(html: string): string {
  const text = (node: { nodeName: string; value?: string; childNodes?: unknown[] }): string =>
    node.nodeName === '#text' ? node.value! : node.nodeName === 'title' || node.nodeName === 'textarea' ? '' : (node.childNodes ?? []).map((c) => text(c as never)).join('');
  return text(parse(`<!doctype html><body>${html}</body>`) as never).replace(/\s+/g, ' ').trim();
}

// GFM spec 0.29, example 653 (https://github.github.com/gfm/#example-653), input and output as the spec gives them.
const example653 = '<strong> <title> <style> <em>\n\n<blockquote>\n  <xmp> is disallowed.  <XMP> is also disallowed.\n</blockquote>\n';
const example653Html = '<p><strong> &lt;title> &lt;style> <em></p>\n<blockquote>\n  &lt;xmp> is disallowed.  &lt;XMP> is also disallowed.\n</blockquote>\n';

describe('markdown.tagfilter', () => {
  it('"gfm" gives the HTML of the GFM spec\'s example 653 (the same document in a browser)', async () => {
    const { html, tags } = (await render(example653, { tagfilter: 'gfm' }));
    expect(asBrowserSees(html)).toBe(asBrowserSees(example653Html));
    expect(tags.map((t) => [t.tag, t.line, t.column])).toEqual([['<title', 1, 10], ['<style', 1, 18], ['<xmp', 4, 3], ['<XMP', 4, 25]]);
  });

  it('without the filter, example 653 puts a <title> in the body (what the filter prevents)', async () => {
    const { html } = (await render(example653, { tagfilter: false }));
    expect(asBrowserSees(html)).not.toBe(asBrowserSees(example653Html));
    expect(asBrowserSees(html)).toMatch(/<body>.*<title>/s);
  });

  it('"safe" (the default) escapes every element whose content swallows the page, in any case', async () => {
    for (const name of ['title', 'textarea', 'xmp', 'plaintext', 'noembed', 'noframes', 'TITLE', 'TextArea']) {
      const { html, tags } = (await render(`A <${name}> tag, then more.\n\nThe next paragraph.\n`));
      expect(bodyText(html), name).toBe(`A <${name}> tag, then more. The next paragraph.`);
      expect(tags.map((t) => t.tag), name).toEqual([`<${name}`]);
    }
  });

  it('keeps an escaped inline tag in the excerpt, as the text the page shows', async () => {
    expect((await render('The <title> element and <b>bold</b>.\n')).excerpt).toBe('The <title> element and bold.');
    expect((await render('The <title> element.\n', { tagfilter: false })).excerpt).toBe('The element.');
  });

  it('escapes closing tags and tags with attributes, and only tag names that match exactly', async () => {
    const { html, tags } = (await render('Then <title lang="en">A</title> and <titles> and <textarea\nrows="2"> and <title\n'));
    expect(tags.map((t) => t.tag)).toEqual(['<title', '</title', '<textarea']);
    expect(html).toContain('&#x3C;title lang="en">A&#x3C;/title>');
    expect(html).toContain('<titles>');
  });

  it('"safe" keeps <script>, <style> and <iframe> (embeds), and leaves their content alone', async () => {
    const markdown = '<script>document.title = "<title>x</title>";</script>\n\n<style>p::before { content: "<xmp>"; }</style>\n\n<iframe src="https://example.org/embed" title="Embed"></iframe>\n';
    const { html, tags } = (await render(markdown));
    expect(tags).toEqual([]);
    expect(html).toContain('<script>document.title = "<title>x</title>";</script>');
    expect(html).toContain('<style>p::before { content: "<xmp>"; }</style>');
    expect(html).toContain('<iframe src="https://example.org/embed" title="Embed"></iframe>');
    expect((await render(markdown, { tagfilter: 'gfm' })).tags.map((t) => t.tag)).toEqual(['<script', '<title', '</title', '</script', '<style', '<xmp', '</style', '<iframe', '</iframe']);
  });

  it('leaves code, HTML comments and other tags alone', async () => {
    const { html, tags } = (await render('`<title>` and\n\n```html\n<title>Hi</title>\n```\n\n<!-- <title> draft -->\n\n<div><em>kept</em></div>\n', { highlight: false }));
    expect(tags).toEqual([]);
    expect(html).toContain('<code>&#x3C;title></code>');
    expect(html).toContain('&#x3C;title>Hi&#x3C;/title>');
    expect(html).toContain('<!-- <title> draft -->');
    expect(html).toContain('<div><em>kept</em></div>');
  });

  it('false turns the filter off, and so does rawHtml: false (raw HTML is dropped)', async () => {
    const markdown = 'The <title> element.\n\nAfter.\n';
    expect((await render(markdown, { tagfilter: false })).html).toContain('<title> element.');
    expect((await render(markdown, { tagfilter: false })).tags).toEqual([]);
    const dropped = (await render(markdown, { rawHtml: false }));
    expect(dropped.tags).toEqual([]);
    expect(bodyText(dropped.html)).toBe('The element. After.');
  });

  it('places each tag at its line and column in the body, inside block quotes and lists too', async () => {
    const markdown = 'Intro.\n\n> <div>\n> <p>x <textarea>y</p>\n> </div>\n\n- item\n\n  <div>\n  <xmp>z</xmp>\n  </div>\n';
    expect((await render(markdown)).tags).toEqual([
      { tag: '<textarea', line: 4, column: 8 },
      { tag: '<xmp', line: 10, column: 3 },
      { tag: '</xmp', line: 10, column: 9 },
    ]);
    expect((await render(markdown.replace(/\n/g, '\r\n'))).tags).toEqual((await render(markdown)).tags);
  });
});
