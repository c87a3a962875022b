#!/usr/bin/env node
// `node scripts/pipeline-reference.js <site> [bare|ours]`: the reference case of `npm run bench` (issue 15). It
// runs the markdown pipeline alone over a site's posts, in one thread, one file a post, no templates, nothing
// written: what a cold build cannot go below. `bare` is the pipeline the project is built on (gray-matter +
// remark-parse → remark-gfm → remark-rehype → rehype-stringify); `ours` is gray-matter + blogbuild's own processor
// with its default steps (highlighting, heading anchors, excerpts, tag filter…), built as a build builds it.
// Prints one JSON line: posts, bytes of HTML made, milliseconds spent rendering (after the modules loaded).
//
// `node scripts/pipeline-reference.js <site> bare <k>/<n>` renders only every n-th post from the k-th: n such
// processes run at once are the pipeline split over n cores with no cost of splitting it (no messages, no shared
// heap), the wall time a parallel build could reach at best on this machine (see bench-compare.js).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [site, mode = 'bare', part = '0/1'] = process.argv.slice(2);
const [partIndex, parts] = part.split('/').map(Number);
if (!site || !['bare', 'ours'].includes(mode) || !(parts >= 1 && partIndex >= 0 && partIndex < parts)) {
  process.stderr.write('usage: node scripts/pipeline-reference.js <site> [bare|ours] [<k>/<n>]\n');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const matter = require('gray-matter');

/** The processor for `mode`, with the site's config for ours (base path, highlighting). */
async function processorFor(mode) {
  if (mode === 'bare') {
    const [{ unified }, { default: remarkParse }, { default: remarkGfm }, { default: remarkRehype }, { default: rehypeStringify }] = await Promise.all([
      import('unified'),
      import('remark-parse'),
      import('remark-gfm'),
      import('remark-rehype'),
      import('rehype-stringify'),
    ]);
    const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeStringify).freeze();
    return (body) => processor.process(body);
  }
  const config = JSON.parse(fs.readFileSync(path.join(site, 'blogbuild.config.json'), 'utf8'));
  const basePath = config.url ? new URL(config.url).pathname : '/';
  const { createMarkdownProcessor } = await import('../lib/markdown/processor.js');
  const { VFile } = await import('vfile');
  const processor = await createMarkdownProcessor({ basePath, highlight: config.markdown?.highlight ?? true });
  return (body, file) => processor.process(new VFile({ path: file, value: body, data: { stripTitleHeading: false } }));
}

const render = await processorFor(mode);
const postsDir = path.join(site, 'posts');
const files = fs.readdirSync(postsDir).filter((name) => name.endsWith('.md')).sort().filter((_, i) => i % parts === partIndex);
const started = performance.now();
let bytes = 0;
for (const name of files) {
  const file = path.join(postsDir, name);
  // Options turn off gray-matter's cache by content, as the build does.
  const { content } = matter(fs.readFileSync(file, 'utf8'), {});
  bytes += String(await render(content, file)).length;
}
process.stdout.write(`${JSON.stringify({ mode, posts: files.length, htmlBytes: bytes, renderMs: performance.now() - started })}\n`);
