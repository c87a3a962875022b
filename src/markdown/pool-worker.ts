// Entry of a markdown worker thread: builds the same frozen processor as the main thread, then renders the
// batches it is sent. Errors are sent back per job; the pool turns them into diagnostics.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './pool.js';
import { createMarkdownProcessor, type MarkdownOptions } from './processor.js';
import { renderJob } from './render-markdown.js';

const processor = createMarkdownProcessor((workerData as { markdown: Required<MarkdownOptions> }).markdown);

// Batches are rendered one at a time, in order: a feed item's HTML may wait for its module to load.
let queue = Promise.resolve();
parentPort!.on('message', ({ batch }: WorkerRequest) => {
  queue = queue.then(async () => {
    const results: WorkerReply['results'] = [];
    for (const { index, job } of batch) {
      try {
        results.push({ index, ...(await renderJob(processor, job)) });
      } catch (cause) {
        const e = cause instanceof Error ? cause : new Error(String(cause));
        results.push({ index, error: { name: e.name, message: e.message, stack: e.stack } });
      }
    }
    parentPort!.postMessage({ results } satisfies WorkerReply);
  });
});
