import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MarkdownOptions } from './processor.js';
import { createMarkdownProcessor } from './processor.js';
import { renderBody, type MarkdownJob, type MarkdownResult } from './render-markdown.js';

/** Options for {@link renderInPool}. */
export interface PoolOptions {
  /** Worker threads to start. */
  size: number;
  /** Options for each worker's processor; the same as the main thread's, so the output is the same. */
  markdown: Required<MarkdownOptions>;
  /** Called once per job, in completion order: a result, or the error the pipeline threw. */
  onResult: (index: number, result: MarkdownResult | undefined, cause?: unknown) => void;
}

/** Messages between the pool and its workers. */
export type WorkerRequest = { batch: { index: number; job: MarkdownJob }[] };
export type WorkerReply = { results: ({ index: number; result: MarkdownResult } | { index: number; error: { name: string; message: string; stack?: string } })[] };

/**
 * Renders jobs in `size` worker threads, handing out small batches so fast workers take more. If a worker
 * cannot start or dies, the pool stops and the jobs without a result are rendered in this thread instead.
 */
export async function renderInPool(jobs: MarkdownJob[], options: PoolOptions): Promise<void> {
  const batchSize = Math.max(1, Math.min(16, Math.ceil(jobs.length / (options.size * 8))));
  const isDone = new Array<boolean>(jobs.length).fill(false);
  let next = 0;
  const workers: Worker[] = [];

  const failure = await new Promise<unknown>((resolve) => {
    let remaining = jobs.length;
    let settled = false;
    const settle = (cause?: unknown) => {
      if (settled) return;
      settled = true;
      resolve(cause);
    };
    const send = (worker: Worker) => {
      if (next >= jobs.length) return;
      const batch: WorkerRequest['batch'] = [];
      while (batch.length < batchSize && next < jobs.length) batch.push({ index: next, job: jobs[next++] });
      worker.postMessage({ batch } satisfies WorkerRequest);
    };
    for (let w = 0; w < options.size; w++) {
      const worker = new Worker(workerUrl(), { workerData: { markdown: options.markdown } });
      workers.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        if (settled) return;
        for (const item of reply.results) {
          if (isDone[item.index]) continue;
          isDone[item.index] = true;
          remaining--;
          if ('result' in item) options.onResult(item.index, item.result);
          else options.onResult(item.index, undefined, Object.assign(new Error(item.error.message), { name: item.error.name, stack: item.error.stack }));
        }
        if (remaining === 0) settle();
        else send(worker);
      });
      worker.on('error', (cause) => settle(cause));
      worker.on('exit', (code) => {
        if (remaining > 0) settle(new Error(`markdown worker exited with code ${code}`));
      });
      // Two batches in flight per worker, so it never waits for the next one.
      send(worker);
      send(worker);
    }
    if (jobs.length === 0) settle();
  });
  await Promise.all(workers.map((worker) => worker.terminate()));

  if (failure !== undefined) {
    // The pool is an optimisation: finish in this thread rather than fail the build.
    const processor = createMarkdownProcessor(options.markdown);
    jobs.forEach((job, index) => {
      if (isDone[index]) return;
      try {
        options.onResult(index, renderBody(processor, job));
      } catch (cause) {
        options.onResult(index, undefined, cause);
      }
    });
  }
}

/** The compiled worker entry. Under a TypeScript runner (tests on src/), workers still run the compiled lib/. */
function workerUrl(): URL {
  const here = new URL('./pool-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../lib/markdown/pool-worker.js', import.meta.url);
}
