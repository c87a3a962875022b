// The markdown processor is built from a description (options plus plugin module specifiers and their options),
// so worker threads build the same one; it runs async, so async transformers work; its plugins are in the salt.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { markdownCacheSalt } from '../src/cache/cache-salt.js';
import { renderInPool } from '../src/markdown/pool.js';
import { createMarkdownProcessor, type MarkdownOptions } from '../src/markdown/processor.js';
import { renderBody, type MarkdownJob, type MarkdownResult } from '../src/markdown/render-markdown.js';

const pluginFile = new URL('./fixtures/markdown-plugins/rehype-mark-paragraphs.js', import.meta.url);
const description: Required<MarkdownOptions> = {
  rawHtml: true,
  basePath: '/',
  remarkPlugins: [],
  rehypePlugins: [{ specifier: pluginFile.href, options: { mark: 'from-options' } }],
};
const jobs: MarkdownJob[] = Array.from({ length: 6 }, (_, i) => ({ path: `post-${i}.md`, body: `## Part ${i}\n\nParagraph ${i}, with **bold**.\n`, stripTitleHeading: false }));

function paragraphs(html: string) {
  return [...parseHTML(`<!doctype html><html><body>${html}</body></html>`).document.querySelectorAll('p')];
}

describe('a markdown processor from a description', () => {
  it('runs a described async rehype plugin with its options in this thread', async () => {
    const processor = await createMarkdownProcessor(description);
    const result = await renderBody(processor, jobs[0]!);
    const [p] = paragraphs(result.html);
    expect(p?.textContent).toBe('Paragraph 0, with bold.');
    expect(p?.getAttribute('data-mark')).toBe('from-options');
    expect(p?.getAttribute('data-thread')).toBe('main');
  });

  it('runs the same plugin in the worker threads, which build the processor from the same description', async () => {
    const results: (MarkdownResult | undefined)[] = [];
    await renderInPool(jobs, {
      size: 2,
      markdown: description,
      loadProcessor: () => createMarkdownProcessor(description),
      onResult: (i, result, cause) => {
        expect(cause).toBeUndefined();
        results[i] = result;
      },
    });
    expect(results).toHaveLength(jobs.length);
    for (const [i, result] of results.entries()) {
      const [p] = paragraphs(result!.html);
      expect(p?.textContent).toBe(`Paragraph ${i}, with bold.`);
      expect(p?.getAttribute('data-mark')).toBe('from-options');
      // Rendered by a worker, not by this thread after the workers failed.
      expect(p?.getAttribute('data-thread')).toBe('worker');
    }
  });

  it('puts each plugin, its code and its options in the markdown cache salt', async () => {
    const none = markdownCacheSalt({ ...description, rehypePlugins: [] });
    const withPlugin = markdownCacheSalt(description);
    expect(withPlugin).not.toBe(none);
    expect(markdownCacheSalt({ ...description, rehypePlugins: [{ specifier: pluginFile.href, options: { mark: 'other' } }] })).not.toBe(withPlugin);
    // The same specifier with other code (a copy of the file, edited) gives another salt.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-plugin-'));
    try {
      const copy = path.join(dir, 'plugin.js');
      await fs.copyFile(pluginFile, copy);
      const copied = markdownCacheSalt({ ...description, rehypePlugins: [{ specifier: pathToFileURL(copy).href }] });
      await fs.appendFile(copy, '\n// edited\n');
      expect(markdownCacheSalt({ ...description, rehypePlugins: [{ specifier: pathToFileURL(copy).href }] })).not.toBe(copied);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('runs a callback transformer, and names the plugin when it passes an error to next()', async () => {
    const callback = new URL('./fixtures/markdown-plugins/remark-callback.js', import.meta.url).href;
    const processor = await createMarkdownProcessor({ ...description, rehypePlugins: [], remarkPlugins: [{ specifier: callback, name: 'remarkCallback (markdown.remarkPlugins[0])' }] });
    const ok = await renderBody(processor, jobs[0]!);
    expect(paragraphs(ok.html).map((p) => p.textContent)).toEqual(['Paragraph 0, with bold.', 'Added by a callback.']);
    await expect(renderBody(processor, { ...jobs[0]!, body: 'Text, please fail.\n' })).rejects.toThrow('the plugin remarkCallback (markdown.remarkPlugins[0]) failed: asked to fail');
  });
});
