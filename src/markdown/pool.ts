import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { defineLazyText } from '../content/lazy-text.js';
import { defaultLimits, MarkdownTooComplexError, type LimitDetails, type MarkdownLimits } from './markdown-limits.js';
import type { MarkdownOptions, MarkdownProcessor } from './processor.js';
import { renderHere, type MarkdownJob, type MarkdownResult } from './render-job.js';

/** Options for {@link startPool}. */
export interface PoolOptions {
  /** Worker threads to start. This thread only hands out batches and collects results, so its heap holds what the
   * build keeps and not the parser's garbage; it renders only what a lost worker leaves behind. */
  size: number;
  /** Options for each worker's processor; the same as the main thread's, so the output is the same. */
  markdown: Required<MarkdownOptions>;
  /** Heap limits of each worker. @default { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 } */
  limits?: ResourceLimits;
  /**
   * Limits on each post. A post that renders longer than the time budget fails, and its worker is terminated and
   * replaced; so is a worker that dies while rendering a post (out of memory), and that post fails. @default defaultLimits
   */
  markdownLimits?: MarkdownLimits;
}

/** What a worker is started with. */
export interface WorkerData {
  markdown: Required<MarkdownOptions>;
  limits: MarkdownLimits;
  /** Two float64s the worker writes: the index of the job it renders (-1 when idle) and when it began (Date.now()). */
  clock: SharedArrayBuffer;
}

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

/**
 * Heap limits of a worker. Parsing allocates a great deal of short-lived garbage (micromark's events, mdast and
 * hast trees). V8 sizes semi-spaces in powers of two: a 24 MiB young generation (8 MiB semi-spaces) made a worker
 * spend ~17 % of its time in ~800 scavenges for 500 posts, 32 MiB (16 MiB semi-spaces, as the main thread has)
 * ~8 % in ~370, and more gains nothing (--trace-gc, 1,000-post cold builds). The old-generation cap keeps a worker
 * that renders thousands of posts from growing its heap without bound. A body too large for these limits ends the
 * worker, and its jobs are rendered in the main thread.
 */
const workerLimits: ResourceLimits = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 };

/**
 * Worker threads rendering markdown. Started as soon as a build knows it will render many posts, so the workers
 * load the parser while this thread is still reading front matter and templates; {@link MarkdownPool.run} then
 * hands them the jobs. Always {@link MarkdownPool.close} it.
 */
export interface MarkdownPool {
  readonly size: number;
  /**
   * Renders jobs in the workers, handing out small batches so fast threads take more. If a worker cannot start or
   * dies, the others carry on and this thread renders whatever is left. One run at a time.
   */
  run(jobs: MarkdownJob[], options: RunOptions): Promise<void>;
  /** Stops the workers. */
  close(): Promise<void>;
}

