// Entry of a markdown worker thread: builds the same frozen processor as the main thread, then renders the
// batches it is sent. Errors are sent back per job; the pool turns them into diagnostics.
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './pool.js';
import { createMarkdownProcessor, type MarkdownOptions } from './processor.js';
import { renderBody } from './render-markdown.js';

const processor = createMarkdownProcessor((workerData as { markdown: Required<MarkdownOptions> }).markdown);

parentPort!.on('message', ({ batch }: WorkerRequest) => {
  const results: WorkerReply['results'] = batch.map(({ index, job }) => {
    try {
      return { index, result: renderBody(processor, job) };
    } catch (cause) {
      const e = cause instanceof Error ? cause : new Error(String(cause));
      return { index, error: { name: e.name, message: e.message, stack: e.stack } };
    }
  });
  parentPort!.postMessage({ results } satisfies WorkerReply);
});
