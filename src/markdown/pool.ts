import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { MarkdownOptions, MarkdownProcessor } from './processor.js';
import { renderBody, type MarkdownJob, type MarkdownResult } from './render-markdown.js';

/** Options for {@link renderInPool}. */
export interface PoolOptions {
  /** Worker threads to start. This thread only hands out batches and collects results, so its heap holds what the
   * build keeps and not the parser's garbage; it renders only what a lost worker leaves behind. */
  size: number;
  /** Options for each worker's processor; the same as the main thread's, so the output is the same. */
  markdown: Required<MarkdownOptions>;
  /** Builds this thread's processor, for jobs left by a worker that could not start or died. */
  loadProcessor: () => Promise<MarkdownProcessor>;
  /** Heap limits of each worker. @default { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 24 } */
  limits?: ResourceLimits;
  /** Work for this thread while the workers render (it would otherwise wait): called once, after they are started. */
  whileWaiting?: () => void;
  /** Called once per job, in completion order: a result, or the error the pipeline threw. */
  onResult: (index: number, result: MarkdownResult | undefined, cause?: unknown) => void;
}

/** Messages between the pool and its workers. */
export type WorkerRequest = { batch: { index: number; job: MarkdownJob }[] };
export type WorkerReply = { results: ({ index: number; result: MarkdownResult } | { index: number; error: { name: string; message: string; stack?: string } })[] };

/**
 * Heap limits of a worker. Parsing allocates a great deal of short-lived garbage (micromark's events, mdast and
 * hast trees). A 24 MiB young generation (the default is 32) keeps each worker ~20 MiB smaller at no CPU cost
 * we could measure (1,000 posts, cold builds interleaved); 16 MiB cost CPU, 96 MiB saved ~7 % CPU for ~50 MiB a
 * worker. The old-generation cap keeps a worker that renders thousands of posts from growing its heap without
 * bound. A body too large for these limits ends the worker, and its jobs are rendered in the main thread.
 */
const workerLimits: ResourceLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 24 };

/**
 * Renders jobs in `size` worker threads, handing out small batches so fast threads take more. This thread only
 * coordinates. If a worker cannot start or dies, the others carry on and this thread renders whatever is left.
 */
export async function renderInPool(jobs: MarkdownJob[], options: PoolOptions): Promise<void> {
  const batchSize = Math.max(1, Math.min(16, Math.ceil(jobs.length / (options.size * 8))));
  const isDone = new Array<boolean>(jobs.length).fill(false);
  let next = 0;
  let remaining = jobs.length;
  const workers: Worker[] = [];
  let wake: (() => void) | undefined;

  const complete = (index: number, result: MarkdownResult | undefined, cause?: unknown) => {
    if (isDone[index]) return;
    isDone[index] = true;
    remaining--;
    options.onResult(index, result, cause);
    if (remaining === 0) wake?.();
  };
  const send = (worker: Worker) => {
    if (next >= jobs.length) return;
    const batch: WorkerRequest['batch'] = [];
    while (batch.length < batchSize && next < jobs.length) batch.push({ index: next, job: jobs[next++] });
    worker.postMessage({ batch } satisfies WorkerRequest);
  };
  let isAnyLost = false;
  const lost = () => {
    isAnyLost = true;
    wake?.();
  };
  for (let w = 0; w < options.size; w++) {
    let isLost = false;
    const worker = new Worker(workerUrl(), { workerData: { markdown: options.markdown }, resourceLimits: options.limits ?? workerLimits });
    workers.push(worker);
    const fail = () => {
      if (isLost) return;
      isLost = true;
      lost();
    };
    worker.on('message', (reply: WorkerReply) => {
      for (const item of reply.results) {
        if ('result' in item) complete(item.index, item.result);
        else complete(item.index, undefined, Object.assign(new Error(item.error.message), { name: item.error.name, stack: item.error.stack }));
      }
      if (!isLost) send(worker);
    });
    worker.on('error', fail);
    worker.on('exit', fail);
    // Two batches in flight per worker, so it never waits for the next one.
    send(worker);
    send(worker);
  }

  options.whileWaiting?.();
  // Wait for the workers' last batches; if a worker is gone, stop them all and render what is left here.
  while (remaining > 0 && !isAnyLost) await new Promise<void>((resolve) => (wake = resolve));
  wake = undefined;
  await Promise.all(workers.map((worker) => worker.terminate()));
  if (remaining === 0) return;
  const processor = await options.loadProcessor();
  for (let index = 0; index < jobs.length; index++) {
    if (isDone[index]) continue;
    try {
      complete(index, renderBody(processor, jobs[index]));
    } catch (cause) {
      complete(index, undefined, cause);
    }
  }
}

/** The compiled worker entry. Under a TypeScript runner (tests on src/), workers still run the compiled lib/. */
function workerUrl(): URL {
  const here = new URL('./pool-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../lib/markdown/pool-worker.js', import.meta.url);
}