/** Starts `size` workers; they load the parser at once and wait for {@link MarkdownPool.run}. */
export function startPool(options: PoolOptions): MarkdownPool {
  /** A worker, its clock (see WorkerData) and the jobs sent to it not yet answered. */
  type Live = { worker: Worker; isLost: boolean; clock: Float64Array; pending: Set<number> };
  const limits = options.markdownLimits ?? defaultLimits;
  const live: Live[] = [];
  let onReply: ((entry: Live, reply: WorkerReply) => void) | undefined;
  let onLost: ((entry: Live, cause: unknown) => void) | undefined;
  const spawn = (): Live => {
    const clock = new SharedArrayBuffer(16);
    const workerData: WorkerData = { markdown: options.markdown, limits, clock };
    const worker = new Worker(workerUrl(), { workerData, resourceLimits: options.limits ?? workerLimits });
    const entry: Live = { worker, isLost: false, clock: new Float64Array(clock).fill(-1), pending: new Set() };
    live.push(entry);
    let cause: unknown;
    const fail = () => {
      if (entry.isLost) return;
      entry.isLost = true;
      onLost?.(entry, cause);
    };
    worker.on('message', (reply: WorkerReply) => onReply?.(entry, reply));
    worker.on('error', (error) => {
      cause = error;
      fail();
    });
    worker.on('exit', fail);
    return entry;
  };
  for (let w = 0; w < options.size; w++) spawn();
  let closed: Promise<void> | undefined;

  return {
    size: options.size,
    async run(jobs, run) {
      const size = live.length;
      const batchSize = Math.max(1, Math.min(16, Math.ceil(jobs.length / (size * 8))));
      const isDone = new Array<boolean>(jobs.length).fill(false);
      let next = 0;
      /** Jobs a stopped worker had been sent but had not rendered: sent again first. */
      const retry: number[] = [];
      let remaining = jobs.length;
      let wake: (() => void) | undefined;
      const complete = (index: number, result: MarkdownResult | undefined, cause?: unknown, feedHtml?: string, isFromWorker = false) => {
        if (isDone[index]) return;
        isDone[index] = true;
        remaining--;
        run.onResult(index, result, cause, feedHtml, isFromWorker);
        if (remaining === 0) wake?.();
      };
      const send = (entry: Live) => {
        if (entry.isLost || run.signal?.aborted) return;
        const batch: WorkerRequest['batch'] = [];
        while (batch.length < batchSize && retry.length > 0) {
          const index = retry.shift()!;
          if (!isDone[index]) batch.push({ index, job: jobs[index] });
        }
        while (batch.length < batchSize && next < jobs.length) batch.push({ index: next, job: jobs[next++] });
        if (batch.length === 0) return;
        for (const { index } of batch) entry.pending.add(index);
        entry.worker.postMessage({ batch } satisfies WorkerRequest);
      };
      // A post that overran the budget or killed its worker fails; the worker's other jobs go to a new worker.
      const replace = (entry: Live, index: number, cause: unknown) => {
        entry.isLost = true;
        void entry.worker.terminate();
        live.splice(live.indexOf(entry), 1);
        retry.push(...[...entry.pending].filter((pending) => pending !== index));
        complete(index, undefined, cause);
        if (remaining === 0) return;
        const fresh = spawn();
        send(fresh);
        send(fresh);
      };
      let isAnyLost = live.some((entry) => entry.isLost);
      let lostCause: unknown = isAnyLost ? new Error('a markdown worker stopped before the build began') : undefined;
      onLost = (entry, cause) => {
        const index = entry.clock[0];
        if (index >= 0 && !isDone[index]) return replace(entry, index, diedOf(cause, options.limits ?? workerLimits));
        // A worker that could not start, or died between posts: this thread renders what is left, within the budget.
        isAnyLost = true;
        lostCause ??= cause ?? new Error('a markdown worker stopped');
        wake?.();
      };
      onReply = (entry, { items }) => {
        for (const item of items) {
          entry.pending.delete(item.index);
          if ('result' in item) {
            const { html, ...rest } = item.result;
            complete(item.index, defineLazyText(rest as MarkdownResult, 'html', html), undefined, item.feedHtml, true);
          } else complete(item.index, undefined, posted(item.error));
        }
        send(entry);
      };
      const watchdog = setInterval(() => {
        for (const entry of [...live]) {
          const index = entry.clock[0];
          const elapsed = Date.now() - entry.clock[1];
          if (!entry.isLost && index >= 0 && !isDone[index] && elapsed > limits.timeBudgetMs) {
            replace(entry, index, new MarkdownTooComplexError('time', elapsed, limits.timeBudgetMs, 1, 1));
          }
        }
      }, Math.max(10, Math.min(500, limits.timeBudgetMs / 4)));
      const onAbort = () => wake?.();
      run.signal?.addEventListener('abort', onAbort);
      try {
        // Two batches in flight per worker, so it never waits for the next one.
        for (const entry of [...live]) {
          send(entry);
          send(entry);
        }
        await run.whileWaiting?.();
        // Wait for the workers' last batches; if a worker is gone, stop them all and render what is left here.
        while (remaining > 0 && !isAnyLost && !run.signal?.aborted) await new Promise<void>((resolve) => (wake = resolve));
      } finally {
        clearInterval(watchdog);
        wake = undefined;
        onReply = undefined;
        onLost = undefined;
        run.signal?.removeEventListener('abort', onAbort);
      }
      if (remaining === 0 || run.signal?.aborted) return;
      await this.close();
      const processor = await run.loadProcessor();
      for (let index = 0; index < jobs.length; index++) {
        if (isDone[index]) continue;
        try {
          const done = await renderHere(processor, jobs[index], limits, undefined, lostCause);
          complete(index, done.result, undefined, done.feedHtml);
        } catch (cause) {
          complete(index, undefined, cause);
        }
      }
    },
    close() {
      closed ??= Promise.all(live.map(({ worker }) => worker.terminate())).then(() => undefined);
      return closed;
    },
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

/** Renders jobs in a pool of `size` workers started for them, then stops it (see {@link MarkdownPool.run}). */
export async function renderInPool(jobs: MarkdownJob[], options: PoolOptions & RunOptions): Promise<void> {
  const pool = startPool(options);
  try {
    await pool.run(jobs, options);
  } finally {
    await pool.close();
  }
}

/** The compiled worker entry. Under a TypeScript runner (tests on src/), workers still run the compiled lib/. */
function workerUrl(): URL {
  const here = new URL('./pool-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../lib/markdown/pool-worker.js', import.meta.url);
}
