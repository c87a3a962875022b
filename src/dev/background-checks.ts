import type { DevBuildEvent, DevSession } from './session.js';
import { idleWaiters } from './watch.js';
import { collectGarbage } from './collect-garbage.js';

/** Options for {@link scheduleChecks}. */
export interface BackgroundCheckOptions {
  /** The first check starts once this resolves (tests hold it). @default at once */
  hold?: Promise<unknown>;
  /** Resolves when the first page was sent: the first check then starts (or after `firstDelay` ms). */
  firstPage: Promise<void>;
  /** ms the first check waits at most for the first page (a server nobody has opened yet still checks). @default 3000 */
  firstDelay?: number;
  /** Quiet ms after a change before its check starts, so the page the browser asks for renders first. @default 300 */
  delay?: number;
  /** After each check that a later change did not overtake, with the paths changed since the last one. */
  onBuild?: (event: DevBuildEvent, changed: string[]) => void;
  /** A check threw (a bug: build errors are diagnostics). */
  onError?: (cause: unknown, changed: string[]) => void;
  /** The overlay's errors changed: open pages must be told. */
  broadcast(): void;
}

/** The background checks of a site served on demand. */
export interface BackgroundChecks {
  /** Asks for a check after a change (`changed` empty for the first). */
  request(changed: readonly string[]): void;
  /** Resolves when no check is waiting or running. */
  idle(): Promise<void>;
  /** Whether a check is running (its workers would keep the process alive). */
  readonly isRunning: boolean;
  /** Whether the first check has ended. */
  readonly isFirstDone: boolean;
  /** Drops the checks asked for and resolves when the running one (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Runs the session's checks (a full build for its diagnostics: link checks, markdown errors, warnings) one at a
 * time, after changes have settled: a save is served at once from the lazy site, and the check after it must not
 * take the cores the saved page renders on. Changes during a check ask for one more, which sees them all.
 */
export function scheduleChecks(session: DevSession, options: BackgroundCheckOptions): BackgroundChecks {
  let pending: Set<string> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let isFirstDone = false;
  // From the first request on (the server listens and watches by then), the first check waits for the first page.
  let firstReady: Promise<unknown> | undefined;
  let isStopped = false;
  let onStop = () => {};
  const stopped = new Promise<void>((resolve) => (onStop = resolve));
  const waitForFirstPage = async () => {
    await options.hold;
    await Promise.race([options.firstPage, new Promise((resolve) => setTimeout(resolve, options.firstDelay ?? 3000).unref?.())]);
  };

  const { wait, settle } = idleWaiters(() => !pending && !running && !timer);
  const run = async () => {
    timer = undefined;
    if (running || !pending || isStopped) return;
    const changed = [...pending].sort();
    pending = undefined;
    firstReady ??= waitForFirstPage();
    running = (async () => {
      // A server closed before its first check began (held, or no page asked for yet) runs none.
      await Promise.race([firstReady, stopped]);
      if (isStopped) return;
      await checkOnce(session, options, changed);
      // Its garbage goes before the next check allocates as much again. After the check, not before the next: a check
      // starts 300 ms after a save, when the saved page may still be asked for, and the pause would delay it.
      collectGarbage();
      isFirstDone = true;
    })();
    await running;
    running = undefined;
    if (pending) schedule();
    else settle();
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void run(), isFirstDone ? (options.delay ?? 300) : 0);
  };
  return {
    request(changed) {
      pending ??= new Set();
      for (const file of changed) pending.add(file);
      if (!running) schedule();
    },
    idle: wait,
    get isRunning() {
      return running !== undefined;
    },
    get isFirstDone() {
      return isFirstDone;
    },
    async stop() {
      isStopped = true;
      onStop();
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = undefined;
      await running;
      settle();
    },
  };
}

/** One background check: its diagnostics go to the terminal and the overlay, unless a newer load made it stale. */
async function checkOnce(session: DevSession, options: BackgroundCheckOptions, changed: string[]): Promise<void> {
  try {
    const event = await session.check();
    if (event.isStale) return;
    options.onBuild?.(event, changed);
    if (event.isChanged) options.broadcast();
  } catch (cause) {
    options.onError?.(cause, changed);
  }
}
