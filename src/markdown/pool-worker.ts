// Entry of a markdown worker thread: builds the same frozen processor as the main thread, then renders the
// batches it is sent. Errors are sent back per job; the pool turns them into diagnostics.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './pool.js';
import { createMarkdownProcessor, type MarkdownOptions } from './processor.js';
import { renderJob } from './render-markdown.js';

const encoder = new TextEncoder();
const processor = createMarkdownProcessor((workerData as { markdown: Required<MarkdownOptions> }).markdown);

// Batches are rendered one at a time, in order: a feed item's HTML may wait for its module to load. Each result
// is posted as soon as it is made, so nothing of a post outlives its rendering here: what survives two young-
// generation collections is copied to the old generation, which grows until a full collection.
let queue = Promise.resolve();
parentPort!.on('message', ({ batch }: WorkerRequest) => {
  queue = queue.then(async () => {
    for (const [n, { index, job }] of batch.entries()) {
      const batchDone = n === batch.length - 1;
      try {
        const { result, feedHtml } = await renderJob(processor, job);
        // The HTML travels as UTF-8 bytes, moved rather than copied: the main thread keeps it so until a page
        // needs it (see defineLazyText), half the memory of a string with emoji in it.
        const html = encoder.encode(result.html);
        const item = { index, result: { html, excerpt: result.excerpt, wordCount: result.wordCount }, ...(feedHtml === undefined ? {} : { feedHtml }) };
        parentPort!.postMessage({ item, batchDone } satisfies WorkerReply, [html.buffer as ArrayBuffer]);
      } catch (cause) {
        const e = cause instanceof Error ? cause : new Error(String(cause));
        parentPort!.postMessage({ item: { index, error: { name: e.name, message: e.message, stack: e.stack } }, batchDone } satisfies WorkerReply);
      }
    }
  });
});
