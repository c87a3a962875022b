import fs from 'node:fs';
import path from 'node:path';
import { walk } from '../content/walk.js';
import type { WatcherLike } from './watch.js';

/** Options for {@link deferredWatcher}. */
export interface DeferredWatcherOptions {
  /** The watcher, made when watching starts (chokidar's: resolves once its first scan is done). */
  create(): Promise<WatcherLike>;
  /** What is watched when watching starts. */
  targets(): readonly string[];
  /** When the served files were read (ms since the epoch): files changed from then on are reported once watching starts. */
  since: number;
  /** Called when the watcher cannot be made; nothing is watched then. */
  onError?: (cause: unknown) => void;
}

/** A watcher that starts later, and the means to start it. */
export interface DeferredWatcher extends WatcherLike {
  /** Starts watching now (at most once); resolves when the watcher is ready and the files changed meanwhile were reported. */
  start(): Promise<void>;
}

/**
 * A watcher that starts when asked (`start()`): until then it keeps the listeners and the targets added or removed.
 * chokidar's first scan of a large blog (10,000 posts: ~0.3 s of the main thread, more under load) would otherwise
 * come before the server's first page. Files changed between `since` and the end of that scan, which no event
 * reports, are found by their stats (modified or changed from `since` on, or a folder whose entries changed) and
 * reported as `change` events, which the watch loop takes in as any other.
 */
export function deferredWatcher(options: DeferredWatcherOptions): DeferredWatcher {
  const listeners: ((event: string, file: string) => void)[] = [];
  const added: string[][] = [];
  const removed: string[][] = [];
  let watcher: WatcherLike | undefined;
  let started: Promise<void> | undefined;
  let isClosed = false;
  const emit = (event: string, file: string) => {
    for (const listener of listeners) listener(event, file);
  };
  const begin = async () => {
    try {
      watcher = await options.create();
    } catch (cause) {
      options.onError?.(cause);
      return;
    }
    if (isClosed) return void (await watcher.close());
    watcher.on('all', emit);
    for (const paths of added) watcher.add(paths);
    for (const paths of removed) watcher.unwatch(paths);
    for (const file of await changedSince(options.targets(), options.since)) emit('change', file);
  };
  return {
    on(_event, listener) {
      listeners.push(listener);
      return this;
    },
    add(paths) {
      if (watcher) watcher.add(paths);
      else added.push([paths].flat());
    },
    unwatch(paths) {
      if (watcher) watcher.unwatch(paths);
      else removed.push([paths].flat());
    },
    start: () => (started ??= begin()),
    async close() {
      isClosed = true;
      await started;
      await watcher?.close();
    },
  };
}

/**
 * The files and folders under `targets` modified or changed (ctime: a copy that kept its mtime) after the millisecond
 * `since` (as `Date.now()` gives it); a folder's own times change when an entry is added, removed or renamed. A
 * file's times come from the same clock, finer than a millisecond or up to a tick (1–10 ms) behind, so a file written
 * before `since` is never taken for a change (a blog copied just before serve starts, as tests do, is not loaded
 * twice); one written within that millisecond or tick may be missed, but the load that began then reads it later.
 */
export async function changedSince(targets: readonly string[], since: number): Promise<string[]> {
  const from = since + 1;
  const changed: string[] = [];
  const stat = (file: string) => {
    try {
      return fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      // A path that vanished meanwhile: its folder's times tell it.
      return undefined;
    }
  };
  const isChanged = (s: fs.Stats) => s.mtimeMs >= from || s.ctimeMs >= from;
  for (const target of targets) {
    const targetStat = stat(target);
    if (!targetStat) continue;
    if (!targetStat.isDirectory()) {
      if (isChanged(targetStat)) changed.push(target);
      continue;
    }
    // A folder that vanished while walked: its parent's times (or the next event) tell it.
    const files = await walk(target).catch(() => []);
    const folders = new Set([target, ...files.map((file) => path.dirname(file))]);
    for (const file of [...folders, ...files]) {
      const s = file === target ? targetStat : stat(file);
      if (s && isChanged(s)) changed.push(file);
    }
  }
  return changed;
}
