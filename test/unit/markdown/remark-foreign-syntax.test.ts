import { parseHTML } from 'linkedom';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { createMarkdownProcessor } from '../../../src/markdown/processor.js';
import type { ForeignTag } from '../../../src/markdown/remark-foreign-syntax.js';

async function render(markdown: string): Promise<{ body: HTMLElement; tags: ForeignTag[] }> {
  const file = new VFile({ value: markdown, data: {} });
  const html = String(await (await createMarkdownProcessor()).process(file));
  return { body: parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.body, tags: file.data.foreignTags ?? [] };
}

describe('other generators\' template tags', () => {
  it('shows raw HTML between a shortcode and its closing tag as text, block and inline', async () => {
    const { body, tags } = await render('Intro.\n\n{{< notice warning >}}\n<div class="box"><script>alert(1)</script></div>\n{{< /notice >}}\n\nA {% raw %}<b>bold</b>{% endraw %} word.\n');
    expect(body.querySelector('div, script, b')).toBeNull();
    expect(body.textContent).toContain('<script>alert(1)</script>');
    expect(body.textContent).toContain('<b>bold</b>');
    expect(tags.map((t) => [t.tag, t.line, t.column, t.isPaired])).toEqual([
      ['{{< notice warning >}}', 3, 1, true],
      ['{% raw %}', 7, 3, true],
    ]);
  });

  it('keeps raw HTML outside tags, and finds no tags in code or written with a backslash', async () => {
    const { body, tags } = await render('<em>kept</em> `{% include x %}` \\{% tweet 1 %}\n\n```liquid\n{% for x in y %}{% endfor %}\n```\n');
    expect(body.querySelector('em')?.textContent).toBe('kept');
    expect(body.textContent).toContain('{% tweet 1 %}');
    expect(tags).toEqual([]);
  });

  it('warns about a highlight block nested in a list, which stays as written', async () => {
    const { tags } = await render('- item\n\n  {% highlight js %}\n  let a = 1;\n  {% endhighlight %}\n');
    expect(tags.map((t) => t.tag)).toEqual(['{% highlight js %}']);
  });
});
