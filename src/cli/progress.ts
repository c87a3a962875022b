/** Options for {@link createProgress}. */
export interface ProgressOptions {
  /** What is counted, e.g. `rendering posts`. */
  label: string;
  /** Where the line is drawn (a terminal: the line is redrawn in place with `\r`). */
  stream: { write(text: string): unknown };
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
  /** Nothing is drawn before this much time has passed: short builds show no progress. @default 300 */
  delayMs?: number;
  /** The line is redrawn at most this often, and always for the last item. @default 100 */
  intervalMs?: number;
}

/** The progress of a counted task; `update` is called as items are done, `done` when the task (and what follows it) ends. */
export interface Progress {
  update(done: number, total: number): void;
  done(): void;
}

const emptyProgress: Progress = { update: () => undefined, done: () => undefined };

/** No progress line at all (not a terminal, CI, --quiet). */
export function noProgress(): Progress {
  return emptyProgress;
}

/**
 * A progress line: items done of the total, the rate since the first item was done (neither the items already done
 * at the first update, e.g. posts from the cache, nor the workers' start-up before the first result count towards
 * it: counted from the first update, a 1,000-post build whose first post took 2.4 s said "about 44 min left" for a
 * build of 40 s) and the time left at that rate, once it has been measured for a second. Once every item is done,
 * the line says so and that the rest of the task (writing pages) is under way, until `done` clears it.
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const delay = options.delayMs ?? 300;
  const interval = options.intervalMs ?? 100;
  const started = now();
  let initial: number | undefined;
  let first: { at: number; done: number } | undefined;
  let last = -Infinity;
  let isShown = false;
  return {
    update(done, total) {
      const at = now();
      initial ??= done;
      if (!first && done > initial) first = { at, done };
      if (at - started < delay || (at - last < interval && done !== total)) return;
      last = at;
      isShown = true;
      const seconds = first ? (at - first.at) / 1000 : 0;
      const rate = first && seconds >= 1 && done > first.done ? (done - first.done) / seconds : undefined;
      options.stream.write(`\r\x1b[2K${formatProgress(options.label, done, total, rate)}`);
    },
    done() {
      if (isShown) options.stream.write('\r\x1b[2K');
    },
  };
}

/**
 * `rendering posts 412/1,000 (41 %), 180/s, about 4 s left`; without a rate (too early to tell) only the count;
 * when all are done, `…1,000/1,000 done; writing pages`.
 */
export function formatProgress(label: string, done: number, total: number, ratePerSecond?: number): string {
  const count = `${label} ${done.toLocaleString('en')}/${total.toLocaleString('en')}`;
  if (done >= total) return `${count} done; writing pages`;
  const share = total > 0 ? ` (${Math.floor((done / total) * 100)} %)` : '';
  if (ratePerSecond === undefined || !(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) return `${count}${share}`;
  const rate = ratePerSecond >= 10 ? Math.round(ratePerSecond).toLocaleString('en') : ratePerSecond.toFixed(1);
  return `${count}${share}, ${rate}/s, about ${formatDuration((total - done) / ratePerSecond)} left`;
}

/** `4 s`, `1 min 05 s`, `2 h 03 min`: whole seconds, rounded up (a wait is never promised shorter than it is). */
export function formatDuration(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
