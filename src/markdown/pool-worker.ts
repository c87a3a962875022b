// Entry of a markdown worker thread: builds the same frozen processor as the main thread, then renders the
// batches it is sent. Errors are sent back per job; the pool turns them into diagnostics.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './pool.js';
import { createMarkdownProcessor, type MarkdownOptions } from './processor.js';
import { renderJob } from './render-job.js';

const encoder = new TextEncoder();
const processor = await createMarkdownProcessor((workerData as { markdown: Required<MarkdownOptions> }).markdown);

// Batches are rendered one at a time, in order: a feed item's HTML may wait for its module to load. A batch's
// results go back in one message: a message costs ~0.3 ms here, one a post was ~150 ms of a worker's time for
// 500 posts.
let queue = Promise.resolve();
parentPort!.on('message', ({ batch }: WorkerRequest) => {
  queue = queue.then(async () => {
    const items: WorkerReply['items'] = [];
    const transfer: ArrayBuffer[] = [];
    for (const { index, job } of batch) {
      try {
        const { result, feedHtml } = await renderJob(processor, job);
        // The HTML travels as UTF-8 bytes, moved rather than copied: the main thread keeps it so until a page
        // needs it (see defineLazyText), half the memory of a string with emoji in it. The string is garbage
        // from here, before the next post's collections can promote it.
        const html = encoder.encode(result.html);
        transfer.push(html.buffer as ArrayBuffer);
        items.push({ index, result: { ...result, html }, ...(feedHtml === undefined ? {} : { feedHtml }) });
      } catch (cause) {
        const e = cause instanceof Error ? cause : new Error(String(cause));
        const { line, column } = e as { line?: number; column?: number };
        items.push({ index, error: { name: e.name, message: e.message, stack: e.stack, line, column } });
      }
    }
    parentPort!.postMessage({ items } satisfies WorkerReply, transfer);
  });
});
