import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MarkdownOptions, MarkdownProcessor } from './processor.js';
import { renderBody, type MarkdownJob, type MarkdownResult } from './render-markdown.js';

/** Options for {@link renderInPool}. */
export interface PoolOptions {
  /** Worker threads to start; this thread renders too, between handing out batches. */
  size: number;
  /** Options for each worker's processor; the same as the main thread's, so the output is the same. */
  markdown: Required<MarkdownOptions>;
  /** Builds this thread's processor; called after the workers are started, so their start-up overlaps it. */
  loadProcessor: () => Promise<MarkdownProcessor>;
  /** Called once per job, in completion order: a result, or the error the pipeline threw. */
  onResult: (index: number, result: MarkdownResult | undefined, cause?: unknown) => void;
}

/** Messages between the pool and its workers. */
export type WorkerRequest = { batch: { index: number; job: MarkdownJob }[] };
export type WorkerReply = { results: ({ index: number; result: MarkdownResult } | { index: number; error: { name: string; message: string; stack?: string } })[] };

/**
 * Renders jobs in `size` worker threads plus this one, handing out small batches so fast threads take more.
 * This thread renders one job at a time and yields between jobs, so replies from the workers are handled
 * promptly. If a worker cannot start or dies, the others carry on and this thread renders whatever is left.
 */
export async function renderInPool(jobs: MarkdownJob[], options: PoolOptions): Promise<void> {
  const batchSize = Math.max(1, Math.min(16, Math.ceil(jobs.length / ((options.size + 1) * 8))));
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
    const worker = new Worker(workerUrl(), { workerData: { markdown: options.markdown } });
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

  let processor: MarkdownProcessor;
  try {
    processor = await options.loadProcessor();
  } catch (cause) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw cause;
  }
  const renderHere = (index: number) => {
    try {
      complete(index, renderBody(processor, jobs[index]));
    } catch (cause) {
      complete(index, undefined, cause);
    }
  };
  // This thread takes jobs from the same queue until it is empty, yielding to the event loop between jobs.
  while (next < jobs.length) {
    renderHere(next++);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Wait for the workers' last batches; if a worker is gone, stop them all and render what is left here.
  while (remaining > 0 && !isAnyLost) await new Promise<void>((resolve) => (wake = resolve));
  wake = undefined;
  await Promise.all(workers.map((worker) => worker.terminate()));
  for (let index = 0; index < jobs.length; index++) if (!isDone[index]) renderHere(index);
}

/** The compiled worker entry. Under a TypeScript runner (tests on src/), workers still run the compiled lib/. */
function workerUrl(): URL {
  const here = new URL('./pool-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../lib/markdown/pool-worker.js', import.meta.url);
}
