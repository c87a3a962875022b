import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { defaultLimits, type MarkdownLimits } from './markdown-limits.js';
import type { MarkdownOptions } from './processor.js';
import type { MarkdownJob } from './render-job.js';
import { runJobs, type Live, type RunOptions, type Workers, type WorkerReply } from './pool-run.js';

export type { PostedError, PostedResult, RunOptions, WorkerReply, WorkerRequest } from './pool-run.js';

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
  const workers = workersOf(options);
  for (let w = 0; w < options.size; w++) workers.spawn();
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= Promise.all(workers.live.map(({ worker }) => worker.terminate())).then(() => undefined);
    return closed;
  };
  return { size: options.size, run: (jobs, run) => runJobs(workers, jobs, run, close), close };
}

/** The pool's workers, none started yet: `spawn` starts one, reporting its replies and its loss to the current run. */
function workersOf(options: PoolOptions): Workers {
  const workers: Workers = {
    live: [],
    limits: options.markdownLimits ?? defaultLimits,
    heapLimits: options.limits ?? workerLimits,
    spawn() {
      const clock = new SharedArrayBuffer(16);
      const workerData: WorkerData = { markdown: options.markdown, limits: workers.limits, clock };
      const worker = new Worker(workerUrl(), { workerData, resourceLimits: workers.heapLimits });
      const entry: Live = { worker, isLost: false, clock: new Float64Array(clock).fill(-1), pending: new Set() };
      workers.live.push(entry);
      let cause: unknown;
      const fail = () => {
        if (entry.isLost) return;
        entry.isLost = true;
        workers.onLost?.(entry, cause);
      };
      worker.on('message', (reply: WorkerReply) => workers.onReply?.(entry, reply));
      worker.on('error', (error) => {
        cause = error;
        fail();
      });
      worker.on('exit', fail);
      return entry;
    },
  };
  return workers;
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
