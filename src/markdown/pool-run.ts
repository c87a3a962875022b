import type { Worker, ResourceLimits } from 'node:worker_threads';
import { defineLazyText } from '../content/lazy-text.js';
import { MarkdownTooComplexError, type LimitDetails, type MarkdownLimits } from './markdown-limits.js';
import type { MarkdownProcessor } from './processor.js';
import { renderHere, type MarkdownJob, type MarkdownResult } from './render-job.js';

// One run of the markdown pool (pool.ts): handing out batches, collecting results, replacing a worker that overran
// the time budget or died, and rendering in this thread what lost workers left.

/** Options for {@link MarkdownPool.run}. */
export interface RunOptions {
  /** Builds this thread's processor, for jobs left by a worker that could not start or died. */
  loadProcessor: () => Promise<MarkdownProcessor>;
  /**
   * Work for this thread while the workers render (it would otherwise wait): called once, after the first batches
   * are sent; the pool waits for it before it renders any job a lost worker left.
   */
  whileWaiting?: () => void | Promise<void>;
  /** Stops the run: the workers are stopped and jobs not yet done are left undone. */
  signal?: AbortSignal;
  /**
   * Called once per job, in completion order: a result (and the job's feed HTML, if it asked), or the error the
   * pipeline threw; `isFromWorker` is false for a job a lost worker left, rendered in this thread.
   */
  onResult: (index: number, result: MarkdownResult | undefined, cause?: unknown, feedHtml?: string, isFromWorker?: boolean) => void;
}

/** Messages between the pool and its workers. */
export type WorkerRequest = { batch: { index: number; job: MarkdownJob }[] };
/** A batch's results or errors, one per job. */
export type WorkerReply = {
  items: ({ index: number; result: PostedResult; feedHtml?: string } | { index: number; error: PostedError })[];
};

/** A job's error as a worker posts it; `limit` when the post passed one of the limits. */
export type PostedError = { name: string; message: string; stack?: string; line?: number; column?: number; limit?: LimitDetails };

/** A result as a worker posts it: the HTML as UTF-8 bytes, which this thread keeps so until a page needs it. */
export type PostedResult = Omit<MarkdownResult, 'html'> & { html: Uint8Array };

/** A worker, its clock (see WorkerData) and the jobs sent to it not yet answered. */
export type Live = { worker: Worker; isLost: boolean; clock: Float64Array; pending: Set<number> };

/** A pool's workers, and the handlers of the run in progress (a worker's messages go to the run that sent its jobs). */
export interface Workers {
  live: Live[];
  limits: MarkdownLimits;
  heapLimits: ResourceLimits;
  spawn(): Live;
  onReply?: (entry: Live, reply: WorkerReply) => void;
  onLost?: (entry: Live, cause: unknown) => void;
}

/** One run's bookkeeping: which jobs are done, which to send next, and how to hand out and finish them. */
interface Dispatch {
  isDone: boolean[];
  remaining: number;
  /** Set while the run waits: called when every job is done, a worker is lost or the run is stopped. */
  wake?: () => void;
  isAnyLost: boolean;
  lostCause: unknown;
  complete(index: number, result: MarkdownResult | undefined, cause?: unknown, feedHtml?: string, isFromWorker?: boolean): void;
  send(entry: Live): void;
  /** Ends a worker whose job failed it (time budget, out of memory): the job fails, the worker's others go to a new one. */
  replace(entry: Live, index: number, cause: unknown): void;
}

function dispatchOf(workers: Workers, jobs: MarkdownJob[], run: RunOptions): Dispatch {
  const batchSize = Math.max(1, Math.min(16, Math.ceil(jobs.length / (workers.live.length * 8))));
  let next = 0;
  /** Jobs a stopped worker had been sent but had not rendered: sent again first. */
  const retry: number[] = [];
  const isAnyLost = workers.live.some((entry) => entry.isLost);
  const d: Dispatch = {
    isDone: new Array<boolean>(jobs.length).fill(false),
    remaining: jobs.length,
    isAnyLost,
    lostCause: isAnyLost ? new Error('a markdown worker stopped before the build began') : undefined,
    complete(index, result, cause, feedHtml, isFromWorker = false) {
      if (d.isDone[index]) return;
      d.isDone[index] = true;
      d.remaining--;
      run.onResult(index, result, cause, feedHtml, isFromWorker);
      if (d.remaining === 0) d.wake?.();
    },
    send(entry) {
      if (entry.isLost || run.signal?.aborted) return;
      const batch: WorkerRequest['batch'] = [];
      while (batch.length < batchSize && retry.length > 0) {
        const index = retry.shift()!;
        if (!d.isDone[index]) batch.push({ index, job: jobs[index] });
      }
      while (batch.length < batchSize && next < jobs.length) batch.push({ index: next, job: jobs[next++] });
      if (batch.length === 0) return;
      for (const { index } of batch) entry.pending.add(index);
      entry.worker.postMessage({ batch } satisfies WorkerRequest);
    },
    replace(entry, index, cause) {
      entry.isLost = true;
      void entry.worker.terminate();
      workers.live.splice(workers.live.indexOf(entry), 1);
      retry.push(...[...entry.pending].filter((pending) => pending !== index));
      d.complete(index, undefined, cause);
      if (d.remaining === 0) return;
      const fresh = workers.spawn();
      d.send(fresh);
      d.send(fresh);
    },
  };
  return d;
}

