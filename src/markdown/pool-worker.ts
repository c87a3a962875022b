// Entry of a markdown worker thread: builds the same frozen processor as the main thread, then renders the
// batches it is sent. Errors are sent back per job; the pool turns them into diagnostics.
import { parentPort, workerData } from 'node:worker_threads';
import { MarkdownTooComplexError, type MarkdownLimits } from './markdown-limits.js';
import type { WorkerData, WorkerReply, WorkerRequest } from './pool.js';
import { createMarkdownProcessor } from './processor.js';
import { renderWithinLimits } from './render-job.js';

const encoder = new TextEncoder();
const { markdown, limits, clock: clockBuffer } = workerData as WorkerData;
// Feed items' HTML needs the HTML parser: loaded with the processor, so its loading is not timed as a post's.
const [processor] = await Promise.all([createMarkdownProcessor(markdown), import('../site/absolute-urls.js')]);
// The job being rendered and since when (Date.now()), read by the pool's watchdog: -1 when idle.
const clock = new Float64Array(clockBuffer);

// Batches are rendered one at a time, in order: a feed item's HTML may wait for its module to load. A batch's
// results go back in one message: a message costs ~0.3 ms here, one a post was ~150 ms of a worker's time for
// 500 posts.
let queue = Promise.resolve();
parentPort!.on('message', ({ batch }: WorkerRequest) => {
  queue = queue.then(async () => {
    const items: WorkerReply['items'] = [];
    const transfer: ArrayBuffer[] = [];
    for (const { index, job } of batch) {
      clock[1] = Date.now();
      clock[0] = index;
      try {
        const { result, feedHtml } = await renderWithinLimits(processor, job, limits as MarkdownLimits);
        // The HTML travels as UTF-8 bytes, moved rather than copied: the main thread keeps it so until a page
        // needs it (see defineLazyText), half the memory of a string with emoji in it. The string is garbage
        // from here, before the next post's collections can promote it.
        const html = encoder.encode(result.html);
        transfer.push(html.buffer as ArrayBuffer);
        items.push({ index, result: { ...result, html }, ...(feedHtml === undefined ? {} : { feedHtml }) });
      } catch (cause) {
        const e = cause instanceof Error ? cause : new Error(String(cause));
        const limit = e instanceof MarkdownTooComplexError ? { limit: e.details() } : {};
        const { line, column } = e as { line?: number; column?: number };
        items.push({ index, error: { name: e.name, message: e.message, stack: e.stack, line, column, ...limit } });
      } finally {
        clock[0] = -1;
      }
    }
    parentPort!.postMessage({ items } satisfies WorkerReply, transfer);
  });
});
