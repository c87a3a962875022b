import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { renderInPool } from '../src/markdown/pool.js';
import { createMarkdownProcessor } from '../src/markdown/processor.js';
import { renderBody, type MarkdownJob, type MarkdownResult } from '../src/markdown/render-markdown.js';
import { memoryWriter, type MemoryWriter } from '../src/output/writer.js';
// The benchmark's deterministic corpus generator: seed-like posts with tables, emoji lists, code and links.
import { generateSite } from '../scripts/bench.js';

const fixture = fileURLToPath(new URL('./fixtures/cache-site/', import.meta.url));
const NOW = new Date('2026-01-01T00:00:00Z');

async function buildWith(root: string, workers: number | undefined): Promise<MemoryWriter> {
  const writer = memoryWriter();
  const result = await build({ root, now: NOW, writer, cache: false, workers });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok).toBe(true);
  expect(result.stats.markdownRendered).toBe(result.stats.posts);
  return writer;
}

function expectSameOutput(a: MemoryWriter, b: MemoryWriter) {
  expect(a.files.size).toBeGreaterThan(0);
  expect([...b.files.keys()].sort()).toEqual([...a.files.keys()].sort());
  for (const [file, bytes] of a.files) expect(Buffer.from(b.files.get(file)!).equals(Buffer.from(bytes)), file).toBe(true);
}

describe('parallel markdown rendering', () => {
  it('gives byte-identical output in this thread and with pools of 1 and 3 workers (fixture)', async () => {
    const inThread = await buildWith(fixture, 0);
    const one = await buildWith(fixture, 1);
    const three = await buildWith(fixture, 3);
    expectSameOutput(inThread, one);
    expectSameOutput(inThread, three);
    // Sanity: the pages hold rendered markdown, not an empty body.
    expect(parseHTML(three.read('posts/tables/index.html')!).document.querySelectorAll('table tbody tr')).toHaveLength(2);
    expect(parseHTML(three.read('posts/code/index.html')!).document.querySelector('code.language-js')?.textContent).toContain("const bread = ['rye', 'wheat'];");
  });

  describe('on a generated blog large enough for the default pool', () => {
    let root: string;
    beforeAll(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'blogbuild-parallel-'));
      generateSite(root, 80, {});
    });
    afterAll(async () => {
      await fs.rm(root, { recursive: true, force: true });
    });

    it('renders the same bytes with the default pool (80 posts ≥ 64) as in one thread', async () => {
      const inThread = await buildWith(root, 0);
      const pooled = await buildWith(root, undefined);
      const three = await buildWith(root, 3);
      expectSameOutput(inThread, pooled);
      expectSameOutput(inThread, three);
      expect([...inThread.files.keys()].filter((f) => f.startsWith('posts/') && f.endsWith('index.html'))).toHaveLength(80);
    });
  });

  it('renders in the main thread what workers that run out of memory leave, with the same results', async () => {
    const markdown = { rawHtml: true, basePath: '/' };
    const jobs: MarkdownJob[] = Array.from({ length: 6 }, (_, i) => ({
      path: `post-${i}.md`,
      body: `## Part ${i}\n\n| a | b |\n|---|---|\n| ${i} | ${'word '.repeat(20_000)} |\n\n- 🍞 item www.example.com/${i}\n`,
      stripTitleHeading: false,
    }));
    const results: (MarkdownResult | undefined)[] = [];
    let loaded = 0;
    await renderInPool(jobs, {
      size: 2,
      markdown,
      // Far too small for a 100 KB table: the workers die of it, and this thread renders every job.
      limits: { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 },
      loadProcessor: async () => (loaded++, createMarkdownProcessor(markdown)),
      onResult: (i, result, cause) => {
        expect(cause).toBeUndefined();
        results[i] = result;
      },
    });
    expect(loaded).toBe(1);
    const processor = createMarkdownProcessor(markdown);
    jobs.forEach((job, i) => expect(results[i], job.path).toEqual(renderBody(processor, job)));
  });
});
