import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { remarkPostBody } from '../../../src/markdown/remark-post-body.js';

function excerptOf(markdown: string, stripTitleHeading = false): { excerpt: string; tree: unknown } {
  const processor = unified().use(remarkParse).use(remarkPostBody);
  const file = new VFile({ value: markdown, data: { stripTitleHeading } });
  const tree = processor.runSync(processor.parse(file), file);
  return { excerpt: file.data.excerpt ?? '', tree };
}

describe('remarkPostBody', () => {
  it('takes the first paragraph as plain text', () => {
    expect(excerptOf('## Intro\n\nSome *fine* [words](/x/).\n\nMore.').excerpt).toBe('Some fine words.');
  });

  it('skips paragraphs without words, such as an opening image or rule of emoji', () => {
    expect(excerptOf('![A cat](cat.png)\n\n🎉🎉\n\nThe real first words.').excerpt).toBe('The real first words.');
  });

  it('takes everything before <!-- more --> and puts an element in place of the marker, for the HTML excerpt', () => {
    const { excerpt, tree } = excerptOf('One.\n\n## Heading\n\nTwo.\n\n<!-- more -->\n\nThree.');
    expect(excerpt).toBe('One. Two.');
    expect(JSON.stringify(tree)).not.toContain('<!--');
    const children = (tree as { children: { type: string; data?: { hName?: string } }[] }).children;
    expect(children.map((node) => node.data?.hName ?? node.type)).toEqual(['paragraph', 'heading', 'paragraph', 'blogbuild-more', 'paragraph']);
  });

  it('drops the leading # heading only when it supplied the title', () => {
    const kept = excerptOf('# Title\n\nBody.').tree as { children: { type: string }[] };
    const dropped = excerptOf('# Title\n\nBody.', true).tree as { children: { type: string }[] };
    expect(kept.children[0].type).toBe('heading');
    expect(dropped.children[0].type).toBe('paragraph');
  });
});
