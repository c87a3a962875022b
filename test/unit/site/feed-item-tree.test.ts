import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import type { Root } from 'hast';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { createMarkdownProcessor, type MarkdownOptions } from '../../../src/markdown/processor.js';
import { feedItemHtml, feedItemHtmlOfTree } from '../../../src/site/absolute-urls.js';
import { isReparseStable } from '../../../src/site/reparse-stable.js';

// The markdown workers make a feed item's HTML from the post's tree; posts from the cache only have the HTML, which
// is parsed again. Both must give the same bytes, or a feed would change with the build that rendered its posts.
const item = { base: 'https://example.org/blog/posts/x/', rootRelative: false };

/** Markdown the tree path takes: what posts are made of. */
const ordinary = {
  gfm: 'Text[^1] ~~del~~ https://auto.link/x www.example.com\n\n- [ ] todo\n- [x] done\n\n| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n![alt](p.png "title") [t](u "tt") [root](/blog/tags/x/)\n\n[^1]: Note [x](y).\n',
  headings: '## [a](b) heading\n\n### Plain `code` heading\n\n## ![img](i.png)\n',
  code: '```js\nconst a = "<p>";\n```\n\n```\n\n\nleading blank lines\n```\n\n    indented\n',
  nesting: '> - a\n>   > 1. b\n>   >    - c [d](e)\n\n1. x\n2. y\n',
  rawHtml: '<details><summary>S</summary>\n\ntext [l](m)\n\n</details>\n\n<dl><dt>a</dt><dd>b <a href="c">c</a></dd></dl>\n\n<!-- more -->\n',
  reparsedRawHtml: '<a href="x">[link](y) and <a href="z">z</a></a>\n\ntext <div>block</div> more\n\n<table><tr><td><a href="t">x</a></td></tr> stray</table>\n',
};

/** Markdown whose tree its HTML would not parse back to: the HTML is parsed, as for a cached post. */
const reparsed = {
  preNewline: '<pre>\n\nx <a href="a">y</a></pre>\n',
  svg: '<svg viewBox="0 0 10 10"><a href="x.html"><circle r="1"/></a></svg>\n\n<math><mi>x</mi></math>\n',
  crlf: 'line one\r\nline two [a](b)\r\n\r\n```js\r\nconst a = 1;\r\n```\r\n',
  template: '<template><a href="x">t</a></template>\n',
  media: '<video poster="p.jpg" src="v.mp4" controls></video>\n\n<img srcset="a.png 1x, b.png 2x" src="c.png" alt="">\n',
  script: '<script>var a = "</p>";</script>\n\n<style>p > a { color: red }</style>\n\n[x](y)\n',
  strayItem: '<li>outside</li>\n\n- in\n- list\n',
  form: '<form action="/go"><button>b</button></form>\n',
};

const processors = new Map<MarkdownOptions, ReturnType<typeof createMarkdownProcessor>>();

async function render(markdown: string, options: MarkdownOptions): Promise<{ tree: Root; html: string }> {
  if (!processors.has(options)) processors.set(options, createMarkdownProcessor(options));
  const processor = await processors.get(options)!;
  const file = new VFile({ path: 'post.md', value: markdown, data: { stripTitleHeading: false } });
  const tree = await processor.run(processor.parse(file), file);
  return { tree, html: processor.stringify(tree, file) };
}

/** Every markdown file of the test fixtures, front matter removed, but the markdown limits' (large, or slow to parse). */
function fixtureBodies(): [string, string][] {
  const root = fileURLToPath(new URL('../../fixtures/', import.meta.url));
  const bodies: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!/too-complex|-slow|too-deep|too-large/.test(entry.name)) walk(file);
      }
      else if (entry.name.endsWith('.md')) {
        try {
          bodies.push([path.relative(root, file), matter(fs.readFileSync(file, 'utf8'), {}).content]);
        } catch {
          // Invalid front matter (the invalid fixtures): nothing to render.
        }
      }
    }
  };
  walk(root);
  return bodies;
}

describe('feed item HTML from the tree', () => {
  for (const options of [{ basePath: '/blog/' }, { basePath: '/', rawHtml: false }] satisfies MarkdownOptions[]) {
    const name = options.rawHtml === false ? 'raw HTML off' : 'raw HTML on';

    it(`takes the tree for ordinary posts, with the bytes the HTML's parse gives (${name})`, async () => {
      for (const [key, markdown] of Object.entries(ordinary)) {
        const { tree, html } = await render(markdown, options);
        const expected = feedItemHtml(html, item);
        expect(isReparseStable(structuredClone(tree)), key).toBe(true);
        expect(feedItemHtmlOfTree(tree, html, item), key).toBe(expected);
      }
      // It did absolutize: root-relative and relative links carry the origin, the heading anchors are gone.
      const { tree, html } = await render(ordinary.gfm + ordinary.headings, options);
      const out = feedItemHtmlOfTree(tree, html, item);
      expect(out).toContain('href="https://example.org/blog/tags/x/"');
      expect(out).toContain('src="https://example.org/blog/posts/x/p.png"');
      expect(out).not.toContain('heading-anchor');
    });

    it(`parses the HTML when the tree would not come back from it (${name})`, async () => {
      for (const [key, markdown] of Object.entries(reparsed)) {
        const { tree, html } = await render(markdown, options);
        expect(feedItemHtmlOfTree(tree, html, item), key).toBe(feedItemHtml(html, item));
        if (options.rawHtml !== false && key !== 'crlf') expect(isReparseStable(tree), key).toBe(false);
      }
      // Carriage returns are kept in code, which the parser would turn into newlines.
      expect(isReparseStable((await render(reparsed.crlf, options)).tree)).toBe(false);
    });

    it(`gives the parsed HTML's bytes for every fixture post (${name})`, async () => {
      const bodies = fixtureBodies();
      expect(bodies.length).toBeGreaterThan(100);
      for (const [file, markdown] of bodies) {
        const rendered = await render(markdown, options);
        expect(feedItemHtmlOfTree(rendered.tree, rendered.html, item), file).toBe(feedItemHtml(rendered.html, item));
      }
    });
  }
});
