import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { defineLazyText } from '../cache/packed.js';
import type { MarkdownOptions, MarkdownProcessor } from './processor.js';
import { renderJob, type MarkdownJob, type MarkdownResult } from './render-job.js';

/** Options for {@link startPool}. */
export interface PoolOptions {
  /** Worker threads to start. This thread only hands out batches and collects results, so its heap holds what the
   * build keeps and not the parser's garbage; it renders only what a lost worker leaves behind. */
  size: number;
  /** Options for each worker's processor; the same as the main thread's, so the output is the same. */
  markdown: Required<MarkdownOptions>;
  /** Heap limits of each worker. @default { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 } */
  limits?: ResourceLimits;
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
  items: ({ index: number; result: PostedResult; feedHtml?: string } | { index: number; error: { name: string; message: string; stack?: string } })[];
};

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
  type Live = { worker: Worker; isLost: boolean };
  const live: Live[] = [];
  let onReply: ((entry: Live, reply: WorkerReply) => void) | undefined;
  let onLost: (() => void) | undefined;
  for (let w = 0; w < options.size; w++) {
    const worker = new Worker(workerUrl(), { workerData: { markdown: options.markdown }, resourceLimits: options.limits ?? workerLimits });
    const entry: Live = { worker, isLost: false };
    live.push(entry);
    const fail = () => {
      if (entry.isLost) return;
      entry.isLost = true;
      onLost?.();
    };
    worker.on('message', (reply: WorkerReply) => onReply?.(entry, reply));
    worker.on('error', fail);
    worker.on('exit', fail);
  }
  let closed: Promise<void> | undefined;

  return {
    size: options.size,
    async run(jobs, run) {
      const size = live.length;
      const batchSize = Math.max(1, Math.min(16, Math.ceil(jobs.length / (size * 8))));
      const isDone = new Array<boolean>(jobs.length).fill(false);
      let next = 0;
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
        if (next >= jobs.length || entry.isLost || run.signal?.aborted) return;
        const batch: WorkerRequest['batch'] = [];
        while (batch.length < batchSize && next < jobs.length) batch.push({ index: next, job: jobs[next++] });
        entry.worker.postMessage({ batch } satisfies WorkerRequest);
      };
      let isAnyLost = live.some((entry) => entry.isLost);
      onLost = () => {
        isAnyLost = true;
        wake?.();
      };
      onReply = (entry, { items }) => {
        for (const item of items) {
          if ('result' in item) {
            const { html, ...rest } = item.result;
            complete(item.index, defineLazyText(rest as MarkdownResult, 'html', html), undefined, item.feedHtml, true);
          } else complete(item.index, undefined, Object.assign(new Error(item.error.message), { name: item.error.name, stack: item.error.stack }));
        }
        send(entry);
      };
      const onAbort = () => wake?.();
      run.signal?.addEventListener('abort', onAbort);
      try {
        // Two batches in flight per worker, so it never waits for the next one.
        for (const entry of live) {
          send(entry);
          send(entry);
        }
        await run.whileWaiting?.();
        // Wait for the workers' last batches; if a worker is gone, stop them all and render what is left here.
        while (remaining > 0 && !isAnyLost && !run.signal?.aborted) await new Promise<void>((resolve) => (wake = resolve));
      } finally {
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
          const done = await renderJob(processor, jobs[index]);
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