/** {@link MarkdownPool.run}: the workers render while they last; this thread renders what a lost one leaves. */
export async function runJobs(workers: Workers, jobs: MarkdownJob[], run: RunOptions, close: () => Promise<void>): Promise<void> {
  const d = dispatchOf(workers, jobs, run);
  const stopHandling = handleWorkers(workers, d);
  const onAbort = () => d.wake?.();
  run.signal?.addEventListener('abort', onAbort);
  try {
    // Two batches in flight per worker, so it never waits for the next one.
    for (const entry of [...workers.live]) {
      d.send(entry);
      d.send(entry);
    }
    await run.whileWaiting?.();
    // Wait for the workers' last batches; if a worker is gone, stop them all and render what is left here.
    while (d.remaining > 0 && !d.isAnyLost && !run.signal?.aborted) await new Promise<void>((resolve) => (d.wake = resolve));
  } finally {
    stopHandling();
    d.wake = undefined;
    run.signal?.removeEventListener('abort', onAbort);
  }
  if (d.remaining === 0 || run.signal?.aborted) return;
  await close();
  const processor = await run.loadProcessor();
  for (let index = 0; index < jobs.length; index++) {
    if (d.isDone[index]) continue;
    try {
      const done = await renderHere(processor, jobs[index], workers.limits, undefined, d.lostCause);
      d.complete(index, done.result, undefined, done.feedHtml);
    } catch (cause) {
      d.complete(index, undefined, cause);
    }
  }
}

/** Routes the workers' replies and losses to this run and watches their time budget; returns what stops that. */
function handleWorkers(workers: Workers, d: Dispatch): () => void {
  const { limits } = workers;
  workers.onLost = (entry, cause) => {
    const index = entry.clock[0];
    if (index >= 0 && !d.isDone[index]) return d.replace(entry, index, diedOf(cause, workers.heapLimits));
    // A worker that could not start, or died between posts: this thread renders what is left, within the budget.
    d.isAnyLost = true;
    d.lostCause ??= cause ?? new Error('a markdown worker stopped');
    d.wake?.();
  };
  workers.onReply = (entry, { items }) => {
    for (const item of items) {
      entry.pending.delete(item.index);
      if ('result' in item) {
        const { html, ...rest } = item.result;
        d.complete(item.index, defineLazyText(rest as MarkdownResult, 'html', html), undefined, item.feedHtml, true);
      } else d.complete(item.index, undefined, posted(item.error));
    }
    d.send(entry);
  };
  const watchdog = setInterval(() => {
    for (const entry of [...workers.live]) {
      const index = entry.clock[0];
      const elapsed = Date.now() - entry.clock[1];
      if (!entry.isLost && index >= 0 && !d.isDone[index] && elapsed > limits.timeBudgetMs) {
        d.replace(entry, index, new MarkdownTooComplexError('time', elapsed, limits.timeBudgetMs, 1, 1));
      }
    }
  }, Math.max(10, Math.min(500, limits.timeBudgetMs / 4)));
  return () => {
    clearInterval(watchdog);
    workers.onReply = undefined;
    workers.onLost = undefined;
  };
}

/** A job's error as a worker posted it: a limit passed, or what the pipeline threw. */
function posted(error: PostedError): Error {
  if (error.limit) return MarkdownTooComplexError.from(error.limit);
  return Object.assign(new Error(error.message), { name: error.name, stack: error.stack, line: error.line, column: error.column });
}

/**
 * The error for a post whose worker died while rendering it: the heap limits are what usually ends one, and that
 * is a limit the post passed; anything else is reported as it is.
 */
function diedOf(cause: unknown, heapLimits: ResourceLimits): unknown {
  if ((cause as NodeJS.ErrnoException | undefined)?.code !== 'ERR_WORKER_OUT_OF_MEMORY') return cause ?? new Error('the markdown worker stopped');
  const heap = heapLimits.maxOldGenerationSizeMb ?? 0;
  return Object.assign(new MarkdownTooComplexError('memory', heap, heap, 1, 1), { cause });
}

